package dev.medallion.io.beam;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Flatten whose inputs share one coder. Schema coders inferred separately for the same class carry
 * different schema ids, and Flink's batch translation refuses to union inputs whose coders differ.
 */
public final class Flattened {
  private Flattened() {}

  /**
   * Flattens {@code parts} (at least one) under {@code name}, giving them all the first part's
   * coder.
   */
  public static <T> PCollection<T> of(String name, List<PCollection<T>> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(name + " needs at least one PCollection to flatten");
    }
    Coder<T> coder = parts.get(0).getCoder();
    for (PCollection<T> part : parts.subList(1, parts.size())) {
      part.setCoder(coder);
    }
    return PCollectionList.of(parts).apply(name, Flatten.pCollections());
  }
}

package dev.medallion.transforms;

import dev.medallion.transforms.grouping.CombineInBuckets;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * One status per bronze row (bronze id to 'processed' or 'quarantined') from the statuses silver's
 * steps gave it. A row can get both: silver's writer takes it ('processed') and then the table
 * refuses it (quarantined by the sink); 'quarantined' wins, so a replay finds it.
 */
public final class BronzeStatuses
    extends PTransform<PCollectionList<KV<String, String>>, PCollection<KV<String, String>>> {
  private static final long serialVersionUID = 1L;
  public static final String PROCESSED = "processed";
  public static final String QUARANTINED = "quarantined";

  public static BronzeStatuses quarantinedWins() {
    return new BronzeStatuses();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollectionList<KV<String, String>> statuses) {
    return statuses
        .apply("AllStatuses", Flatten.pCollections())
        .apply(
            "OneStatusPerRow",
            CombineInBuckets.perKey(Combine.IterableCombineFn.of(new QuarantinedWins())));
  }

  static final class QuarantinedWins implements SerializableFunction<Iterable<String>, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String apply(Iterable<String> statuses) {
      String status = PROCESSED;
      for (String s : statuses) {
        if (QUARANTINED.equals(s)) {
          return QUARANTINED;
        }
        status = s;
      }
      return status;
    }
  }
}

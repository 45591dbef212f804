package dev.medallion.platform;

import dev.medallion.ops.Layer;
import java.util.List;

/** One layer of a pipeline and the tables it writes. */
public record LayerTables(Layer layer, List<String> tables) {
  public LayerTables {
    tables = List.copyOf(tables);
  }

  public static LayerTables of(Layer layer, String... tables) {
    return new LayerTables(layer, List.of(tables));
  }
}

package dev.medallion.platform;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import java.util.Set;

/**
 * What a definition builds a run with besides its options: the database, the run id (stamped on
 * every quarantine row), the layers and mode chosen, and the HTTP settings of API sources.
 */
public record RunContext(
    String pipeline,
    String runId,
    JdbcTarget target,
    Set<Layer> layers,
    Mode mode,
    HttpClientConfiguration http) {
  public RunContext {
    layers = Set.copyOf(layers);
  }

  public boolean runs(Layer layer) {
    return layers.contains(layer);
  }

  public boolean full() {
    return mode == Mode.FULL;
  }
}

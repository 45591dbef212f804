package dev.medallion.ops;

/**
 * One layer's numbers in one run: records in, out and quarantined, bytes read, and how long it was
 * busy.
 */
public record LayerStats(long in, long out, long quarantined, long bytesRead, long durationMillis) {
  public static final LayerStats NONE = new LayerStats(0, 0, 0, 0, 0);

  /** {"in": n, "out": n, "quarantined": n}: ops.pipeline_runs.layer_records. */
  public String recordsJson() {
    return "{\"in\": " + in + ", \"out\": " + out + ", \"quarantined\": " + quarantined + "}";
  }

  /** {"bytes_read": n, "duration_ms": n}: ops.pipeline_runs.layer_metrics. */
  public String metricsJson() {
    return "{\"bytes_read\": " + bytesRead + ", \"duration_ms\": " + durationMillis + "}";
  }
}

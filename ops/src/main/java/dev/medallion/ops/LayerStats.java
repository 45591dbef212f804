package dev.medallion.ops;

/**
 * One layer's numbers in one run: records in, out and quarantined, bytes read, how long it was
 * busy, and records merged into another record with the same key (the same API record fetched
 * twice): those leave the layer neither as rows nor as quarantine.
 */
public record LayerStats(
    long in, long out, long quarantined, long bytesRead, long durationMillis, long merged) {
  public static final LayerStats NONE = new LayerStats(0, 0, 0, 0, 0);

  public LayerStats(long in, long out, long quarantined, long bytesRead, long durationMillis) {
    this(in, out, quarantined, bytesRead, durationMillis, 0);
  }

  /**
   * {"in": n, "out": n, "quarantined": n}, with "merged": n when a record was merged:
   * ops.pipeline_runs.layer_records.
   */
  public String recordsJson() {
    return "{\"in\": "
        + in
        + ", \"out\": "
        + out
        + ", \"quarantined\": "
        + quarantined
        + (merged > 0 ? ", \"merged\": " + merged : "")
        + "}";
  }

  /** {"bytes_read": n, "duration_ms": n}: ops.pipeline_runs.layer_metrics. */
  public String metricsJson() {
    return "{\"bytes_read\": " + bytesRead + ", \"duration_ms\": " + durationMillis + "}";
  }
}

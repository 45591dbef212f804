package dev.medallion.pipelines;

/** Every table an edge run writes, for tests to clean. */
public final class EdgeEndToEndTables {
  public static final String[] ALL = {
    "bronze.edge_raw", "silver.edge_transactions", "silver.edge_quarantine",
        "gold.store_daily_summary",
    "platinum.store_features", "ops.pipeline_runs", "ops.processing_status", "ops.landed_files"
  };

  private EdgeEndToEndTables() {}
}

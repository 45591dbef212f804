package dev.medallion.cli;

import dev.medallion.testing.TestDatabase;

/**
 * What an inventory test starts from: no silver, gold, file job, run or rewrite of either pipeline.
 */
public final class InventoryTestTables {
  public static final String[] ALL = {
    "silver.inventory_stock",
    "silver.inventory_suppliers",
    "silver.inventory_po_lines",
    "gold.stock_health",
    "gold.supplier_order_draft",
    "gold.stock_health_store_summary",
    "gold.po_open_lines",
    "gold.po_supplier_summary",
    "ops.file_jobs",
    "ops.snapshot_dates",
    "ops.quarantine",
    "ops.pipeline_runs",
    "ops.run_logs",
    "ops.processing_status"
  };

  private InventoryTestTables() {}

  public static void truncate() {
    TestDatabase.truncate(ALL);
  }
}

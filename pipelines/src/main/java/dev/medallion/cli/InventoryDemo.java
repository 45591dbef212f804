package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.pipelines.PoSnapshotsPipeline;
import dev.medallion.pipelines.StockHealthPipeline;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.TablePrinter;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * The demo's inventory part: generated sample workbooks (four stores with the usual quirks,
 * supplier masters, two PO files, a corrupt stock file and a file no pipeline takes) through
 * stock_health and po_snapshots, then a few rows of each output and the file-job table.
 */
final class InventoryDemo {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);

  private InventoryDemo() {}

  static boolean run(PrintStream out, JdbcTarget target, Path dataDir, String profile)
      throws IOException, java.sql.SQLException {
    Path landing = dataDir.resolve("demo/inventory/landing").toAbsolutePath();
    Path seeds = dataDir.resolve("demo/inventory/seeds").toAbsolutePath();
    Files.createDirectories(landing);
    List<Path> files = SampleWorkbooks.demoFolder(landing, DAY, 4, 42);
    out.printf("%nGenerated %d sample inventory workbooks in %s%n", files.size(), landing);
    JobRunner runner = new JobRunner(target, out, HttpClientConfiguration.create());
    boolean ok = true;
    for (String pipeline : List.of("stock_health", "po_snapshots")) {
      JobRunner.Outcome outcome =
          runner.run(
              JobRunner.plan(
                  pipeline.equals("stock_health")
                      ? new StockHealthPipeline()
                      : new PoSnapshotsPipeline(),
                  RunRequest.of(
                      null,
                      Mode.INCREMENTAL,
                      profile,
                      List.of(
                          "--source=" + landing,
                          "--date=" + DAY,
                          "--outputDir=" + seeds.resolve(pipeline)))));
      ok &= outcome.succeeded();
    }
    TablePrinter.print(
        out,
        target,
        "gold.stock_health ("
            + DAY
            + ", first 8 rows; CSVs in "
            + seeds.resolve("stock_health")
            + ")",
        "SELECT store_id, sku, supplier, on_hand, on_order, sales_28d, avg_daily_sales, days_of_cover,"
            + " reorder_point, suggested_order_qty, stock_value, status FROM gold.stock_health"
            + " WHERE business_date = DATE '"
            + DAY
            + "' ORDER BY store_id, sku LIMIT 8");
    TablePrinter.print(
        out,
        target,
        "gold.stock_health_store_summary",
        "SELECT * FROM gold.stock_health_store_summary WHERE business_date = DATE '"
            + DAY
            + "' ORDER BY store_id");
    TablePrinter.print(
        out,
        target,
        "gold.supplier_order_draft (first 5)",
        "SELECT supplier, store_id, sku, suggested_order_qty, unit_cost, line_value"
            + " FROM gold.supplier_order_draft ORDER BY supplier, store_id, sku LIMIT 5");
    TablePrinter.print(
        out,
        target,
        "gold.po_open_lines",
        "SELECT po_number, supplier, store_id, sku, ordered_qty, received_qty, outstanding_qty,"
            + " expected_date, days_late FROM gold.po_open_lines ORDER BY po_number, sku");
    TablePrinter.print(
        out, target, "gold.po_supplier_summary", "SELECT * FROM gold.po_supplier_summary");
    TablePrinter.print(
        out,
        target,
        "ops.file_jobs (latest run of each pipeline; a failed file: medallion retry --pipeline P)",
        "SELECT pipeline, regexp_replace(file_path, '^.*/', '') AS file, store_id, status,"
            + " retry_count, rows, quarantined_rows AS bad_rows, left(error, 70) AS error"
            + " FROM ops.file_jobs j WHERE run_id IN (SELECT DISTINCT ON (pipeline) run_id FROM"
            + " ops.pipeline_runs WHERE pipeline IN ('stock_health', 'po_snapshots')"
            + " ORDER BY pipeline, started_at DESC) ORDER BY pipeline, file");
    return ok;
  }
}

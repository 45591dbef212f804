package dev.medallion.cli;

import static dev.medallion.transforms.inventory.SampleWorkbooks.formula;
import static dev.medallion.transforms.inventory.SampleWorkbooks.grouped;
import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * stock_health through the real CLI on DirectRunner: hand-worked rows reaching every status, the
 * three CSVs cell by cell, and a corrupt file among five that, once replaced, {@code medallion
 * retry} processes alone.
 */
public class StockHealthEndToEndTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  static final String H =
      "business_date,store_id,sku,description,supplier,on_hand,on_order,sales_28d,avg_daily_sales,"
          + "days_of_cover,reorder_point,suggested_order_qty,stock_value,status";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Before
  public void clean() {
    InventoryTestTables.truncate();
  }

  static List<List<Object>> rows(List<Object>... rows) {
    return Arrays.asList(rows);
  }

  @Test
  public void handWorkedSnapshotThenRetryOfTheOneCorruptFile() throws IOException {
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    // The master that applies on 2024-12-04 (the newest on or before it), one older and one newer.
    SampleWorkbooks.suppliers(
        in,
        LocalDate.of(2024, 12, 1),
        rows(
            row("A1", "Acme", 7, 10, 6, 2.5),
            row("A2", "Acme", "14", 0, 1, 1.1),
            row("B1", "Borealis", 7, 5, 5, 10),
            row("B2", "Borealis", 3, 0, 1, 4),
            row("B3", "Borealis", 7, 0, 1, 3),
            row("C1", "Cobalt", 7, 0, 1, 0.145)));
    SampleWorkbooks.suppliers(in, LocalDate.of(2024, 11, 1), rows(row("A1", "Old", 7, 10, 6, 99)));
    SampleWorkbooks.suppliers(in, LocalDate.of(2024, 12, 10), rows(row("A2", "New", 1, 0, 1, 1)));
    SampleWorkbooks.stock(
        in,
        "S01",
        DAY,
        rows(
            row("A1", "Widget", 0, 0, formula("28*2")),
            row("A2", "Gadget", "10", 0, 28),
            null,
            row("B1", "Bolt", 20, "5", 56),
            row("B2", "Nut", "1,000", 0, grouped(280)),
            row("B3", "Screw", 50, 0, 84),
            row("Z9", "Mystery", 5, 1, 10)));
    SampleWorkbooks.write(
        in.resolve("stock_S02_20241204.xlsx"),
        SampleWorkbooks.sheet(
            "Sheet1",
            List.of(),
            List.of("sku", "description", "on_hand", "on_order", "Units Sold 28d"),
            rows(
                row("B3", "Screw", 4, 0, 0),
                row("C1", "Cog", 1, 0, 0),
                row("X1", "Bad", "twelve", 0, 1))));
    SampleWorkbooks.corrupt(in.resolve("stock_S03_20241204.xlsx"));
    SampleWorkbooks.stock(in, "S04", DAY, rows(row("A1", "Widget", 30, 0, 28)));
    Files.writeString(in.resolve("readme.txt"), "not a workbook");

    CapturedRun.Result first =
        run(
            "run",
            "stock_health",
            "--source",
            in.toString(),
            "--date",
            "2024-12-04",
            "--output-dir",
            out.toString());
    assertEquals(first.errors(), 0, first.exitCode());
    assertTrue(first.output(), first.output().contains("medallion retry --pipeline stock_health"));

    // Hand-worked (safety 7, review 14, overstock 90; avg = sales/28, see README):
    // A1: avg 2, cover 0, rp 2*7+14=28, target 2*21+14=56, order max(56,10)=56 -> 10 packs of 6=60
    // A2: avg 1, cover 10 < lead 14: emergency; rp 14+7=21, order max(35-10,0)=25; value 11.00
    // B1: avg 2, cover 10 >= 7, position 25 <= rp 28: low; order max(56-25,5)=31 -> 7 packs of 5
    // B2: avg 10, cover 100 > 90: overstock (rp 10*3+70=100 < 1000)
    // B3: avg 3, cover 16.67, rp 21+21=42 < 50: healthy; value 150.00
    // Z9: no supplier row; avg 10/28=0.3571, cover 14.0
    // S02 B3 and C1: no sales, stock on hand: overstock; C1 value 0.145 -> 0.15 (half-up)
    // S04 A1: avg 1, cover 30, rp 7+7=14 < 30: healthy; value 75.00
    List<String> complete =
        List.of(
            H,
            "2024-12-04,S01,A1,Widget,Acme,0,0,56,2.0000,0.0,28.00,60,0.00,out_of_stock",
            "2024-12-04,S01,A2,Gadget,Acme,10,0,28,1.0000,10.0,21.00,25,11.00,emergency",
            "2024-12-04,S01,B1,Bolt,Borealis,20,5,56,2.0000,10.0,28.00,35,200.00,low",
            "2024-12-04,S01,B2,Nut,Borealis,1000,0,280,10.0000,100.0,100.00,0,4000.00,overstock",
            "2024-12-04,S01,B3,Screw,Borealis,50,0,84,3.0000,16.7,42.00,0,150.00,healthy",
            "2024-12-04,S01,Z9,Mystery,,5,1,10,0.3571,14.0,,0,,unknown_supplier",
            "2024-12-04,S02,B3,Screw,Borealis,4,0,0,0.0000,,0.00,0,12.00,overstock",
            "2024-12-04,S02,C1,Cog,Cobalt,1,0,0,0.0000,,0.00,0,0.15,overstock",
            "2024-12-04,S04,A1,Widget,Acme,30,0,28,1.0000,30.0,14.00,0,75.00,healthy");
    assertEquals(complete, Files.readAllLines(out.resolve("20241204.csv")));
    assertEquals(
        List.of(
            "supplier,store_id,sku,description,suggested_order_qty,unit_cost,line_value",
            "Acme,S01,A1,Widget,60,2.5,150.00",
            "Acme,S01,A2,Gadget,25,1.1,27.50",
            "Borealis,S01,B1,Bolt,35,10,350.00"),
        Files.readAllLines(out.resolve("20241204_m2.csv")));
    assertEquals(
        List.of(H, complete.get(1), complete.get(2)),
        Files.readAllLines(out.resolve("20241204_emergency.csv")));
    assertEquals(
        List.of("S01|6|1|1|1|1|1|1|4361.00", "S02|2|0|0|0|0|2|0|12.15", "S04|1|0|0|0|0|0|1|75.00"),
        TestDatabase.rows(
            "SELECT concat_ws('|', store_id, skus, unknown_supplier, out_of_stock, emergency, low,"
                + " overstock, healthy, stock_value) FROM gold.stock_health_store_summary"
                + " ORDER BY store_id"));
    assertEquals(
        List.of("S01|A1|60|150.00", "S01|A2|25|27.50", "S01|B1|35|350.00"),
        TestDatabase.rows(
            "SELECT concat_ws('|', store_id, sku, suggested_order_qty, line_value)"
                + " FROM gold.supplier_order_draft ORDER BY 1"));
    assertEquals(
        List.of(
            "readme.txt|skipped",
            "stock_S01_20241204.xlsx|completed|6|0",
            "stock_S02_20241204.xlsx|completed|2|1",
            "stock_S03_20241204.xlsx|failed|0|0",
            "stock_S04_20241204.xlsx|completed|1|0",
            "suppliers_20241201.xlsx|completed|6|0"),
        jobs());
    assertEquals(
        List.of(
            "no routing pattern matches the file name",
            "stock_S03_20241204.xlsx: not a readable XLSX workbook"),
        TestDatabase.rows(
            "SELECT regexp_replace(error, '(workbook).*$', '\\1') FROM ops.file_jobs"
                + " WHERE status IN ('failed', 'skipped') ORDER BY file_path"));
    assertEquals(
        List.of("stock_S02_20241204.xlsx Sheet1!C4: 'twelve' is not a number"),
        TestDatabase.rows("SELECT reason FROM ops.quarantine WHERE record_index > 0"));
    assertEquals(
        List.of("2024-12-04|5|4|15"),
        TestDatabase.rows(
            "SELECT concat_ws('|', business_date, total_files, processed_files, total_rows)"
                + " FROM ops.pipeline_runs"));
    // Silver took 15 good rows, quarantined S02's bad-cell row and the unreadable S03 as a whole:
    // in 17 = out 15 + quarantined 2.
    assertEquals(
        List.of("17|15|2"),
        TestDatabase.rows(
            "SELECT concat_ws('|', layer_records->'silver'->>'in', layer_records->'silver'->>'out',"
                + " layer_records->'silver'->>'quarantined') FROM ops.pipeline_runs"));

    // The corrupt file replaced; retry takes it alone and the snapshot becomes complete.
    Files.delete(in.resolve("stock_S03_20241204.xlsx"));
    SampleWorkbooks.stock(in, "S03", DAY, rows(row("B1", "Bolt", 0, 10, 0)));
    CapturedRun.Result retry =
        run(
            "retry",
            "--pipeline",
            "stock_health",
            "--date",
            "2024-12-04",
            "--output-dir",
            out.toString());
    assertEquals(retry.errors(), 0, retry.exitCode());
    assertEquals(
        List.of("stock_S03_20241204.xlsx|completed|1|1|0"),
        TestDatabase.rows(
            "SELECT concat_ws('|', regexp_replace(file_path, '^.*/', ''), status, retry_count, rows,"
                + " quarantined_rows) FROM ops.file_jobs WHERE run_id = (SELECT run_id FROM"
                + " ops.pipeline_runs ORDER BY started_at DESC LIMIT 1)"));
    // S03 B1: no sales, nothing on hand: out_of_stock, no order (avg 0).
    String s03 = "2024-12-04,S03,B1,Bolt,Borealis,0,10,0,0.0000,,0.00,0,0.00,out_of_stock";
    List<String> after = new ArrayList<>(complete);
    after.add(9, s03);
    assertEquals(after, Files.readAllLines(out.resolve("20241204.csv")));
    assertEquals(
        List.of(H, complete.get(1), complete.get(2), s03),
        Files.readAllLines(out.resolve("20241204_emergency.csv")));
    assertEquals(10L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));
    // A second retry finds nothing failed and changes nothing.
    CapturedRun.Result again =
        run("retry", "--pipeline", "stock_health", "--output-dir", out.toString());
    assertEquals(0, again.exitCode());
    assertEquals(after, Files.readAllLines(out.resolve("20241204.csv")));
  }

  @Test
  public void poSnapshotsLaterFileWinsByHand() throws IOException {
    TestDatabase.truncate(
        "silver.inventory_po_lines", "gold.po_open_lines", "gold.po_supplier_summary");
    Path in = folder.newFolder("po").toPath();
    Path out = folder.newFolder("po-out").toPath();
    LocalDate ordered = LocalDate.of(2024, 11, 1);
    SampleWorkbooks.po(
        in,
        "batch1",
        DAY,
        rows(
            row(
                "PO1",
                "Acme",
                "S01",
                "K1",
                100,
                40,
                SampleWorkbooks.serial(ordered),
                "2024-12-02",
                "partial"),
            row("PO1", "Acme", "S01", "K2", 50, 50, ordered, "2024-11-30", "closed"),
            row("PO2", "Acme", "S02", "K1", "30", "0", "01/11/2024", "2024-12-10", "open"),
            row("PO3", "Borealis", "S01", "K3", 20, 0, ordered, "2024-11-20", "cancelled")));
    SampleWorkbooks.po(
        in,
        "batch2",
        DAY,
        rows(
            row("PO1", "Acme", "S01", "K1", 100, 70, ordered, LocalDate.of(2024, 12, 2), "partial"),
            row("PO4", "Borealis", "S01", "K4", 10, 0, ordered, "2024-11-29", "Open")));
    CapturedRun.Result result =
        run(
            "process",
            "--pipeline",
            "po_snapshots",
            "--date",
            "2024-12-04",
            "--input-dir",
            in.toString(),
            "--output-dir",
            out.toString());
    assertEquals(result.errors(), 0, result.exitCode());
    // PO1/K1 from batch2 (the later name): 100 - 70 = 30 outstanding, 2 days late.
    // Acme fill (70 + 50 + 0) / (100 + 50 + 30) = 0.6667; Borealis 0 / 10 (PO3 cancelled: left
    // out).
    assertEquals(
        List.of(
            "business_date,po_number,supplier,store_id,sku,ordered_qty,received_qty,outstanding_qty,"
                + "order_date,expected_date,status,days_late",
            "2024-12-04,PO1,Acme,S01,K1,100,70,30,2024-11-01,2024-12-02,partial,2",
            "2024-12-04,PO2,Acme,S02,K1,30,0,30,2024-11-01,2024-12-10,open,0",
            "2024-12-04,PO4,Borealis,S01,K4,10,0,10,2024-11-01,2024-11-29,open,5"),
        Files.readAllLines(out.resolve("20241204.csv")));
    assertEquals(
        List.of("Acme|2|60|1|0.6667|2.00", "Borealis|1|10|1|0.0000|5.00"),
        TestDatabase.rows(
            "SELECT concat_ws('|', supplier, open_lines, outstanding_qty, late_lines, fill_rate,"
                + " avg_days_late) FROM gold.po_supplier_summary ORDER BY supplier"));
    assertEquals(3L, TestDatabase.count("SELECT count(*) FROM gold.po_open_lines"));
  }

  private static List<String> jobs() {
    return TestDatabase.rows(
        "SELECT concat_ws('|', regexp_replace(file_path, '^.*/', ''), status,"
            + " rows,"
            + " quarantined_rows) FROM ops.file_jobs ORDER BY 1");
  }

  static CapturedRun.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return CapturedRun.execute(all);
  }
}

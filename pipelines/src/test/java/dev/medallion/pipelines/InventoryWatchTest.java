package dev.medallion.pipelines;

import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link InventoryWatch} over a folder, both pipelines of the routing table, two polls: a stock
 * file and a PO file are added between them (by the injected sleeper, so nothing waits). The second
 * poll reads only the new files, rewrites 2024-12-04's stock-health snapshot with both stores, and
 * runs po_snapshots for the first time; the file read by the first poll is not read again, and the
 * unrouted file is recorded once.
 */
public class InventoryWatchTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Before
  public void clean() {
    TestDatabase.truncate(
        "silver.inventory_stock",
        "silver.inventory_suppliers",
        "silver.inventory_po_lines",
        "gold.stock_health",
        "gold.supplier_order_draft",
        "gold.stock_health_store_summary",
        "gold.po_open_lines",
        "gold.po_supplier_summary",
        "ops.file_jobs",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
  }

  @Test
  public void twoPollsReadOnlyTheNewFilesAndRewriteTheDate() throws Exception {
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    Path config = folder.getRoot().toPath().resolve("inventory.properties");
    Files.writeString(
        config,
        "stock_health.output_dir = "
            + out.resolve("stock")
            + "\npo_snapshots.output_dir = "
            + out.resolve("po")
            + "\n");
    SampleWorkbooks.suppliers(
        in, LocalDate.of(2024, 12, 1), List.of(row("A1", "Acme", 7, 10, 6, 2.5)));
    SampleWorkbooks.stock(in, "S01", DAY, List.of(row("A1", "Widget", 30, 0, 28)));
    Files.writeString(in.resolve("notes.txt"), "no route takes this");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8);
    List<Duration> waits = new ArrayList<>();
    HttpClientConfiguration http = HttpClientConfiguration.create();
    PipelineRegistry registry = PipelineRegistry.load();
    int exit =
        new InventoryWatch(
                new JobRunner(TestDatabase.target(), print, http),
                TestDatabase.target(),
                http,
                print,
                wait -> {
                  waits.add(wait);
                  try {
                    SampleWorkbooks.stock(in, "S02", DAY, List.of(row("A1", "Widget", 10, 0, 28)));
                    SampleWorkbooks.po(
                        in,
                        "b1",
                        DAY,
                        List.of(
                            row(
                                "PO2",
                                "Acme",
                                "S02",
                                "K1",
                                30,
                                0,
                                "01/11/2024",
                                "2024-12-10",
                                "open")));
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .watch(
                List.of(registry.get("stock_health"), registry.get("po_snapshots")),
                List.of("--source=" + in, "--config=" + config),
                RunnerProfiles.DEFAULT,
                List.of(),
                Duration.ofMinutes(5),
                2);
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(text, 0, exit);
    assertEquals(List.of(Duration.ofMinutes(5)), waits); // one wait, between the two polls
    assertThat(text, containsString("Poll 1 of 2"));
    assertThat(text, containsString("stock_health: 3 new or changed file(s)"));
    assertThat(text, containsString("po_snapshots: nothing new"));
    assertThat(text, containsString("stock_health: 1 new or changed file(s)"));
    assertThat(text, containsString("po_snapshots: 1 new or changed file(s)"));

    // S01 (poll 1): avg 1, cover 30, rp 14: healthy, 75.00. S02 (poll 2): 10 on hand, position 10
    // <= rp 14: low; order max(28 - 10, 10) = 18 (3 packs of 6); value 25.00.
    assertEquals(
        List.of(
            "business_date,store_id,sku,description,supplier,on_hand,on_order,sales_28d,"
                + "avg_daily_sales,days_of_cover,reorder_point,suggested_order_qty,stock_value,"
                + "status",
            "2024-12-04,S01,A1,Widget,Acme,30,0,28,1.0000,30.0,14.00,0,75.00,healthy",
            "2024-12-04,S02,A1,Widget,Acme,10,0,28,1.0000,10.0,14.00,18,25.00,low"),
        Files.readAllLines(out.resolve("stock").resolve("20241204.csv")));
    assertEquals(
        List.of(
            "business_date,po_number,supplier,store_id,sku,ordered_qty,received_qty,outstanding_qty,"
                + "order_date,expected_date,status,days_late",
            "2024-12-04,PO2,Acme,S02,K1,30,0,30,2024-11-01,2024-12-10,open,0"),
        Files.readAllLines(out.resolve("po").resolve("20241204.csv")));
    // Every file once: the first poll's are not read again by the second; notes.txt is recorded
    // as skipped by stock_health alone (the first pipeline of the routing table).
    assertEquals(
        List.of(
            "po_snapshots|po_b1_20241204.xlsx|completed",
            "stock_health|notes.txt|skipped",
            "stock_health|stock_S01_20241204.xlsx|completed",
            "stock_health|stock_S02_20241204.xlsx|completed",
            "stock_health|suppliers_20241201.xlsx|completed"),
        TestDatabase.rows(
            "SELECT concat_ws('|', pipeline, file_name, status) FROM ops.file_jobs ORDER BY 1"));
    // Three runs: stock_health twice, po_snapshots once (it had nothing new in poll 1).
    assertEquals(
        List.of("po_snapshots|1", "stock_health|2"),
        TestDatabase.rows(
            "SELECT pipeline || '|' || count(*) FROM ops.pipeline_runs GROUP BY pipeline ORDER BY 1"));
    assertEquals(2L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));
  }
}

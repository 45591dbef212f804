package dev.medallion.pipelines;

import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.cli.InventoryTestTables;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link InventoryWatch} over a folder: both pipelines of the routing table run continuously side
 * by side (polling every second, ending after 30 polls). Once the first snapshot of 2024-12-04 is
 * in gold, a second store's stock file, a PO file and a late stock file for the day before land in
 * the folder: the running pipelines take them, 2024-12-04 is rewritten with both stores, 2024-12-03
 * appears, po_snapshots writes its first snapshot; no file is read twice and the unrouted file is
 * recorded once.
 */
public class InventoryWatchTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Before
  public void clean() {
    InventoryTestTables.truncate();
  }

  @Test
  public void bothPipelinesRunContinuouslyAndRewriteEachDateAsFilesArrive() throws Exception {
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    Path config = folder.getRoot().toPath().resolve("inventory.properties");
    Files.writeString(
        config,
        "stock_health.output_dir = "
            + out.resolve("stock")
            + "\npo_snapshots.output_dir = "
            + out.resolve("po")
            // a snapshot is rewritten a second after its first new file (5 minutes by default)
            + "\nstock_health.flush_interval = 1s\npo_snapshots.flush_interval = 1s\n");
    SampleWorkbooks.suppliers(
        in, LocalDate.of(2024, 12, 1), List.of(row("A1", "Acme", 7, 10, 6, 2.5)));
    SampleWorkbooks.stock(in, "S01", DAY, List.of(row("A1", "Widget", 30, 0, 28)));
    Files.writeString(in.resolve("notes.txt"), "no route takes this");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8);
    PipelineRegistry registry = PipelineRegistry.load();
    CompletableFuture<Integer> watching =
        CompletableFuture.supplyAsync(
            () ->
                new InventoryWatch(
                        new JobRunner(
                            TestDatabase.target(), print, HttpClientConfiguration.create()))
                    .watch(
                        List.of(registry.get("stock_health"), registry.get("po_snapshots")),
                        List.of("--source=" + in, "--config=" + config),
                        RunnerProfiles.DEFAULT,
                        List.of(),
                        "1s",
                        30));
    // Polls the database, waiting between polls on the watch itself: a watch that ends before
    // the first snapshot ends the wait at once.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (TestDatabase.count("SELECT count(*) FROM gold.stock_health") == 0) {
      boolean ended;
      try {
        watching.get(200, TimeUnit.MILLISECONDS);
        ended = true;
      } catch (TimeoutException stillWatching) {
        ended = false;
      }
      if (ended || System.nanoTime() > deadline) {
        System.out.print(printed.toString(StandardCharsets.UTF_8));
        throw new AssertionError("no first snapshot while the watch ran");
      }
    }
    // Written straight into the watched folder, as a copy is: a poll that lists a workbook while
    // it is being written leaves it for a later poll, so each is read once, whole.
    SampleWorkbooks.stock(in, "S02", DAY, List.of(row("A1", "Widget", 10, 0, 28)));
    SampleWorkbooks.stock(in, "S01", DAY.minusDays(1), List.of(row("A1", "Widget", 0, 5, 28)));
    SampleWorkbooks.po(
        in,
        "b1",
        DAY,
        List.of(row("PO2", "Acme", "S02", "K1", 30, 0, "01/11/2024", "2024-12-10", "open")));
    int exit = watching.get(120, TimeUnit.SECONDS);
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(text, 0, exit);
    assertThat(text, containsString("Run stock_health-"));
    assertThat(text, containsString("Run po_snapshots-"));
    // S01 (first poll): avg 1, cover 30, rp 14: healthy, 75.00. S02 (later): 10 on hand, position
    // 10
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
    // The late file for the day before: 0 on hand, out of stock; position 5 <= rp 14, so order
    // max(28 - 5, 10) = 23, rounded up to packs of 6: 24. Its own snapshot.
    assertEquals(
        "2024-12-03,S01,A1,Widget,Acme,0,5,28,1.0000,0.0,14.00,24,0.00,out_of_stock",
        Files.readAllLines(out.resolve("stock").resolve("20241203.csv")).get(1));
    // Every file once; notes.txt is recorded as skipped by stock_health alone (the first pipeline
    // of the routing table).
    assertEquals(
        List.of(
            "po_snapshots|po_b1_20241204.xlsx|completed",
            "stock_health|notes.txt|skipped",
            "stock_health|stock_S01_20241203.xlsx|completed",
            "stock_health|stock_S01_20241204.xlsx|completed",
            "stock_health|stock_S02_20241204.xlsx|completed",
            "stock_health|suppliers_20241201.xlsx|completed"),
        TestDatabase.rows(
            "SELECT concat_ws('|', pipeline, file_name, status) FROM ops.file_jobs ORDER BY 1"));
    // One continuous run per pipeline, ended by --max-polls, with its file totals.
    assertEquals(
        List.of("po_snapshots|succeeded|1|1", "stock_health|succeeded|4|4"),
        TestDatabase.rows(
            "SELECT concat_ws('|', pipeline, status, total_files, processed_files)"
                + " FROM ops.pipeline_runs ORDER BY 1"));
    // 2024-12-04 was rewritten at least twice: before the second store's file, and after it.
    List<String> rewrites =
        TestDatabase.rows(
            "SELECT message FROM ops.run_logs WHERE message LIKE"
                + " 'stock_health snapshot for 2024-12-04 rewritten%' ORDER BY id");
    assertThat(rewrites.toString(), rewrites.size() >= 2);
    assertThat(rewrites.get(0), containsString("rewritten: 1 row(s)"));
    assertThat(rewrites.get(rewrites.size() - 1), containsString("rewritten: 2 row(s)"));
    assertEquals(3L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));
  }
}

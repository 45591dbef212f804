package dev.medallion.cli;

import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A batch run goes through the daily-snapshot aggregator too: with {@code batch_size = 2} and five
 * stock files of one date (plus the supplier master, which feeds the date only when it is read
 * after some of them), the date is rewritten early after files 2 and 4, and once more at the end:
 * three rewrites whatever the order the files are read in, the last one complete. With {@code
 * worker_count = 1} the files are read one at a time.
 */
public class StockHealthPanesTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  static final Pattern REWRITE =
      Pattern.compile(
          "stock_health snapshot for 2024-12-04 rewritten: (\\d+) row\\(s\\) from (\\d+) file\\(s\\)"
              + " so far \\(pane (\\d+), (.+)\\)");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Before
  public void clean() {
    InventoryTestTables.truncate();
  }

  @Test
  public void fiveFilesOfADateInBatchesOfTwoRewriteItThreeTimes() throws Exception {
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    Path config = folder.getRoot().toPath().resolve("inventory.properties");
    Files.writeString(
        config,
        "stock_health.batch_size = 2\nstock_health.flush_interval = 1h\n"
            + "stock_health.worker_count = 1\n");
    SampleWorkbooks.suppliers(
        in, LocalDate.of(2024, 12, 1), List.of(row("A1", "Acme", 7, 10, 6, 2.5)));
    for (int store = 1; store <= 5; store++) {
      SampleWorkbooks.stock(in, "S0" + store, DAY, List.of(row("A1", "Widget", 10 * store, 0, 28)));
    }

    CapturedRun.Result run =
        StockHealthEndToEndTest.run(
            "run",
            "stock_health",
            "--source",
            in.toString(),
            "--config",
            config.toString(),
            "--output-dir",
            out.toString());
    assertEquals(run.errors(), 0, run.exitCode());

    List<String> rewrites =
        TestDatabase.rows(
            "SELECT message FROM ops.run_logs WHERE message LIKE 'stock_health snapshot%'");
    assertEquals(rewrites.toString(), 3, rewrites.size());
    // Two rewrites can run at once; they take turns on the date's lock, so the log's order may
    // differ from the panes'. Sorted by pane: 2 files (batch_size), 4 (batch_size), then 5 or 6
    // (the master may have fed the date as a sixth file, which fills the third batch).
    String[] panes = new String[3];
    for (String line : rewrites) {
      Matcher m = REWRITE.matcher(line);
      assertThat(line, m.matches());
      panes[Integer.parseInt(m.group(3)) - 1] = m.group(2) + " files, " + m.group(4);
    }
    assertEquals("2 files, batch_size new files", panes[0]);
    assertEquals("4 files, batch_size new files", panes[1]);
    assertThat(
        panes[2],
        panes[2].equals("5 files, no more files")
            || panes[2].equals("6 files, batch_size new files"));
    // The snapshot left behind is the complete one: the five stores, one CSV row each.
    List<String> csv = Files.readAllLines(out.resolve("20241204.csv"));
    assertEquals(csv.toString(), 6, csv.size());
    assertThat(csv.get(5), containsString("2024-12-04,S05,A1,Widget,Acme,50,"));
    assertEquals(5L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));
    // worker_count = 1: the six files were read one after another, never two at once, although
    // the direct profile runs two threads.
    assertEquals(
        6L, TestDatabase.count("SELECT count(*) FROM ops.file_jobs WHERE status = 'completed'"));
    assertEquals(
        0L,
        TestDatabase.count(
            "SELECT count(*) FROM ops.file_jobs a JOIN ops.file_jobs b ON a.job_id < b.job_id"
                + " WHERE a.started_at < b.updated_at AND b.started_at < a.updated_at"));
  }

  /**
   * A run that read the files into silver and ended before rewriting the date (as a run killed
   * between the two does; here a silver-only run leaves the same state) leaves the date owing a
   * rewrite: the next run rewrites it first, even a continuous one whose poll finds nothing new.
   */
  @Test
  public void aDateLeftOwingARewriteIsRewrittenByTheNextRun() throws Exception {
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    SampleWorkbooks.suppliers(
        in, LocalDate.of(2024, 12, 1), List.of(row("A1", "Acme", 7, 10, 6, 2.5)));
    SampleWorkbooks.stock(in, "S01", DAY, List.of(row("A1", "Widget", 30, 0, 28)));
    CapturedRun.Result silverOnly =
        StockHealthEndToEndTest.run(
            "run",
            "stock_health",
            "--source",
            in.toString(),
            "--layers",
            "silver",
            "--output-dir",
            out.toString());
    assertEquals(silverOnly.errors(), 0, silverOnly.exitCode());
    assertEquals(0L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));
    assertEquals(
        List.of("2024-12-04|true"),
        TestDatabase.rows(
            "SELECT business_date || '|' || dirty FROM ops.snapshot_dates"
                + " WHERE pipeline = 'stock_health'"));

    CapturedRun.Result next =
        StockHealthEndToEndTest.run(
            "run",
            "stock_health",
            "--source",
            in.toString(),
            "--continuous",
            "--poll-interval",
            "1s",
            "--max-polls",
            "1",
            "--output-dir",
            out.toString());
    assertEquals(next.errors(), 0, next.exitCode());
    assertThat(next.output(), containsString("did not rewrite: 2024-12-04"));
    // no file was read again (both were seen, completed), yet the date is in gold and the CSV:
    // S01 30 on hand, avg 1, cover 30, rp 14: healthy, 75.00
    assertEquals(2L, TestDatabase.count("SELECT count(*) FROM ops.file_jobs"));
    assertEquals(
        "2024-12-04,S01,A1,Widget,Acme,30,0,28,1.0000,30.0,14.00,0,75.00,healthy",
        Files.readAllLines(out.resolve("20241204.csv")).get(1));
    assertEquals(
        List.of("2024-12-04|false"),
        TestDatabase.rows(
            "SELECT business_date || '|' || dirty FROM ops.snapshot_dates"
                + " WHERE pipeline = 'stock_health'"));
  }
}

package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.platform.example.DailyPipeline;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code medallion backfill} through the real CLI on the test-only daily pipeline (one file of
 * amounts per date summed into gold.daily_totals), against a real PostgreSQL: a range with one
 * failed date, one missing date (its file had not arrived) and one whose gold rows went missing;
 * {@code --only-failed} and {@code --only-missing} run exactly those dates.
 */
public class BackfillTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path days;

  @Before
  public void clean() throws IOException {
    DailyPipeline.createTable(TestDatabase.target());
    TestDatabase.truncate(
        "gold.daily_totals",
        "ops.pipeline_runs",
        "ops.processing_status",
        "ops.quarantine",
        "ops.events",
        "ops.event_deliveries",
        "ops.data_quality_metrics",
        "ops.data_quality_checks");
    days = folder.newFolder("days").toPath();
  }

  @Test
  public void onlyFailedAndOnlyMissingRunExactlyThoseDates() throws IOException {
    day("2024-06-01", "1\n2\n"); // 3
    day("2024-06-02", "4\nboom\n"); // fails: not a number
    // 2024-06-03: its file has not arrived, so no run of it starts (missing)
    day("2024-06-04", "10\n"); // 10
    day("2024-06-05", "20\n22\n"); // 42

    CapturedRun.Result first = backfill("--from", "2024-06-01", "--to", "2024-06-05");
    assertEquals(first.output(), 1, first.exitCode());
    assertThat(first.output(), containsString("5 of 5 date(s) to run"));
    assertThat(first.output(), containsString("dates done 5 of 5"));
    assertThat(first.output(), containsString("2 failed (2024-06-02, 2024-06-03"));
    assertEquals(
        List.of(
            "2024-06-01|succeeded",
            "2024-06-02|failed",
            "2024-06-04|succeeded",
            "2024-06-05|succeeded"),
        runs());
    assertEquals(List.of("2024-06-01|3", "2024-06-04|10", "2024-06-05|42"), totals());

    // The cause fixed (02: 4 + 5 = 9), 03's file arrives (7), and 05's gold row is lost.
    day("2024-06-02", "4\n5\n");
    day("2024-06-03", "7\n");
    TestDatabase.execute("DELETE FROM gold.daily_totals WHERE business_date = '2024-06-05'");

    CapturedRun.Result failed =
        backfill("--from", "2024-06-01", "--to", "2024-06-05", "--only-failed");
    assertEquals(failed.output(), 0, failed.exitCode());
    assertThat(failed.output(), containsString("1 of 5 date(s) to run"));
    assertThat(failed.output(), containsString(": 2024-06-02\n"));
    assertThat(failed.output(), containsString("dates done 1 of 1 (2024-06-02 succeeded)"));
    assertEquals(
        List.of(
            "2024-06-01|succeeded",
            "2024-06-02|failed",
            "2024-06-02|succeeded",
            "2024-06-04|succeeded",
            "2024-06-05|succeeded"),
        runs());

    CapturedRun.Result missing =
        backfill("--from", "2024-06-01", "--to", "2024-06-05", "--only-missing");
    assertEquals(missing.output(), 0, missing.exitCode());
    assertThat(missing.output(), containsString("2 of 5 date(s) to run"));
    assertThat(missing.output(), containsString(": 2024-06-03, 2024-06-05\n"));
    assertThat(missing.output(), containsString("dates done 2 of 2 (2024-06-05 succeeded)"));
    assertEquals(
        List.of(
            "2024-06-01|succeeded",
            "2024-06-02|failed",
            "2024-06-02|succeeded",
            "2024-06-03|succeeded",
            "2024-06-04|succeeded",
            "2024-06-05|succeeded",
            "2024-06-05|succeeded"),
        runs());
    assertEquals(
        List.of("2024-06-01|3", "2024-06-02|9", "2024-06-03|7", "2024-06-04|10", "2024-06-05|42"),
        totals());

    // Every date succeeded and has its row: nothing to run, unless forced.
    CapturedRun.Result none = backfill("--from", "2024-06-01", "--to", "2024-06-05");
    assertEquals(0, none.exitCode());
    assertThat(none.output(), containsString("0 of 5 date(s) to run"));
    assertEquals(7, runs().size());
    CapturedRun.Result forced = backfill("--from", "2024-06-01", "--to", "2024-06-01", "--force");
    assertEquals(0, forced.exitCode());
    assertThat(forced.output(), containsString("dates done 1 of 1 (2024-06-01 succeeded)"));
    assertEquals(
        2,
        TestDatabase.count(
            "SELECT count(*) FROM ops.pipeline_runs WHERE business_date = '2024-06-01'"));
  }

  @Test
  public void badUsageStartsNothing() {
    assertEquals(
        2,
        backfill("--from", "2024-06-01", "--to", "2024-06-02", "--only-missing", "--only-failed")
            .exitCode());
    assertEquals(
        2,
        backfill("--from", "2024-06-01", "--to", "2024-06-02", "--force", "--only-failed")
            .exitCode());
    assertEquals(2, backfill("--from", "2024-06-02", "--to", "2024-06-01").exitCode());
    assertEquals(2, backfill("--from", "June", "--to", "2024-06-01").exitCode());
    List<String> readings = new ArrayList<>(List.of("backfill", "readings"));
    readings.addAll(List.of("--from", "2024-06-01", "--to", "2024-06-01"));
    CapturedRun.Result notDaily = CapturedRun.execute(withDatabase(readings));
    assertEquals(2, notDaily.exitCode());
    assertThat(notDaily.errors(), containsString("does not support business dates"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
  }

  private void day(String date, String amounts) throws IOException {
    Files.writeString(days.resolve(date + ".csv"), amounts);
  }

  private static List<String> runs() {
    return TestDatabase.rows(
        "SELECT business_date, status FROM ops.pipeline_runs WHERE pipeline = 'daily'"
            + " ORDER BY business_date, started_at");
  }

  private static List<String> totals() {
    return TestDatabase.rows("SELECT business_date, total FROM gold.daily_totals ORDER BY 1");
  }

  private CapturedRun.Result backfill(String... flags) {
    List<String> args = new ArrayList<>(List.of("backfill", "daily"));
    args.addAll(List.of(flags));
    args.add("--source=" + days);
    return CapturedRun.execute(withDatabase(args));
  }

  private static List<String> withDatabase(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return all;
  }
}

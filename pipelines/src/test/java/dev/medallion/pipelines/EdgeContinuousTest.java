package dev.medallion.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.RunContext;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Continuous mode on DirectRunner against a real PostgreSQL: files are dropped into the landing
 * folder while the unbounded pipeline runs, and gold follows. Expected rows are worked out by hand
 * from the files below. Waits are bounded and poll the database; nothing sleeps.
 */
public class EdgeContinuousTest {
  private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(90);
  private static final String GOLD =
      "SELECT store_id, transaction_date, transaction_count, active_devices, total_revenue,"
          + " avg_transaction_value, most_common_payment FROM gold.store_daily_summary ORDER BY 1, 2";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;
  private Path staging;

  @Before
  public void cleanDatabase() throws IOException {
    TestDatabase.truncate(EdgeEndToEndTables.ALL);
    landing = folder.newFolder("landing").toPath();
    staging = folder.newFolder("staging").toPath();
  }

  @Test
  public void goldFollowsFilesAsTheyLandAndALateFileUpdatesItsEarlierDay() throws IOException {
    PipelineResult run = start();
    try {
      // Friday 2024-06-21 at S9: 10.00 cash (d1) + 20.00 card (d1) -> 2 sales, 1 device, 30.00, avg
      // 15.0000, tie -> card.
      land(
          "d1_0900.json",
          "2024-06-21T09:05:00Z",
          sale("C1", "d1", "2024-06-21T09:00:00Z", "10.00", "cash"),
          sale("C2", "d1", "2024-06-21T09:01:00Z", "20.00", "card"));
      awaitGold(run, List.of("S9|2024-06-21|2|1|30.00|15.0000|card"));

      // More of that day (5.00 cash, d2) and the next day (7.00 card, d2):
      // 21st -> 3 sales, 2 devices, 35.00, avg 11.6667, cash 2 : card 1 -> cash; 22nd -> 1 sale,
      // 7.00.
      land(
          "d2_1000.json",
          "2024-06-22T10:05:00Z",
          sale("C3", "d2", "2024-06-21T18:00:00Z", "5.00", "cash"),
          sale("C4", "d2", "2024-06-22T10:00:00Z", "7.00", "card"));
      awaitGold(
          run,
          List.of("S9|2024-06-21|3|2|35.00|11.6667|cash", "S9|2024-06-22|1|1|7.00|7.0000|card"));

      // A late file from a device that was offline: a sale on the 20th, one more on the 21st (2.00
      // mobile, d3)
      // and C1 again, which the first file already holds -> quarantined as a duplicate.
      land(
          "d3_offline.json",
          "2024-06-22T12:00:00Z",
          sale("C5", "d3", "2024-06-20T08:00:00Z", "4.50", "card"),
          sale("C6", "d3", "2024-06-21T20:00:00Z", "2.00", "mobile"),
          sale("C1", "d3", "2024-06-21T09:00:00Z", "10.00", "cash"));
      awaitGold(
          run,
          List.of(
              "S9|2024-06-20|1|1|4.50|4.5000|card",
              "S9|2024-06-21|4|3|37.00|9.2500|cash",
              "S9|2024-06-22|1|1|7.00|7.0000|card"));

      assertEquals(
          List.of(
              "silver|d3_offline.json|2|duplicate transaction_id C1: already taken from "
                  + landing.resolve("d1_0900.json")),
          TestDatabase.rows(
              "SELECT step, regexp_replace(file_path, '^.*/', ''), record_index, reason FROM silver.edge_quarantine"));
      assertEquals(
          List.of("processed|6", "quarantined|1"),
          TestDatabase.rows(
              "SELECT processing_status, count(*) FROM bronze.edge_raw GROUP BY 1 ORDER BY 1"));
      await(
          run,
          () -> "all three files moved to processed/",
          () ->
              Files.exists(landing.resolve("processed/20240622/d3_offline.json"))
                  && Files.exists(landing.resolve("processed/20240621/d1_0900.json"))
                  && Files.exists(landing.resolve("processed/20240622/d2_1000.json")));
    } finally {
      cancel(run);
    }
  }

  @Test
  public void aRestartPicksUpWhatLandedWhileStoppedWithoutDuplicates() throws IOException {
    PipelineResult first = start();
    try {
      land(
          "d1_a.json",
          "2024-06-21T09:05:00Z",
          sale("R1", "d1", "2024-06-21T09:00:00Z", "10.00", "cash"));
      awaitGold(first, List.of("S9|2024-06-21|1|1|10.00|10.0000|cash"));
    } finally {
      cancel(first);
    }
    // While stopped: a new file, and the first file dropped again (same content, same checksum).
    land(
        "d1_b.json",
        "2024-06-21T10:05:00Z",
        sale("R2", "d1", "2024-06-21T10:00:00Z", "6.00", "card"));
    land(
        "d1_a_again.json",
        "2024-06-21T11:00:00Z",
        sale("R1", "d1", "2024-06-21T09:00:00Z", "10.00", "cash"));
    PipelineResult second = start();
    try {
      awaitGold(second, List.of("S9|2024-06-21|2|1|16.00|8.0000|card"));
      assertEquals(
          List.of("R1|1", "R2|1"),
          TestDatabase.rows(
              "SELECT transaction_id, count(*) FROM silver.edge_transactions GROUP BY 1 ORDER BY 1"));
      await(
          second,
          () -> "the re-sent file moved without a second bronze copy",
          () -> Files.exists(landing.resolve("processed/20240621/d1_a_again.json")));
      assertEquals(2, TestDatabase.count("SELECT count(*) FROM bronze.edge_raw"));
    } finally {
      cancel(second);
    }
  }

  private PipelineResult start() {
    JdbcTarget target = TestDatabase.target();
    EdgeOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--targetParallelism=2",
                "--pollIntervalSeconds=1",
                "--goldUpdateDelaySeconds=1")
            .as(EdgeOptions.class);
    options.setRunId("continuous-test");
    Pipeline pipeline = Pipeline.create(options);
    RunContext context =
        new RunContext(
            EdgePipeline.NAME,
            "continuous-test",
            target,
            new EdgePipeline().continuousLayers(),
            Mode.INCREMENTAL,
            HttpClientConfiguration.create());
    EdgePipeline.buildContinuous(
        pipeline, options, context, FileSystemLandingZone.at(landing.toString()));
    return pipeline.run();
  }

  private static void cancel(PipelineResult run) throws IOException {
    run.cancel();
    run.waitUntilFinish(org.joda.time.Duration.standardSeconds(30));
  }

  /**
   * Writes the file beside the landing folder, then moves it in whole, as an upload would appear.
   */
  private void land(String name, String landedAt, String... records) throws IOException {
    Path file = staging.resolve(name);
    Files.writeString(file, "[\n" + String.join(",\n", records) + "\n]\n", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse(landedAt)));
    Files.move(file, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sale(
      String id, String device, String timestamp, String amount, String payment) {
    return String.format(
        "{\"device_id\": \"%s\", \"transaction_id\": \"%s\", \"store_id\": \"S9\", \"timestamp\": \"%s\","
            + " \"amount\": \"%s\", \"currency\": \"USD\", \"payment_method\": \"%s\"}",
        device, id, timestamp, amount, payment);
  }

  private static void awaitGold(PipelineResult run, List<String> expected) {
    await(
        run,
        () -> "gold = " + expected + " (last seen " + TestDatabase.rows(GOLD) + ")",
        () -> expected.equals(TestDatabase.rows(GOLD)));
    assertEquals(expected, TestDatabase.rows(GOLD));
  }

  /**
   * Polls until the condition holds, up to {@link #PATIENCE} by the clock. Between polls it waits
   * on the pipeline itself, so a pipeline that fails ends the wait with its error at once.
   */
  private static void await(
      PipelineResult run, Supplier<String> what, Supplier<Boolean> condition) {
    Clock clock = Clock.systemUTC();
    Instant deadline = clock.instant().plus(PATIENCE);
    while (!condition.get()) {
      if (!clock.instant().isBefore(deadline)) {
        fail("Timed out after " + PATIENCE + " waiting for " + what.get());
      }
      PipelineResult.State state = run.waitUntilFinish(org.joda.time.Duration.millis(250));
      if (state != null && state.isTerminal()) {
        fail("The pipeline stopped (" + state + ") while waiting for " + what.get());
      }
    }
  }
}

package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The edge pipeline through the real CLI entry point, against a real PostgreSQL, over a small
 * fixture (src/test/resources/edge-small) whose gold and platinum values were worked out by hand.
 * Subclasses choose the runner profile, so the same scenario runs on DirectRunner and on Flink.
 */
public abstract class EdgeEndToEndTestBase {
  static final String[] TABLES = dev.medallion.pipelines.EdgeEndToEndTables.ALL;

  /** Landing times: a.json lands first, so its T1 wins over the duplicate in c.jsonl. */
  static final Map<String, String> LANDED_AT =
      Map.of(
          "a.json",
          "2024-06-24T12:00:00Z",
          "b.csv",
          "2024-06-24T12:05:00Z",
          "c.jsonl",
          "2024-06-24T12:10:00Z",
          "broken.json",
          "2024-06-24T12:15:00Z",
          "empty.json",
          "2024-06-24T12:15:00Z",
          "missing-amount.csv",
          "2024-06-24T12:15:00Z");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  Path landing;
  String lastOutput = "";

  protected abstract String profile();

  @Before
  public void cleanDatabaseAndLandFiles() throws IOException {
    TestDatabase.truncate(TABLES);
    landing = folder.newFolder("landing").toPath();
    landFixtureFiles();
  }

  void landFixtureFiles() throws IOException {
    for (Map.Entry<String, String> file : LANDED_AT.entrySet()) {
      try (InputStream in =
          getClass().getClassLoader().getResourceAsStream("edge-small/" + file.getKey())) {
        Path target = landing.resolve(file.getKey());
        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse(file.getValue())));
      }
    }
  }

  int runEdge(String... extra) {
    return execute(edgeArgs(landing, profile(), extra));
  }

  /** The arguments of {@code medallion run edge} over {@code landing} against the test database. */
  static List<String> edgeArgs(Path landing, String profile, String... extra) {
    JdbcTarget target = TestDatabase.target();
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "edge",
                "--source",
                landing.toString(),
                "--jdbc-url",
                target.url(),
                "--jdbc-user",
                "postgres",
                "--profile",
                profile));
    args.addAll(List.of(extra));
    return args;
  }

  /**
   * Runs the CLI with these arguments (the password comes separately), keeping its output in
   * lastOutput.
   */
  protected int execute(List<String> args) {
    CapturedRun.Result run = withPassword(args);
    lastOutput = run.output();
    return run.exitCode();
  }

  /** Runs the CLI in this JVM with these arguments and the test database's password. */
  static CapturedRun.Result withPassword(List<String> args) {
    List<String> withPassword = new ArrayList<>(args);
    withPassword.add("--jdbc-password=postgres");
    return CapturedRun.execute(withPassword);
  }

  @Test
  public void landsEveryLayerWithHandComputedValues() {
    assertEquals(0, runEdge("--as-of", "2024-06-24"));

    // S1 on 2024-06-17: only T1 (T2 is 23:30 at -02:00, i.e. 01:30 UTC on the 18th).
    // S1 on 2024-06-18: T2 20.00 cash d1, T3 30.00 cash d1, T4 5.50 card d2 -> 3 sales, 2 devices,
    //   55.50, avg 18.5000, mode cash, first 01:30, last 12:00.
    // S2 on 2024-06-22: T5 7.25 card d2, T7 2.75 mobile d3 -> 10.00, avg 5.0000, card/mobile tie ->
    // card.
    // S2 on 2024-06-24: T8 100.00 cash d3.
    assertEquals(
        List.of(
            "S1|2024-06-17|1|1|10.00|10.0000|card|2024-06-17 10:00:00+00|2024-06-17 10:00:00+00",
            "S1|2024-06-18|3|2|55.50|18.5000|cash|2024-06-18 01:30:00+00|2024-06-18 12:00:00+00",
            "S2|2024-06-22|2|2|10.00|5.0000|card|2024-06-22 08:00:00+00|2024-06-22 09:00:00+00",
            "S2|2024-06-24|1|1|100.00|100.0000|cash|2024-06-24 10:00:00+00|2024-06-24 10:00:00+00"),
        TestDatabase.rows(
            "SELECT store_id, transaction_date, transaction_count, active_devices, total_revenue,"
                + " avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time"
                + " FROM gold.store_daily_summary ORDER BY 1, 2"));

    // S1: days with 1 and 3 sales -> mean 2, sample stddev sqrt(((1-2)^2 + (3-2)^2) / 1) = sqrt(2),
    //   revenue (10.00 + 55.50) / 2 = 32.7500, both weekdays (Mon, Tue), no weekend.
    // S2: Saturday 2 sales, Monday 1 -> mean 1.5, stddev sqrt(0.5), revenue (10 + 100) / 2 =
    // 55.0000,
    //   weekday 1, weekend 2.
    assertEquals(
        List.of(
            "S1|2024-06-24|2024-03-27|2|2|1.4142135623731|32.7500|2|2|null",
            "S2|2024-06-24|2024-03-27|2|1.5|0.707106781186548|55.0000|1.5|1|2"),
        TestDatabase.rows(
            "SELECT store_id, as_of_date, window_start, days_with_data, avg_daily_transactions,"
                + " round(stddev_daily_transactions::numeric, 15)::float8, avg_daily_revenue, ma7_transactions, weekday_avg, weekend_avg"
                + " FROM platinum.store_features ORDER BY 1"));

    assertEquals(
        List.of(
            "bronze|broken.json|-1|malformed JSON",
            "bronze|empty.json|-1|file is empty",
            "silver|b.csv|2|amount 'abc' is not a number",
            "silver|c.jsonl|2|timestamp '2024-06-24 10:05' is not ISO-8601",
            "silver|c.jsonl|3|duplicate transaction_id T1: already taken from "
                + landing.resolve("a.json"),
            "silver|missing-amount.csv|0|amount is missing or empty"),
        TestDatabase.rows(
            "SELECT step, regexp_replace(file_path, '^.*/', ''), record_index,"
                + " CASE WHEN reason LIKE 'malformed JSON%' THEN 'malformed JSON'"
                + " WHEN reason LIKE 'timestamp%' THEN substring(reason from '^timestamp ''[^'']*'' is not ISO-8601')"
                + " ELSE reason END FROM silver.edge_quarantine ORDER BY 1, 2, 3"));

    // 11 readable records: 7 land in silver, 4 are quarantined by silver.
    assertEquals(
        List.of("processed|7", "quarantined|4"),
        TestDatabase.rows(
            "SELECT processing_status, count(*) FROM bronze.edge_raw GROUP BY 1 ORDER BY 1"));
    assertEquals(
        "1.4.2",
        TestDatabase.rows(
                "SELECT full_payload->>'firmware' FROM silver.edge_transactions WHERE transaction_id = 'T3'")
            .get(0));

    assertTrue(Files.exists(landing.resolve("processed/20240624/a.json")));
    assertTrue(Files.exists(landing.resolve("processed/20240624/missing-amount.csv")));
    assertTrue(Files.exists(landing.resolve("quarantine/20240624/broken.json")));
    assertTrue(Files.exists(landing.resolve("quarantine/20240624/empty.json")));
    assertEquals(0, countFilesDirectlyIn(landing));

    assertThat(lastOutput, containsString("bronze   | 13 | 11  | 2"));
    assertThat(lastOutput, containsString("silver   | 11 | 7   | 4"));
    assertThat(lastOutput, containsString("gold     | 7  | 4   | 0"));
    assertThat(lastOutput, containsString("platinum | 4  | 2   | 0"));
    assertEquals(
        List.of(
            "succeeded|{\"gold\": {\"in\": 7, \"out\": 4, \"quarantined\": 0}, \"bronze\": {\"in\": 13, \"out\": 11,"
                + " \"quarantined\": 2}, \"silver\": {\"in\": 11, \"out\": 7, \"quarantined\": 4}, \"platinum\": {\"in\": 4, \"out\": 2,"
                + " \"quarantined\": 0}}"),
        TestDatabase.rows("SELECT status, layer_records FROM ops.pipeline_runs"));
    assertEquals(
        List.of(
            "bronze.edge_raw|bronze|completed|11",
            "gold.store_daily_summary|gold|completed|4",
            "platinum.store_features|platinum|completed|2",
            "silver.edge_transactions|silver|completed|7"),
        TestDatabase.rows(
            "SELECT table_name, layer, status, records_processed FROM ops.processing_status ORDER BY 1"));
  }

  @Test
  public void goldAgreesWithTheSeedsSqlOverSilver() {
    assertEquals(0, runEdge("--as-of", "2024-06-24"));
    // The same summary computed a second way: src/docs/seeds/edge-device-medallion.md's dbt model,
    // in PostgreSQL.
    assertEquals(
        TestDatabase.rows(
            "SELECT store_id, (transaction_timestamp AT TIME ZONE 'UTC')::date, count(DISTINCT transaction_id),"
                + " count(DISTINCT device_id), sum(amount), round(avg(amount), 4),"
                + " mode() WITHIN GROUP (ORDER BY payment_method), min(transaction_timestamp), max(transaction_timestamp)"
                + " FROM silver.edge_transactions GROUP BY 1, 2 ORDER BY 1, 2"),
        TestDatabase.rows(
            "SELECT store_id, transaction_date, transaction_count, active_devices, total_revenue,"
                + " avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time"
                + " FROM gold.store_daily_summary ORDER BY 1, 2"));
  }

  @Test
  public void aSecondRunOverTheSameFilesChangesNothing() throws IOException {
    assertEquals(0, runEdge("--as-of", "2024-06-24"));
    List<String> before = snapshot();
    landFixtureFiles();
    assertEquals(0, runEdge("--as-of", "2024-06-24"));
    assertEquals(before, snapshot());
    assertThat(lastOutput, containsString("already in bronze"));
    assertEquals(0, countFilesDirectlyIn(landing));
  }

  /** Every data table, every column, in a fixed order. */
  static List<String> snapshot() {
    List<String> rows = new ArrayList<>();
    rows.addAll(TestDatabase.rows("SELECT * FROM bronze.edge_raw ORDER BY id"));
    rows.addAll(
        TestDatabase.rows("SELECT * FROM silver.edge_transactions ORDER BY transaction_id"));
    rows.addAll(
        TestDatabase.rows(
            "SELECT * FROM silver.edge_quarantine ORDER BY step, file_path, record_index"));
    rows.addAll(
        TestDatabase.rows(
            "SELECT * FROM gold.store_daily_summary ORDER BY store_id, transaction_date"));
    rows.addAll(
        TestDatabase.rows("SELECT * FROM platinum.store_features ORDER BY store_id, as_of_date"));
    return rows;
  }

  static long countFilesDirectlyIn(Path folder) {
    try (var files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

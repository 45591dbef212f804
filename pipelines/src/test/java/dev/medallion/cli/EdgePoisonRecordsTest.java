package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 10 item 2 through the real CLI on DirectRunner: records that parse but that PostgreSQL
 * would refuse no longer fail every run. Each is quarantined with its reason (before the sink where
 * it can be told, by the sink otherwise), the good records of the same file land in every layer,
 * and the run succeeds.
 */
public class EdgePoisonRecordsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  private static String record(String transactionId, String storeId, String timestamp) {
    return "{\"device_id\": \"d1\", \"transaction_id\": \""
        + transactionId
        + "\", \"store_id\": \""
        + storeId
        + "\", \"timestamp\": \""
        + timestamp
        + "\", \"amount\": 10.00, \"payment_method\": \"cash\"}";
  }

  @Before
  public void landAFileWithPoisonRecords() throws IOException {
    TestDatabase.truncate(dev.medallion.pipelines.EdgeEndToEndTables.ALL);
    TestDatabase.execute("TRUNCATE ops.quarantine");
    landing = folder.newFolder("landing").toPath();
    List<String> lines =
        List.of(
            record("P1", "S9", "2024-06-20T10:00:00Z"),
            record("t".repeat(10_000), "S9", "2024-06-20T10:01:00Z"),
            record("P3", "s".repeat(10_000), "2024-06-20T10:02:00Z"),
            record("P4", "S9", "+10000-01-01T00:00:00Z"),
            record("P5", "S9", "-0001-06-18T10:02:11Z"),
            record("P6", "S9", "+999999999-12-31T00:00:00Z"),
            // Reads as JSON, but PostgreSQL text and jsonb cannot hold the character.
            record("P7", "S\\u00009", "2024-06-20T10:03:00Z"),
            record("P8", "S9", "2024-06-20T11:00:00Z"));
    Path file = landing.resolve("poison.jsonl");
    Files.write(file, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-06-24T12:00:00Z")));
  }

  /** The runner profile; {@link EdgePoisonRecordsFlinkTest} runs the same case on Flink. */
  protected String profile() {
    return "direct";
  }

  private int runEdge() {
    CapturedRun.Result run =
        EdgeEndToEndTestBase.withPassword(
            EdgeEndToEndTestBase.edgeArgs(landing, profile(), "--as-of", "2024-06-24"));
    assertEquals(run.output(), 0, run.exitCode());
    return run.exitCode();
  }

  @Test
  public void poisonRecordsAreQuarantinedAndTheRestOfTheFileLandsInEveryLayer() {
    runEdge();

    assertEquals(
        List.of("P1|S9", "P8|S9"),
        TestDatabase.rows(
            "SELECT transaction_id, store_id FROM silver.edge_transactions ORDER BY 1"));
    // P1 and P8: 2 sales of 10.00 on the 20th.
    assertEquals(
        List.of("S9|2024-06-20|2|20.00"),
        TestDatabase.rows(
            "SELECT store_id, transaction_date, transaction_count, total_revenue"
                + " FROM gold.store_daily_summary"));
    assertEquals(
        List.of(
            "bronze|6|invalid_value|field store_id holds the character U+0000 (NUL) at position 2,"
                + " which PostgreSQL text cannot store",
            "silver|1|invalid_value|transaction_id is 10000 characters long; a key holds at most"
                + " 255",
            "silver|2|invalid_value|store_id is 10000 characters long; a key holds at most 255",
            "silver|3|invalid_value|timestamp '+10000-01-01T00:00:00Z' is outside the years 0001 to"
                + " 9999 (UTC)",
            "silver|4|invalid_value|timestamp '-0001-06-18T10:02:11Z' is outside the years 0001 to"
                + " 9999 (UTC)",
            "silver|5|invalid_value|timestamp '+999999999-12-31T00:00:00Z' is outside the years"
                + " 0001 to 9999 (UTC)"),
        TestDatabase.rows(
            "SELECT layer, record_index, error_class, reason FROM ops.quarantine"
                + " WHERE pipeline = 'edge' ORDER BY layer, record_index"));
    // The bronze row keeps its record, NUL escape and all, for people to read.
    assertTrue(
        TestDatabase.rows("SELECT payload FROM ops.quarantine WHERE layer = 'bronze'")
            .get(0)
            .contains("\"P7\""));
    assertEquals(
        List.of("processed|2", "quarantined|5"),
        TestDatabase.rows(
            "SELECT processing_status, count(*) FROM bronze.edge_raw GROUP BY 1 ORDER BY 1"));
    assertTrue(Files.exists(landing.resolve("processed/20240624/poison.jsonl")));
    assertEquals(
        List.of(
            "succeeded|{\"gold\": {\"in\": 2, \"out\": 1, \"quarantined\": 0}, \"bronze\": {\"in\": 8,"
                + " \"out\": 7, \"quarantined\": 1}, \"silver\": {\"in\": 7, \"out\": 2,"
                + " \"quarantined\": 5}, \"platinum\": {\"in\": 1, \"out\": 1, \"quarantined\": 0}}"),
        TestDatabase.rows("SELECT status, layer_records FROM ops.pipeline_runs"));
  }
}

package dev.medallion.cli;

import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Gold's incremental watermark cannot skip a silver row that an overlapping writer commits after an
 * incremental gold run has read silver: the next incremental run summarizes its day.
 */
public class GoldWatermarkTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  @Before
  public void cleanDatabaseAndLandAFile() throws IOException {
    landing = ChildCli.landFileA(folder);
  }

  @Test
  public void aSilverRowCommittedAfterAnIncrementalGoldReadIsSummarizedByTheNextOne()
      throws Exception {
    assertEquals(0, runEdge("bronze,silver,gold"));
    // a.json: S1 has T1 on the 17th and T2 (01:30 UTC), T3 on the 18th.
    assertEquals(List.of("S1|2024-06-17|1|10.00", "S1|2024-06-18|2|50.00"), goldRows());

    try (Connection writer =
        DriverManager.getConnection(TestDatabase.target().url(), "postgres", "postgres")) {
      writer.setAutoCommit(false);
      try (Statement insert = writer.createStatement()) {
        // Another writer's silver row for a new store-day, not yet committed while gold reads.
        insert.executeUpdate(
            "INSERT INTO silver.edge_transactions (transaction_id, store_id, device_id,"
                + " transaction_timestamp, amount, currency, payment_method, full_payload, bronze_id,"
                + " file_path, ingested_at) VALUES ('LATE1', 'S9', 'd9', '2024-06-20T10:00:00Z', 12.34,"
                + " 'USD', 'card', '{}'::jsonb, gen_random_uuid(), 'late.json', now())");
      }
      assertEquals(0, runEdge("gold"));
      assertEquals(
          "gold cannot see an uncommitted row",
          List.of("S1|2024-06-17|1|10.00", "S1|2024-06-18|2|50.00"),
          goldRows());
      writer.commit();
    }

    assertEquals(0, runEdge("gold"));
    assertEquals(
        List.of("S1|2024-06-17|1|10.00", "S1|2024-06-18|2|50.00", "S9|2024-06-20|1|12.34"),
        goldRows());
    assertEquals(
        "a later incremental gold run with nothing new reads no silver row", 0, runEdge("gold"));
    assertEquals(
        List.of("0"),
        TestDatabase.rows(
            "SELECT layer_records->'gold'->>'in' FROM ops.pipeline_runs ORDER BY started_at DESC LIMIT 1"));
  }

  private int runEdge(String layers) {
    return EdgeEndToEndTestBase.withPassword(
            EdgeEndToEndTestBase.edgeArgs(landing, "direct", "--layers", layers))
        .exitCode();
  }

  private static List<String> goldRows() {
    return TestDatabase.rows(
        "SELECT store_id, transaction_date, transaction_count, total_revenue"
            + " FROM gold.store_daily_summary ORDER BY 1, 2");
  }
}

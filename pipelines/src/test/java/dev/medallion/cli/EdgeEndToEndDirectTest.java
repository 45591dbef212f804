package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import java.util.List;
import org.junit.Test;

/** The end-to-end scenario on DirectRunner, plus layer-only runs, failures and recovery. */
public class EdgeEndToEndDirectTest extends EdgeEndToEndTestBase {
  @Override
  protected String profile() {
    return "direct";
  }

  @Test
  public void platinumAloneRecomputesFeaturesAsOfAnotherDayFromGold() {
    assertEquals(0, runEdge("--as-of", "2024-06-24"));
    assertEquals(0, runEdge("--layers", "platinum", "--as-of", "2024-06-22"));
    // As of the 22nd, S2 has only Saturday (2 sales): one day, no stddev, no weekday.
    assertEquals(
        List.of("S1|2|2|2|null", "S2|1|2|null|2"),
        TestDatabase.rows(
            "SELECT store_id, days_with_data, ma7_transactions, weekday_avg, weekend_avg"
                + " FROM platinum.store_features WHERE as_of_date = '2024-06-22' ORDER BY 1"));
  }

  @Test
  public void bronzeOnlyLeavesRowsPendingAndSilverOnlyPicksThemUp() {
    assertEquals(0, runEdge("--layers", "bronze", "--as-of", "2024-06-24"));
    assertEquals(
        List.of("pending|11"),
        TestDatabase.rows("SELECT processing_status, count(*) FROM bronze.edge_raw GROUP BY 1"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.edge_transactions"));
    assertEquals(0, runEdge("--layers", "silver"));
    assertEquals(7, TestDatabase.count("SELECT count(*) FROM silver.edge_transactions"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM gold.store_daily_summary"));
    assertEquals(0, runEdge("--layers", "gold"));
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM gold.store_daily_summary"));
    // Nothing pending remains, so an incremental silver run reads nothing; a full one rereads all
    // 11.
    assertEquals(0, runEdge("--layers", "silver"));
    assertThat(lastOutput, containsString("silver | 0  | 0   | 0"));
    assertEquals(0, runEdge("--layers", "silver", "--mode", "full"));
    assertThat(lastOutput, containsString("silver | 11 | 7   | 4"));
  }

  @Test
  public void aFailingLayerExitsNonZeroAndTheNextRunRecovers() {
    // Not a refused row (that would be quarantined and the run succeed) but a write the database
    // cannot do right now: the run fails and the next one recovers.
    TestDatabase.execute(
        "CREATE OR REPLACE FUNCTION silver.test_small_amounts() RETURNS trigger AS $$ BEGIN"
            + " IF NEW.amount >= 50 THEN RAISE EXCEPTION 'test_small_amounts: not now %',"
            + " repeat('x', 10000) USING ERRCODE = '55000'; END IF; RETURN NEW; END $$"
            + " LANGUAGE plpgsql");
    TestDatabase.execute(
        "CREATE TRIGGER test_small_amounts BEFORE INSERT ON silver.edge_transactions"
            + " FOR EACH ROW EXECUTE FUNCTION silver.test_small_amounts()");
    try {
      assertEquals(1, runEdge("--as-of", "2024-06-24"));
      assertThat(lastOutput, containsString("The edge run failed"));
      assertThat(lastOutput, containsString("test_small_amounts"));
      assertThat(lastOutput, containsString("run the same command again"));
      // The error quotes 10,000 characters; no line of the output carries them whole.
      assertThat(lastOutput, not(containsString("x".repeat(1000))));
      assertEquals(List.of("failed"), TestDatabase.rows("SELECT status FROM ops.pipeline_runs"));
    } finally {
      TestDatabase.execute("DROP TRIGGER test_small_amounts ON silver.edge_transactions");
    }
    // Files whose records reached bronze were moved; the rerun picks up the pending bronze rows.
    assertEquals(0, runEdge("--as-of", "2024-06-24"));
    assertEquals(7, TestDatabase.count("SELECT count(*) FROM silver.edge_transactions"));
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM gold.store_daily_summary"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM platinum.store_features"));
  }

  @Test
  public void aMissingSourceFolderIsAUsageError() {
    int exit = runEdgeAt("/nonexistent/landing");
    assertEquals(2, exit);
  }

  @Test
  public void badFlagsAreUsageErrors() {
    assertEquals(2, runEdge("--layers", "bronze,diamond"));
    assertEquals(2, runEdge("--as-of", "24/06/2024"));
    assertEquals(2, runEdge("--mode", "sideways"));
    assertEquals(2, runEdge("--notABeamOption=1"));
    assertEquals(2, runEdge("--poll-interval", "30s"));
    assertEquals(2, runEdge("--continuous", "--layers", "gold"));
    assertEquals(2, runEdge("--continuous", "--mode", "full"));
    assertEquals(2, runEdge("--continuous", "--poll-interval", "soon"));
  }

  @Test
  public void continuousFlagsPassADryRun() {
    assertEquals(0, runEdge("--continuous", "--poll-interval", "2m", "--dry-run"));
    assertThat(lastOutput, containsString("polling every 120s"));
  }

  private int runEdgeAt(String source) {
    landing = java.nio.file.Paths.get(source);
    return runEdge();
  }
}

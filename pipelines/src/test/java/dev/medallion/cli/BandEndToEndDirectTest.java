package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The band scenario on DirectRunner, plus the seed's layer-only modes, a failing endpoint and usage
 * errors.
 */
public class BandEndToEndDirectTest extends BandEndToEndTestBase {
  @Override
  protected String profile() {
    return "direct";
  }

  @Test
  public void layerOnlyModesReadWhatTheLayerBeforeLeft() {
    assertEquals(0, runBand(api, "--mode-name", "bronze_only"));
    assertEquals(
        List.of("f|75"),
        TestDatabase.rows("SELECT is_processed, count(*) FROM bronze.band_raw GROUP BY 1"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.band_setlist_entries"));
    int requests = api.requests().size();

    // silver_only reads the pending bronze rows, never the API, and marks them processed.
    assertEquals(0, runBand(api, "--mode-name", "silver_only"));
    assertThat(lastOutput, containsString("silver | 75 | 68  | 0"));
    assertEquals(29, TestDatabase.count("SELECT count(*) FROM silver.band_setlist_entries"));
    assertEquals(
        List.of("t|75"),
        TestDatabase.rows("SELECT is_processed, count(*) FROM bronze.band_raw GROUP BY 1"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM gold.band_song_statistics"));
    // Nothing is pending any more: a second silver_only run reads nothing.
    assertEquals(0, runBand(api, "--mode-name", "silver_only"));
    assertThat(lastOutput, containsString("silver | 0  | 0   | 0"));

    // gold_only reads silver alone: a performance removed from silver is missing from gold.
    TestDatabase.execute("DELETE FROM silver.band_setlist_entries WHERE unique_id = '51218'");
    assertEquals(0, runBand(api, "--mode-name", "gold_only"));
    assertEquals(requests, api.requests().size());
    // Without S4's reprise Tumble has 4 performances and no longer closes a set.
    assertEquals(
        "418|Tumble|4|4|2020-03-11|2024-06-22|0|1.00|0|3|0|0",
        TestDatabase.rows(SONG_COLUMNS + " WHERE song_id = 418").get(0));
    assertEquals(
        List.of("bronze|1", "gold|1", "silver|2"),
        TestDatabase.rows(
            "SELECT layers, count(*) FROM ops.pipeline_runs WHERE status = 'succeeded' GROUP BY 1 ORDER BY 1"));
  }

  @Test
  public void anUnchangedRowIsNotStoredAgainAndAChangedOneGetsANewVersion() throws Exception {
    assertEquals(0, runBand(api));
    // 75 records reached silver and 68 rows left it: 7 performances came from both setlists and
    // latest and were merged, so silver in = silver out + quarantined + merged and every check of
    // this run holds.
    String lastRun =
        "(SELECT run_id FROM ops.pipeline_runs WHERE pipeline = 'band'"
            + " ORDER BY started_at DESC LIMIT 1)";
    assertEquals(
        7,
        TestDatabase.count(
            "SELECT (layer_records->'silver'->>'merged')::bigint FROM ops.pipeline_runs"
                + " WHERE run_id = "
                + lastRun));
    assertEquals(
        0,
        TestDatabase.count(
            "SELECT count(*) FROM ops.data_quality_checks WHERE NOT passed AND run_id = "
                + lastRun));
    assertEquals(
        1,
        TestDatabase.count(
            "SELECT count(*) FROM ops.data_quality_checks"
                + " WHERE check_name = 'silver_reconciliation' AND run_id = "
                + lastRun));
    String songs;
    try (var in =
        getClass().getClassLoader().getResourceAsStream("recordings/elgoose/songs.json")) {
      songs =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .replace("\"name\": \"Arrow\"", "\"name\": \"Arrow (Live)\"");
    }
    api.enqueue("GET", "/songs.json", ReplayHttpServer.status(200, songs, Map.of()));
    assertEquals(0, runBand(api));
    // Everything else came back unchanged: 75 bronze rows before, one new version now, and only it
    // went to silver.
    assertEquals(76, TestDatabase.count("SELECT count(*) FROM bronze.band_raw"));
    assertEquals(
        List.of("1|t", "2|t"),
        TestDatabase.rows(
            "SELECT version, is_processed FROM bronze.band_raw WHERE endpoint = 'songs' AND natural_key = '758' ORDER BY version"));
    assertThat(lastOutput, containsString("silver | 1  | 1   | 0"));
    // 75 fetched, 74 unchanged and not stored again: silver read the one new version.
    assertEquals(
        0,
        TestDatabase.count(
            "SELECT count(*) FROM ops.data_quality_checks WHERE NOT passed AND run_id = "
                + lastRun));
    assertEquals(
        "Arrow (Live)|2",
        TestDatabase.rows(
                "SELECT song_name, bronze_version FROM silver.band_songs WHERE song_id = 758")
            .get(0));
  }

  @Test
  public void aFailingEndpointDoesNotStopTheOthersAndTheRunExitsNonZeroNamingIt() {
    api.enqueue(
        "GET",
        "/links.json",
        ReplayHttpServer.status(
            200,
            "{\"error\": 1, \"error_message\": \"Invalid column requested\", \"data\": []}",
            Map.of()));
    assertEquals(1, runBand(api));
    assertThat(
        lastOutput,
        containsString(
            "links: DATA: GET /links.json returned an error envelope (error=1): Invalid column requested"));
    assertThat(lastOutput, containsString("The band run failed: endpoint(s) failed: links"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.band_links"));
    assertEquals(29, TestDatabase.count("SELECT count(*) FROM silver.band_setlist_entries"));
    assertEquals(14, TestDatabase.count("SELECT count(*) FROM gold.band_song_statistics"));
    assertEquals(
        List.of("bronze.band_raw[links]|failed|0", "bronze.band_raw[songs]|completed|14"),
        TestDatabase.rows(
            "SELECT table_name, status, records_processed FROM ops.processing_status"
                + " WHERE table_name IN ('bronze.band_raw[links]', 'bronze.band_raw[songs]') ORDER BY 1"));
    assertTrue(
        TestDatabase.rows(
                "SELECT error_message FROM ops.processing_status WHERE table_name = 'bronze.band_raw[links]'")
            .get(0)
            .contains("Invalid column requested"));
    assertEquals(
        List.of("failed|endpoint(s) failed: links"),
        TestDatabase.rows("SELECT status, error FROM ops.pipeline_runs"));

    // The API answers again: the next run fills the gap and changes nothing else.
    assertEquals(0, runBand(api));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM silver.band_links"));
    assertEquals(
        List.of("completed"),
        TestDatabase.rows("SELECT DISTINCT status FROM ops.processing_status"));
  }

  @Test
  public void badFlagsAreUsageErrorsAndDryRunTouchesNothing() {
    assertEquals(2, runBand(api, "--layers", "bronze,platinum"));
    assertEquals(2, runBand(api, "--mode-name", "sideways"));
    assertEquals(2, runBand(api, "--mode-name", "gold_only", "--layers", "gold"));
    assertEquals(2, runBand(api, "--endpoints", "setlists,albums"));
    assertEquals(2, runBand(api, "--record-limit", "0"));
    assertEquals(2, runBand(api, "--elgoose-base-url", "elgoose.net"));
    assertEquals(2, runBand(api, "--mode", "sideways"));
    assertEquals(
        0, runBand(api, "--dry-run", "--record-limit", "100", "--endpoints", "shows,setlists"));
    assertThat(
        lastOutput,
        containsString(
            "Plan: band pipeline, layers all, mode incremental, endpoints shows,setlists"));
    assertEquals(0, api.requests().size());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
    assertEquals(0, MedallionCli.execute("run", "band", "--help"));
  }
}

package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.FixtureHttpServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The band pipeline through the real CLI entry point, against a real PostgreSQL and the ElGoose API
 * replayed on loopback (the one ElGoose recording, io/src/main/resources/recordings/elgoose, which
 * the demo replays too). Gold values were worked out by hand. Subclasses choose the runner profile,
 * so the same scenario runs on DirectRunner and Flink.
 *
 * <p>The recording has four shows with setlists, in order: S1 2020-03-11 (Madison Theater, no
 * tour), S2 2024-06-08 (El Ganzo Oasis, no tour), S3 2024-06-21 and S4 2024-06-22 (Red Rocks,
 * Summer Tour 2024):
 *
 * <pre>
 * S1 set 1: Arcadia, Tumble, Time to Flee | encore: Elizabeth
 * S2 set 1: Hungersite, Arcadia (jam chart), Hot Tea | set 2: Tumble, Madhuvan | encore: All I Need
 * S3 set 1: Hungersite, Arcadia, Madhuvan (jc), Tomorrow Never Knows, Elizabeth
 *    set 2: Tumble, Time to Flee, Hot Tea (jc), All I Need, Turned Clouds | encore: Animal, Arrow
 * S4 set 1: Wysteria Lane, Into the Myst, Arrow (jc) | set 2: Tumble, Madhuvan, Tumble | encore: Turned Clouds
 * </pre>
 */
public abstract class BandEndToEndTestBase {
  static final String[] TABLES = {
    "bronze.band_raw",
    "silver.band_songs",
    "silver.band_shows",
    "silver.band_venues",
    "silver.band_setlist_entries",
    "silver.band_jamcharts",
    "silver.band_metadata",
    "silver.band_links",
    "silver.band_uploads",
    "silver.band_appearances",
    "silver.band_quarantine",
    "gold.band_song_statistics",
    "gold.band_show_summary",
    "gold.band_venue_statistics",
    "gold.band_yearly_summary",
    "gold.band_tour_summary",
    "ops.pipeline_runs",
    "ops.processing_status"
  };

  /**
   * song_id, name, times played, shows, debut, last played, current gap, average gap, jam charts,
   * openers, closers, encores.
   */
  static final String SONG_COLUMNS =
      "SELECT song_id, song_name, times_played, shows_played, debut_date, last_played,"
          + " current_gap, average_gap, jamchart_count, times_set_opener, times_set_closer, times_encore"
          + " FROM gold.band_song_statistics";

  ReplayHttpServer api;
  String lastOutput = "";

  protected abstract String profile();

  @Before
  public void cleanDatabase() {
    TestDatabase.truncate(TABLES);
    api = ReplayHttpServer.serving(DemoCommand.BAND_RECORDING);
  }

  @After
  public void stopServer() {
    api.close();
  }

  int runBand(ReplayHttpServer server, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "band",
                "--elgoose-base-url",
                server.baseUrl(),
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                profile()));
    args.addAll(List.of(extra));
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output();
    return run.exitCode();
  }

  @Test
  public void aCompleteRunLandsEveryLayerWithHandComputedGold() {
    assertEquals(0, runBand(api));

    // Bronze: 4 + 6 + 12 + 7 setlist rows, the 7 latest rows, and the whole small tables.
    assertEquals(
        List.of(
            "appearances|3",
            "jamcharts|3",
            "latest|7",
            "links|3",
            "metadata|2",
            "setlists|29",
            "shows|6",
            "songs|14",
            "uploads|2",
            "venues|6"),
        TestDatabase.rows(
            "SELECT endpoint, count(*) FROM bronze.band_raw WHERE is_processed GROUP BY 1 ORDER BY 1"));
    // Fields silver does not use stay in bronze.
    assertEquals(
        "Wednesday",
        TestDatabase.rows(
                "SELECT raw_data->>'show_dayname' FROM bronze.band_raw WHERE endpoint = 'shows' AND natural_key = '1594067578'")
            .get(0));

    // Silver: latest's rows are the same performances as 2024-06-22's, so 29 entries, not 36.
    assertEquals(
        List.of("29|4|14|6|6"),
        TestDatabase.rows(
            "SELECT (SELECT count(*) FROM silver.band_setlist_entries),"
                + " (SELECT count(DISTINCT show_id) FROM silver.band_setlist_entries), (SELECT count(*) FROM silver.band_songs),"
                + " (SELECT count(*) FROM silver.band_shows), (SELECT count(*) FROM silver.band_venues)"));
    // The traps: a sentinel created_at, a string show_id, a trailing carriage return, capacity 0,
    // track times.
    assertEquals(
        "null",
        TestDatabase.rows("SELECT created_at FROM silver.band_songs WHERE song_id = 400").get(0));
    assertEquals(
        "1707341123|poster",
        TestDatabase.rows(
                "SELECT show_id, upload_type FROM silver.band_uploads WHERE upload_id = 202")
            .get(0));
    assertEquals(
        "Drums",
        TestDatabase.rows(
                "SELECT appearance_type FROM silver.band_appearances WHERE person_id = 60")
            .get(0));
    assertEquals(
        "null",
        TestDatabase.rows("SELECT capacity FROM silver.band_venues WHERE venue_id = 401").get(0));
    // 51204 Tomorrow Never Knows lasted 6:02 = 362 s.
    assertEquals(
        "e|t|362|The Beatles. Goose debut.|f",
        TestDatabase.rows(
                "SELECT (SELECT set_number FROM silver.band_setlist_entries"
                    + " WHERE unique_id = '51211'), (SELECT is_encore FROM silver.band_setlist_entries WHERE unique_id = '51211'),"
                    + " track_time_seconds, footnote, is_jamchart FROM silver.band_setlist_entries WHERE unique_id = '51204'")
            .get(0));

    assertHandComputedGold();

    assertThat(lastOutput, containsString("bronze | 75 | 75  | 0"));
    assertThat(lastOutput, containsString("silver | 75 | 68  | 0"));
    assertEquals(
        List.of(
            "bronze.band_raw[setlists]|bronze|completed|29",
            "gold.band_song_statistics|gold|completed|14",
            "silver.band_setlist_entries|silver|completed|29"),
        TestDatabase.rows(
            "SELECT table_name, layer, status, records_processed FROM ops.processing_status"
                + " WHERE table_name IN ('bronze.band_raw[setlists]', 'silver.band_setlist_entries', 'gold.band_song_statistics')"
                + " ORDER BY 1"));
    // One row per endpoint (10), silver table (9) and gold table (5).
    assertEquals(
        24,
        TestDatabase.count(
            "SELECT count(*) FROM ops.processing_status WHERE status = 'completed'"));
  }

  /** Gold over the four shows S1..S4 (see the class comment). */
  static void assertHandComputedGold() {
    // Tumble: S1 (set 1, 2nd), S2 (opens set 2), S3 (opens set 2), S4 twice (opens and closes set
    // 2).
    //   5 performances at 4 shows; last played at S4, the latest show: gap 0; shows 1..4 -> (4 - 1)
    // / 3 = 1.00.
    // Arcadia: opens S1, S2 (jam chart), S3 at shows 1, 2, 3: gap 4 - 3 = 1, average (3 - 1) / 2 =
    // 1.00.
    // Elizabeth: S1 encore, closes set 1 of S3: shows 1 and 3, average 2.00, gap 1.
    // Hungersite: opens set 1 at S2 and S3: debut 2024-06-08, gap 1.
    // Tomorrow Never Knows: only S3, so no average gap.
    assertEquals(
        List.of(
            "403|Arcadia|3|3|2020-03-11|2024-06-21|1|1.00|1|1|0|0",
            "418|Tumble|5|4|2020-03-11|2024-06-22|0|1.00|0|3|1|0",
            "465|Elizabeth|2|2|2020-03-11|2024-06-21|1|2.00|0|0|1|1",
            "612|Hungersite|2|2|2024-06-08|2024-06-21|1|1.00|0|2|0|0",
            "881|Tomorrow Never Knows|1|1|2024-06-21|2024-06-21|1|null|0|0|0|0"),
        TestDatabase.rows(
            SONG_COLUMNS + " WHERE song_id IN (403, 418, 465, 612, 881) ORDER BY song_id"));
    assertEquals(14, TestDatabase.count("SELECT count(*) FROM gold.band_song_statistics"));

    // Debuts: S1 all 4 songs; S2 Hungersite, Hot Tea, Madhuvan, All I Need; S3 Tomorrow Never
    // Knows,
    // Turned Clouds, Animal, Arrow; S4 Wysteria Lane, Into the Myst.
    assertEquals(
        List.of(
            "1594067578|2020-03-11|Madison Theater|Not Part of a Tour|4|1|1|4|0",
            "1716120044|2024-06-08|El Ganzo Oasis|Not Part of a Tour|6|2|1|4|1",
            "1707341122|2024-06-21|Red Rocks Amphitheatre|Summer Tour 2024|12|2|2|4|2",
            "1707341123|2024-06-22|Red Rocks Amphitheatre|Summer Tour 2024|7|2|1|2|1"),
        TestDatabase.rows(
            "SELECT show_id, show_date, venue_name, tour_name, songs, sets, encore_songs, debuts, jamcharts"
                + " FROM gold.band_show_summary ORDER BY show_date"));
    // 2024: S2..S4, 6 + 12 + 7 = 25 performances of all 14 songs, 10 of them debuts, 4 jam charts.
    assertEquals(
        List.of("2020|1|2020-03-11|2020-03-11|4|4|4|0", "2024|3|2024-06-08|2024-06-22|25|14|10|4"),
        TestDatabase.rows(
            "SELECT show_year, shows, first_show, last_show, performances, distinct_songs, debuts, jamcharts"
                + " FROM gold.band_yearly_summary ORDER BY 1"));
    // Tour 1 (S1, S2): 10 performances of 8 songs. Tour 37 (S3, S4): 12 songs at S3 plus Wysteria
    // Lane and Into the Myst.
    assertEquals(
        List.of("1|Not Part of a Tour|2|10|8|8|1", "37|Summer Tour 2024|2|19|14|6|3"),
        TestDatabase.rows(
            "SELECT tour_id, tour_name, shows, performances, distinct_songs, debuts, jamcharts"
                + " FROM gold.band_tour_summary ORDER BY 1"));
    assertEquals(
        List.of(
            "1|Madison Theater|1|2020-03-11|2020-03-11|4|4",
            "312|Red Rocks Amphitheatre|2|2024-06-21|2024-06-22|19|14",
            "502|El Ganzo Oasis|1|2024-06-08|2024-06-08|6|6"),
        TestDatabase.rows(
            "SELECT venue_id, venue_name, shows, first_show, last_show, performances, distinct_songs"
                + " FROM gold.band_venue_statistics ORDER BY 1"));
  }

  @Test
  public void anIncrementalRunAddsExactlyTheNewShowsAndAFullRunRebuildsTheSameTables() {
    try (FixtureHttpServer before = FixtureHttpServer.replaying("band-stage1")) {
      assertEquals(0, runBand(before));
    }
    // Before 2024-06-21 only S1 and S2 had setlists: Tumble was played at both, the latest of 2
    // shows.
    assertEquals(
        List.of("10|4"),
        TestDatabase.rows(
            "SELECT (SELECT count(*) FROM silver.band_setlist_entries),"
                + " (SELECT count(*) FROM silver.band_shows)"));
    assertEquals(
        "418|Tumble|2|2|2020-03-11|2024-06-08|0|1.00|0|1|0|0",
        TestDatabase.rows(SONG_COLUMNS + " WHERE song_id = 418").get(0));
    List<String> earlierEntries =
        TestDatabase.rows("SELECT * FROM silver.band_setlist_entries ORDER BY unique_id");

    assertEquals(0, runBand(api));
    // Setlists after 2024-06-08 only: the newest shows list, then one request per newer show date.
    assertEquals(
        List.of(
            "/setlists/showdate/2024-06-21.json",
            "/setlists/showdate/2024-06-22.json",
            "/setlists/showdate/2024-09-14.json"),
        api.requests().stream()
            .map(ReplayHttpServer.Request::path)
            .filter(p -> p.startsWith("/setlists"))
            .sorted()
            .toList());
    assertEquals(
        List.of("5"),
        api.requestsTo("GET", "/shows.json").stream().map(r -> r.query().get("limit")).toList());
    // Exactly the two new shows' 12 + 7 performances were added; the earlier rows are untouched.
    assertEquals(
        List.of("2024-06-21|12", "2024-06-22|7"),
        TestDatabase.rows(
            "SELECT show_date, count(*)"
                + " FROM silver.band_setlist_entries WHERE show_date > '2024-06-08' GROUP BY 1 ORDER BY 1"));
    assertEquals(
        earlierEntries,
        TestDatabase.rows(
            "SELECT * FROM silver.band_setlist_entries WHERE show_date <= '2024-06-08'"
                + " ORDER BY unique_id"));
    assertEquals(
        List.of("2024-06-21", "2024-06-22"),
        TestDatabase.rows(
            "SELECT show_date FROM silver.band_shows"
                + " WHERE show_id NOT IN (1621475790, 1594067578, 1716120044, 1719780311) ORDER BY 1"));
    assertHandComputedGold();

    List<String> incremental = snapshot();
    assertEquals(0, runBand(api, "--mode", "full"));
    assertThat(lastOutput, containsString("mode full"));
    assertEquals(incremental, snapshot());
  }

  /** Every band table, every column, in a fixed order. */
  static List<String> snapshot() {
    List<String> rows = new ArrayList<>();
    for (String table : TABLES) {
      if (!table.startsWith("ops.") && !table.equals("silver.band_quarantine")) {
        rows.add("-- " + table);
        rows.addAll(TestDatabase.rows("SELECT t::text FROM " + table + " t ORDER BY 1"));
      }
    }
    return rows;
  }
}

package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.ops.CredentialStore;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The spotify pipeline's library, playlist and top-item streams through the real CLI, a real
 * PostgreSQL and DirectRunner against a loopback replay of the Spotify fixtures
 * (io/src/main/resources/recordings/spotify), two items per page.
 *
 * <p>By hand from the fixtures: saved tracks, newest first, Northbound (1pO9iU7yT5rE3wQ2aS4dF6,
 * added 2024-06-20T18:22:41Z, 187000 ms, Nina Valero + Maple Drive) and Hungersite
 * (2gH8rNfY6kQ1tXv3pLz9aB, 2024-05-02T07:03:19Z, 418306 ms, Goose) on page 1, Maria Tambien (Late
 * Mix) (7kL3zX5cV7bN9mQ1wE2rT4, 2023-11-30T21:40:05Z, 221466 ms, Khruangbin) on page 2; one saved
 * album, Dripfield (1XyJ3b0k2o1VwQY1m9xN0a, 2022-06-24T04:01:33Z, 10 tracks, No Coast, Goose);
 * playlists Tour Warmup (57 items), Shared Road Trip (12, collaborative, private) on page 1, Empty
 * Draft (0, images null) on page 2; top tracks short_term: 1 Northbound, 2 Hungersite; top artists
 * medium_term: 1 Goose (4KhA9hG3Tq0TsEMRq8pwmu), 2 Khruangbin (2mVVjNmdjXZZDvhgQWiakk); the other
 * time ranges answer an empty page.
 */
public class SpotifyStreamsTest {
  private static final String FIRST = "AQDx-first-refresh-token";
  private static final String KEY = "another test passphrase for stored credentials";
  private static final String TRACKS = "/me/tracks";
  private static final String PLAYLISTS = "/me/playlists";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALL_THREE_TRACKS =
      "1pO9iU7yT5rE3wQ2aS4dF6|2024-06-20T18:22:41|Northbound|187000|{\"Nina Valero\",\"Maple Drive\"}\n"
          + "2gH8rNfY6kQ1tXv3pLz9aB|2024-05-02T07:03:19|Hungersite|418306|{Goose}\n"
          + "7kL3zX5cV7bN9mQ1wE2rT4|2023-11-30T21:40:05|Maria Tambien (Late Mix)|221466|{Khruangbin}";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void setUp() {
    TestDatabase.truncate(
        "bronze.spotify_raw",
        "silver.spotify_plays",
        "silver.spotify_saved_tracks",
        "silver.spotify_saved_albums",
        "silver.spotify_playlists",
        "silver.spotify_playlist_versions",
        "silver.spotify_top_items",
        "gold.listening_daily",
        "gold.top_items_history",
        "ops.credentials",
        "ops.owed_requests",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
    ProcessEnvironment.setForTests("SPOTIFY_CLIENT_ID", "spotify-client");
    ProcessEnvironment.setForTests("SPOTIFY_CLIENT_SECRET", "spotify-secret");
    ProcessEnvironment.setForTests("SPOTIFY_REFRESH_TOKEN", FIRST);
    ProcessEnvironment.setForTests(CredentialStore.KEY_VARIABLE, KEY);
    api = ApiFaultServer.over("recordings/spotify/");
  }

  @After
  public void tearDown() {
    api.close();
  }

  private int runSpotify(String streams, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "spotify",
                "--streams",
                streams,
                "--spotify-base-url",
                api.baseUrl(),
                "--spotify-token-url",
                api.baseUrl() + "/api/token",
                "--page-size",
                "2",
                "--max-retry-wait-seconds",
                "1",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                "direct"));
    args.addAll(List.of(extra));
    args.addAll(
        List.of(
            "--landing",
            java.nio.file.Path.of("target", "landing-test", "spotify-streams")
                .toAbsolutePath()
                .toString()));
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output() + run.errors();
    return run.exitCode();
  }

  private static String savedTracks() {
    return String.join(
        "\n",
        TestDatabase.rows(
            "SELECT track_id, to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
                + " track_name, duration_ms, artist_names FROM silver.spotify_saved_tracks"
                + " ORDER BY added_at DESC"));
  }

  private List<String> queries(String path) {
    return api.requestsTo("GET", path).stream()
        .map(r -> new TreeMap<>(r.query()).toString())
        .toList();
  }

  private static List<String> topHistory() {
    return TestDatabase.rows(
        "SELECT snapshot_date, item_type, time_range, rank, item_id, name FROM"
            + " gold.top_items_history ORDER BY snapshot_date, item_type, time_range, rank");
  }

  @Test
  public void everyStreamPagesToTheEndThroughA401AndA429() {
    api.echoingHeaders(PLAYLISTS, 401, 1).rateLimited("/me/albums", "0", 1);
    assertEquals(
        lastOutput,
        0,
        runSpotify(
            "saved_tracks,saved_albums,playlists,top_tracks,top_artists", "--as-of", "2026-11-01"));

    assertEquals(ALL_THREE_TRACKS, savedTracks());
    assertEquals(List.of("{limit=2, offset=0}", "{limit=2, offset=2}"), queries(TRACKS));
    assertEquals(
        List.of("1XyJ3b0k2o1VwQY1m9xN0a|2022-06-24|Dripfield|album|2022-06-24|10|No Coast|{Goose}"),
        TestDatabase.rows(
            "SELECT album_id, (added_at AT TIME ZONE 'UTC')::date, album_name, album_type,"
                + " release_date, total_tracks, label, artist_names FROM silver.spotify_saved_albums"));
    // The 429 (Retry-After: 0) was asked again.
    assertEquals(2, api.requestsTo("GET", "/me/albums").size());
    assertEquals(
        List.of(
            "0vT5mJq2kP8nR4xW6yZ1aC|Tour Warmup|jdoe_42|f|t|57",
            "2nB4vC6xZ8lK0jH2gF4dS6|Empty Draft|jdoe_42|f|t|0",
            "5hS7dF9gJ1kL3zX5cV7bN9|Shared Road Trip|jdoe_42|t|f|12"),
        TestDatabase.rows(
            "SELECT playlist_id, name, owner_id, collaborative, public, item_count"
                + " FROM silver.spotify_playlists ORDER BY playlist_id"));
    // The 401 refreshed the token once and the page was asked again, then page 2.
    assertEquals(
        List.of("{limit=2, offset=0}", "{limit=2, offset=0}", "{limit=2, offset=2}"),
        queries(PLAYLISTS));
    assertEquals(2, api.requestsTo("POST", "/api/token").size());

    assertEquals(
        List.of(
            "2026-11-01|artist|medium_term|1|4KhA9hG3Tq0TsEMRq8pwmu|Goose",
            "2026-11-01|artist|medium_term|2|2mVVjNmdjXZZDvhgQWiakk|Khruangbin",
            "2026-11-01|track|short_term|1|1pO9iU7yT5rE3wQ2aS4dF6|Northbound",
            "2026-11-01|track|short_term|2|2gH8rNfY6kQ1tXv3pLz9aB|Hungersite"),
        topHistory());
    // Three time ranges of each type asked; the empty ones add nothing.
    assertEquals(3, api.requestsTo("GET", "/me/top/tracks").size());
    assertEquals(3, api.requestsTo("GET", "/me/top/artists").size());
    // 3 tracks + 1 album + 3 playlists + 4 top items; silver in = out: nothing quarantined.
    assertEquals(11, TestDatabase.count("SELECT count(*) FROM bronze.spotify_raw"));
    assertEquals(
        List.of("11|11|0|0"),
        TestDatabase.rows(
            "SELECT layer_records->'silver'->>'in', layer_records->'silver'->>'out',"
                + " coalesce(layer_records->'silver'->>'quarantined', '0'),"
                + " coalesce(layer_records->'silver'->>'merged', '0') FROM ops.pipeline_runs"));
  }

  @Test
  public void savedTracksStopAtTheFirstItemAtOrBeforeTheWatermark() throws Exception {
    assertEquals(lastOutput, 0, runSpotify("saved_tracks"));
    assertEquals(ALL_THREE_TRACKS, savedTracks());

    // A track saved since: page 1 now starts with it, then Northbound, the watermark
    // (2024-06-20T18:22:41Z, the newest added_at landed): the stream keeps the new one and stops.
    ObjectNode page = (ObjectNode) JSON.readTree(api.recorded("saved_tracks_page1.json"));
    ArrayNode items = (ArrayNode) page.get("items");
    ObjectNode fresh = items.get(0).deepCopy();
    fresh.put("added_at", "2024-07-01T10:00:00Z");
    ((ObjectNode) fresh.get("track")).put("id", "3FreshTrackAbCdEfGh1234");
    ((ObjectNode) fresh.get("track")).put("name", "Fresh Track");
    items.insert(0, fresh);
    api.answer(TRACKS, page.toString());
    assertEquals(lastOutput, 0, runSpotify("saved_tracks"));

    assertEquals(
        "3FreshTrackAbCdEfGh1234|2024-07-01T10:00:00|Fresh Track|187000|{\"Nina Valero\",\"Maple Drive\"}\n"
            + ALL_THREE_TRACKS,
        savedTracks());
    // Run 1: pages 1 and 2; run 2: page 1 only (it reached the watermark).
    assertEquals(3, queries(TRACKS).size());
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM bronze.spotify_raw"));
  }

  @Test
  public void aRunThatFailsOnPageTwoResumesThereWithNoGapAndNoDuplicate() {
    api.answer(TRACKS, api.recorded("saved_tracks_page1.json")).junk(TRACKS, 1);
    assertEquals(1, runSpotify("saved_tracks"));
    assertThat(lastOutput, containsString("saved_tracks"));
    assertEquals(
        List.of("saved_tracks|/me/tracks|offset=2&limit=2|DATA"),
        TestDatabase.rows("SELECT stream, path, query, failure_type FROM ops.owed_requests"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM silver.spotify_saved_tracks"));

    // Page 1 stops at once at the watermark (Northbound, landed); the owed page 2 is asked with
    // the first run's (empty) watermark and lands Maria Tambien.
    assertEquals(lastOutput, 0, runSpotify("saved_tracks"));
    assertEquals(
        List.of("{limit=2, offset=0}", "{limit=2, offset=2}"),
        queries(TRACKS).subList(2, 4).stream().sorted().toList());
    assertEquals(ALL_THREE_TRACKS, savedTracks());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM bronze.spotify_raw"));
  }

  @Test
  public void aChangedSnapshotIdIsANewVersionOfThePlaylist() throws Exception {
    assertEquals(lastOutput, 0, runSpotify("playlists"));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM silver.spotify_playlist_versions"));

    // Tour Warmup gained an item: a new snapshot_id, items.total 58, and (a 2026 payload) no
    // deprecated 'tracks' any more.
    ObjectNode page = (ObjectNode) JSON.readTree(api.recorded("playlists_page1.json"));
    ObjectNode warmup = (ObjectNode) page.get("items").get(0);
    warmup.put("snapshot_id", "AAAAGNewSnapshotAfterOneMoreItem");
    ((ObjectNode) warmup.get("items")).put("total", 58);
    warmup.remove("tracks");
    api.answer(PLAYLISTS, page.toString());
    assertEquals(lastOutput, 0, runSpotify("playlists"));

    assertEquals(
        List.of(
            "0vT5mJq2kP8nR4xW6yZ1aC|1", "0vT5mJq2kP8nR4xW6yZ1aC|2",
            "2nB4vC6xZ8lK0jH2gF4dS6|1", "5hS7dF9gJ1kL3zX5cV7bN9|1"),
        TestDatabase.rows(
            "SELECT natural_key, version FROM bronze.spotify_raw ORDER BY natural_key, version"));
    assertEquals(
        List.of("AAAAGNewSnapshotAfterOneMoreItem|58|2"),
        TestDatabase.rows(
            "SELECT snapshot_id, item_count, bronze_version FROM silver.spotify_playlists"
                + " WHERE playlist_id = '0vT5mJq2kP8nR4xW6yZ1aC'"));
    assertEquals(
        List.of("AAAAF3Tz8xk1qJ0mY1cU6n2Qe9Qz0n4M|57|1", "AAAAGNewSnapshotAfterOneMoreItem|58|2"),
        TestDatabase.rows(
            "SELECT snapshot_id, item_count, bronze_version FROM silver.spotify_playlist_versions"
                + " WHERE playlist_id = '0vT5mJq2kP8nR4xW6yZ1aC' ORDER BY bronze_version"));
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM silver.spotify_playlist_versions"));
  }

  @Test
  public void topItemsAreDatedSnapshotsWithTheirRank() throws Exception {
    assertEquals(lastOutput, 0, runSpotify("top_tracks,top_artists", "--as-of", "2026-11-01"));

    // A month later Hungersite overtook Northbound (the short-term list, reversed).
    ObjectNode page = (ObjectNode) JSON.readTree(api.recorded("top_tracks_short_term.json"));
    ArrayNode items = (ArrayNode) page.get("items");
    items.insert(0, items.remove(1));
    api.answer("/me/top/tracks", page.toString());
    assertEquals(
        lastOutput,
        0,
        runSpotify(
            "top_tracks,top_artists", "--as-of", "2026-12-01", "--time-ranges", "short_term"));

    // By hand: November's four ranks stay; December adds the short-term tracks, reordered, and
    // no artist (short_term answers an empty page).
    assertEquals(
        List.of(
            "2026-11-01|artist|medium_term|1|4KhA9hG3Tq0TsEMRq8pwmu|Goose",
            "2026-11-01|artist|medium_term|2|2mVVjNmdjXZZDvhgQWiakk|Khruangbin",
            "2026-11-01|track|short_term|1|1pO9iU7yT5rE3wQ2aS4dF6|Northbound",
            "2026-11-01|track|short_term|2|2gH8rNfY6kQ1tXv3pLz9aB|Hungersite",
            "2026-12-01|track|short_term|1|2gH8rNfY6kQ1tXv3pLz9aB|Hungersite",
            "2026-12-01|track|short_term|2|1pO9iU7yT5rE3wQ2aS4dF6|Northbound"),
        topHistory());
    assertEquals(
        List.of(
            "2026-11-01|artist|1|58|{\"jam band\"}|null",
            "2026-11-01|artist|2|71|{\"psychedelic soul\",\"thai funk\"}|null",
            "2026-11-01|track|1|62|null|{\"Nina Valero\",\"Maple Drive\"}",
            "2026-11-01|track|2|41|null|{Goose}"),
        TestDatabase.rows(
            "SELECT snapshot_date, item_type, rank, popularity, genres, artist_names"
                + " FROM silver.spotify_top_items WHERE snapshot_date = '2026-11-01'"
                + " ORDER BY item_type, rank"));
    // The raw item is kept whole inside its envelope.
    assertEquals(
        List.of("2026-12-01/short_term/1/2gH8rNfY6kQ1tXv3pLz9aB|Hungersite|t"),
        TestDatabase.rows(
            "SELECT natural_key, raw_data->'item'->>'name', raw_data->'item' ? 'external_ids'"
                + " FROM bronze.spotify_raw WHERE natural_key LIKE '2026-12-01/%/1/%'"));
  }

  @Test
  public void aFieldOfTheWrongTypeIsQuarantinedNamingTheRecordAndFieldAndUnknownFieldsAreKept()
      throws Exception {
    ObjectNode page = (ObjectNode) JSON.readTree(api.recorded("saved_tracks_page1.json"));
    ObjectNode hungersite = (ObjectNode) page.get("items").get(1).get("track");
    hungersite.put("duration_ms", "418306");
    ((ObjectNode) page.get("items").get(0)).putObject("brand_new_field").put("since", 2026);
    api.answer(TRACKS, page.toString());
    assertEquals(lastOutput, 0, runSpotify("saved_tracks"));

    assertEquals(
        List.of(
            "silver|invalid_type|2gH8rNfY6kQ1tXv3pLz9aB|saved_tracks record 2gH8rNfY6kQ1tXv3pLz9aB"
                + " (bronze.spotify_raw version 1): field track.duration_ms is string, expected"
                + " number"),
        TestDatabase.rows("SELECT layer, error_class, record_key, reason FROM ops.quarantine"));
    assertEquals(
        List.of("1pO9iU7yT5rE3wQ2aS4dF6", "7kL3zX5cV7bN9mQ1wE2rT4"),
        TestDatabase.rows("SELECT track_id FROM silver.spotify_saved_tracks ORDER BY track_id"));
    assertEquals(
        List.of("{\"since\": 2026}"),
        TestDatabase.rows(
            "SELECT raw_data->'brand_new_field' FROM bronze.spotify_raw"
                + " WHERE natural_key = '1pO9iU7yT5rE3wQ2aS4dF6'"));
    // Silver in 3 = out 2 + quarantined 1.
    assertEquals(
        List.of("3|2|1"),
        TestDatabase.rows(
            "SELECT layer_records->'silver'->>'in', layer_records->'silver'->>'out',"
                + " layer_records->'silver'->>'quarantined' FROM ops.pipeline_runs"));
  }
}

package dev.medallion.cli;

import static org.junit.Assert.assertEquals;

import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.ops.CredentialStore;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The spotify pipeline (API -> landed JSON lines -> bronze -> silver -> gold) through the real CLI
 * once on DirectRunner and once on flink-local, from an empty database each time: both write the
 * same silver and gold tables (the values are the ones worked out by hand in {@link
 * SpotifyPipelineTest}: five plays, one Paris day of 5 plays, 28.9 minutes, 5 tracks, 4 artists,
 * top Goose).
 */
public class SpotifyRunnersTest {
  private static final String KEY = "runners test passphrase for stored credentials";

  private ApiFaultServer api;

  @Before
  public void setUp() {
    ProcessEnvironment.setForTests("SPOTIFY_CLIENT_ID", "spotify-client");
    ProcessEnvironment.setForTests("SPOTIFY_CLIENT_SECRET", "spotify-secret");
    ProcessEnvironment.setForTests(CredentialStore.KEY_VARIABLE, KEY);
    api = ApiFaultServer.over("recordings/spotify/");
  }

  @After
  public void tearDown() {
    api.close();
  }

  private static void emptyTables() {
    TestDatabase.truncate(
        "bronze.spotify_raw",
        "silver.spotify_plays",
        "gold.listening_daily",
        "ops.credentials",
        "ops.owed_requests",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
  }

  /** Silver and gold after a first run on {@code profile}. */
  private List<String> tablesAfterRunOn(String profile) {
    emptyTables();
    ProcessEnvironment.setForTests("SPOTIFY_REFRESH_TOKEN", "AQDx-first-refresh-token");
    CapturedRun.Result run =
        CapturedRun.execute(
            List.of(
                "run",
                "spotify",
                "--spotify-base-url",
                api.baseUrl(),
                "--spotify-token-url",
                api.baseUrl() + "/api/token",
                "--streams",
                "recently_played",
                "--page-size",
                "3",
                "--landing",
                Path.of("target", "landing-test", "runners-" + profile).toAbsolutePath().toString(),
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                profile));
    assertEquals(run.output() + run.errors(), 0, run.exitCode());
    List<String> rows = new java.util.ArrayList<>();
    rows.addAll(
        TestDatabase.rows(
            "SELECT played_at, track_id, track_name, duration_ms, artist_names, primary_artist"
                + " FROM silver.spotify_plays ORDER BY played_at"));
    rows.addAll(
        TestDatabase.rows(
            "SELECT day, plays, minutes, distinct_tracks, distinct_artists, top_artist, timezone"
                + " FROM gold.listening_daily ORDER BY day"));
    return rows;
  }

  @Test
  public void directRunnerAndFlinkLocalWriteTheSameSilverAndGold() {
    List<String> direct = tablesAfterRunOn("direct");
    assertEquals(6, direct.size());
    assertEquals("2024-06-23|5|28.9|5|4|Goose|Europe/Paris", direct.get(5));
    assertEquals(direct, tablesAfterRunOn("flink-local"));
  }
}

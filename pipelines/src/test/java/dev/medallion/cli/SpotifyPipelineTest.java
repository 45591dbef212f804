package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.ops.CredentialStore;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The spotify pipeline (recently played) through the real CLI, a real PostgreSQL and DirectRunner
 * against a loopback replay of the Spotify fixtures (io/src/main/resources/recordings/spotify),
 * three plays per page.
 *
 * <p>By hand from the fixtures: five plays, Hungersite (Goose, 418306 ms,
 * 2024-06-23T14:05:12.512Z), Maria Tambien (Khruangbin, 221466 ms, 13:58:11Z), Northbound (Nina
 * Valero + Maple Drive, 187000 ms, 13:54:40Z), Borne (Goose, 392120 ms, 09:12:02Z), Arcadia - Live
 * (Goose, 512893 ms, 2024-06-22T22:47:55.600Z). In Europe/Paris (UTC+2 in June) Arcadia is 00:47 on
 * the 23rd, so one day: 5 plays, 1731785 ms = 28.86 min -> 28.9, 5 tracks, 4 artists, top Goose
 * (3). In UTC: the 22nd has Arcadia alone (512893 ms = 8.55 -> 8.5 min); the 23rd 4 plays, 1218892
 * ms = 20.31 -> 20.3 min, 4 tracks, 4 artists, top Goose (2).
 */
public class SpotifyPipelineTest {
  private static final String FIRST = "AQDx-first-refresh-token";
  private static final String ROTATED = "AQB9-new-refresh-token-value-returned-on-some-refreshes";
  private static final String KEY = "another test passphrase for stored credentials";
  private static final String PLAYED = "/me/player/recently-played";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void setUp() {
    TestDatabase.truncate(
        "bronze.spotify_raw",
        "silver.spotify_plays",
        "gold.listening_daily",
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

  private int runSpotify(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "spotify",
                "--spotify-base-url",
                api.baseUrl(),
                "--spotify-token-url",
                api.baseUrl() + "/api/token",
                "--page-size",
                "3",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                "direct"));
    args.addAll(List.of(extra));
    if (!args.contains("--streams")) {
      args.addAll(List.of("--streams", "recently_played"));
    }
    args.addAll(
        List.of(
            "--landing",
            java.nio.file.Path.of("target", "landing-test", "spotify")
                .toAbsolutePath()
                .toString()));
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output() + run.errors();
    return run.exitCode();
  }

  private List<String> refreshTokensSent() {
    return api.requestsTo("POST", "/api/token").stream()
        .map(r -> r.body().replaceAll(".*refresh_token=([^&]*).*", "$1"))
        .toList();
  }

  private static List<String> listeningDaily() {
    return TestDatabase.rows(
        "SELECT day, plays, minutes, distinct_tracks, distinct_artists, top_artist, timezone"
            + " FROM gold.listening_daily ORDER BY day");
  }

  @Test
  public void walksBackThroughThePlaysThenAsksOnlyAfterTheNewestAndCountsDaysInTheTimezone() {
    assertEquals(lastOutput, 0, runSpotify());
    assertEquals(
        List.of(
            "2024-06-22 22:47:55.6+00|Arcadia - Live|512893|{Goose}|Goose",
            "2024-06-23 09:12:02.118+00|Borne|392120|{Goose}|Goose",
            "2024-06-23 13:54:40.903+00|Northbound|187000|{\"Nina Valero\",\"Maple Drive\"}|Nina Valero",
            "2024-06-23 13:58:11.047+00|Maria Tambien (Late Mix)|221466|{Khruangbin}|Khruangbin",
            "2024-06-23 14:05:12.512+00|Hungersite|418306|{Goose}|Goose"),
        TestDatabase.rows(
            "SELECT played_at AT TIME ZONE 'UTC' || '+00', track_name, duration_ms, artist_names,"
                + " primary_artist FROM silver.spotify_plays ORDER BY played_at"));
    assertEquals(List.of("2024-06-23|5|28.9|5|4|Goose|Europe/Paris"), listeningDaily());
    assertEquals(3, api.requestsTo("GET", PLAYED).size());

    // The rotated refresh token was stored (encrypted) and is the one the next run sends.
    assertEquals(List.of(FIRST), refreshTokensSent());
    assertEquals(
        ROTATED,
        CredentialStore.open(TestDatabase.target(), KEY).get("spotify", "refresh_token").get());
    assertEquals(lastOutput, 0, runSpotify());
    assertEquals(List.of(FIRST, ROTATED), refreshTokensSent());
    assertEquals(
        "{after=1719151512512, limit=3}",
        new java.util.TreeMap<>(api.requestsTo("GET", PLAYED).get(3).query()).toString());
    assertEquals(5, TestDatabase.count("SELECT count(*) FROM silver.spotify_plays"));
    assertThat(lastOutput, not(containsString(ROTATED)));
    assertThat(lastOutput, not(containsString("spotify-secret")));

    // Gold alone, in another timezone: the same plays fall on two days.
    assertEquals(lastOutput, 0, runSpotify("--layers", "gold", "--timezone", "UTC"));
    assertEquals(
        List.of("2024-06-22|1|8.5|1|1|Goose|UTC", "2024-06-23|4|20.3|4|4|Goose|UTC"),
        listeningDaily());
  }

  @Test
  public void anExpiredAccessTokenIsRefreshedOnceAndARevokedRefreshTokenAsksToReauthorize() {
    api.enqueue(
        "GET",
        PLAYED,
        dev.medallion.io.replay.ReplayHttpServer.status(
            401, api.recorded("error_401_expired.json"), java.util.Map.of()));
    assertEquals(lastOutput, 0, runSpotify());
    assertEquals(5, TestDatabase.count("SELECT count(*) FROM silver.spotify_plays"));
    assertEquals(List.of(FIRST, ROTATED), refreshTokensSent());

    TestDatabase.truncate("ops.credentials");
    ProcessEnvironment.setForTests("SPOTIFY_REFRESH_TOKEN", "AQDx-revoked-refresh-token");
    assertEquals(1, runSpotify());
    assertThat(lastOutput, containsString("re-authorize spotify"));
    assertEquals(3, refreshTokensSent().size()); // one attempt, no retry
    assertThat(lastOutput, not(containsString("AQDx-revoked-refresh-token")));
  }
}

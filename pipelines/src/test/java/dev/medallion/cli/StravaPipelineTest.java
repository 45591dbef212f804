package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.ops.CredentialStore;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The strava pipeline through the real CLI, a real PostgreSQL and DirectRunner, against a loopback
 * replay of the Strava fixtures (io/src/main/resources/recordings/strava, copied from the shared
 * fixtures; API-REFERENCE.md section 3), with --per-page 2 so the three activities span two pages
 * and an empty third.
 *
 * <p>Values by hand from the fixture files: ride 11872650431 (GravelRide, 48211.6 m, 6853 s, start
 * 2024-06-22T17:31:08Z = epoch 1719077468), trail run 11866014872 (TrailRun, 10412.3 m, 3561 s),
 * yoga 11859030217 (manual, 0 m, 2700 s); 48211.6 + 10412.3 + 0 = 58623.9 m and 6853 + 3561 + 2700
 * = 13114 s. Athlete 48213377 jdoe_runs, 61.2 kg, FTP 232.
 */
public class StravaPipelineTest {
  private static final String FIRST_REFRESH = "5f1e0c3a8b7d6e4f2a1b0c9d8e7f6a5b4c3d2e1f";
  private static final String ROTATED_REFRESH = "e5n567567a8c0f2b3d4e6f8a0b1c2d3e4f5a6b7c";
  private static final String DEAD_REFRESH = "dead0000dead0000dead0000dead0000dead0000";
  private static final String CLIENT_SECRET = "test-client-secret";
  private static final String KEY = "a test passphrase for the credential store";
  private static final String ACTIVITIES = "/athlete/activities";
  private static final String ALL_THREE =
      "11859030217|Yoga|2700|0|t\n"
          + "11866014872|TrailRun|3561|10412.3|f\n"
          + "11872650431|GravelRide|6853|48211.6|f";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void setUp() {
    TestDatabase.truncate(
        "bronze.strava_raw",
        "silver.strava_activities",
        "silver.strava_athlete",
        "ops.credentials",
        "ops.owed_requests",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
    ProcessEnvironment.setForTests("STRAVA_CLIENT_ID", "12345");
    ProcessEnvironment.setForTests("STRAVA_CLIENT_SECRET", CLIENT_SECRET);
    ProcessEnvironment.setForTests("STRAVA_REFRESH_TOKEN", FIRST_REFRESH);
    ProcessEnvironment.setForTests(CredentialStore.KEY_VARIABLE, KEY);
    api = ApiFaultServer.over("recordings/strava/");
  }

  @After
  public void tearDown() {
    api.close();
  }

  private int runStrava(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "strava",
                "--strava-base-url",
                api.baseUrl(),
                "--strava-token-url",
                api.baseUrl() + "/oauth/token",
                "--per-page",
                "2",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                "direct"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--landing", LANDING.toString()));
    if (!args.contains("--overlap-seconds")) {
      args.addAll(List.of("--overlap-seconds", "0"));
    }
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output() + run.errors();
    return run.exitCode();
  }

  /** Raw pages land here (README "Landing"); bronze is written from these files. */
  private static final java.nio.file.Path LANDING =
      java.nio.file.Path.of("target", "landing-test", "strava").toAbsolutePath();

  /** The landed files of a stream, relative to its folder, "dt=.../RUN-N.jsonl" as "dt=.../N". */
  private static List<String> landed(String stream) throws java.io.IOException {
    java.nio.file.Path folder = LANDING.resolve("strava").resolve(stream);
    if (!java.nio.file.Files.isDirectory(folder)) {
      return List.of();
    }
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(folder)) {
      return files
          .filter(java.nio.file.Files::isRegularFile)
          .map(f -> folder.relativize(f).toString().replaceAll("/[^/]*-(\\d+)\\.jsonl$", "/$1"))
          .sorted()
          .toList();
    }
  }

  private static void deleteLanding() throws java.io.IOException {
    if (java.nio.file.Files.exists(LANDING)) {
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(LANDING)) {
        for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(f);
        }
      }
    }
  }

  private static String activities() {
    return String.join(
        "\n",
        TestDatabase.rows(
            "SELECT activity_id, sport_type, moving_time_s, distance_m, manual"
                + " FROM silver.strava_activities ORDER BY activity_id"));
  }

  private List<String> activityQueries() {
    return api.requestsTo("GET", ACTIVITIES).stream()
        .map(r -> new java.util.TreeMap<>(r.query()).toString())
        .toList();
  }

  private List<String> refreshTokensSent() {
    return api.requestsTo("POST", "/oauth/token").stream()
        .map(r -> r.body().replaceAll(".*refresh_token=([^&]*).*", "$1"))
        .toList();
  }

  @Test
  public void pagesToTheEndAndTheRotatedRefreshTokenIsStoredEncryptedAndUsedNextRun()
      throws Exception {
    deleteLanding();
    assertEquals(lastOutput, 0, runStrava());
    // Pages 1 and 2 hold two and one activities (page 3 is empty: no file), one athlete page; all
    // fetched today (UTC), numbered per stream and day.
    String today = "dt=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    assertEquals(List.of(today + "/1", today + "/2"), landed("activities"));
    assertEquals(List.of(today + "/1"), landed("athlete"));
    assertEquals(ALL_THREE, activities());
    assertEquals(
        List.of("58623.9|13114|2024-06-22 17:31:08"),
        TestDatabase.rows(
            "SELECT round(sum(distance_m)::numeric, 1), sum(moving_time_s),"
                + " to_char(max(start_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
                + " FROM silver.strava_activities"));
    assertEquals(
        List.of("48213377|jdoe_runs|61.2|232"),
        TestDatabase.rows(
            "SELECT athlete_id, username, weight_kg, ftp FROM silver.strava_athlete"));
    assertEquals(
        List.of("{page=1, per_page=2}", "{page=2, per_page=2}", "{page=3, per_page=2}"),
        activityQueries());

    // The token Strava returned replaced the first one, encrypted: the row is not the plaintext.
    assertEquals(List.of(FIRST_REFRESH), refreshTokensSent());
    assertEquals(
        List.of("strava|refresh_token|f|f"),
        TestDatabase.rows(
            "SELECT service, name, position(convert_to('"
                + ROTATED_REFRESH
                + "', 'UTF8') in ciphertext) > 0, position(convert_to('e5n567', 'UTF8') in"
                + " ciphertext || nonce) > 0 FROM ops.credentials"));
    assertEquals(
        ROTATED_REFRESH,
        CredentialStore.open(TestDatabase.target(), KEY).get("strava", "refresh_token").get());
    assertThat(lastOutput, not(containsString(ROTATED_REFRESH)));
    assertThat(lastOutput, not(containsString(CLIENT_SECRET)));

    // The next run sends the rotated token and asks only after the newest landed start.
    assertEquals(lastOutput, 0, runStrava());
    assertEquals(List.of(FIRST_REFRESH, ROTATED_REFRESH), refreshTokensSent());
    assertEquals("{after=1719077468, page=1, per_page=2}", activityQueries().get(3));
    assertEquals(ALL_THREE, activities());
    // Unchanged rows fetched again add no bronze version: 3 activities + the athlete.
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM bronze.strava_raw"));
  }

  @Test
  public void anOverlapFetchesTheNewestActivityAgainAndSilverKeepsOneRowPerId() {
    assertEquals(lastOutput, 0, runStrava());
    // after = 1719077468 - 3600 = 1719073868: the replay answers page 1 again.
    assertEquals(lastOutput, 0, runStrava("--overlap-seconds", "3600"));
    assertEquals(
        List.of("{after=1719073868, page=1, per_page=2}", "{after=1719073868, page=2, per_page=2}"),
        activityQueries().subList(3, 5));
    assertEquals(ALL_THREE, activities());
  }

  @Test
  public void aRunThatFailsOnPageTwoResumesThereWithNoGapAndNoDuplicate() {
    api.answer(ACTIVITIES, api.recorded("athlete_activities_page1.json")).junk(ACTIVITIES, 1);
    assertEquals(1, runStrava());
    assertThat(lastOutput, containsString("endpoint(s) failed: activities"));
    assertEquals(
        "11866014872|TrailRun|3561|10412.3|f\n11872650431|GravelRide|6853|48211.6|f", activities());
    assertEquals(
        List.of("activities|/athlete/activities|page=2&per_page=2|DATA"),
        TestDatabase.rows("SELECT stream, path, query, failure_type FROM ops.owed_requests"));

    // Resumes at page 2 (owed) besides the fresh incremental request; the yoga lands once.
    assertEquals(lastOutput, 0, runStrava());
    assertEquals(
        List.of(
            "{after=1719077468, page=1, per_page=2}",
            "{page=2, per_page=2}",
            "{page=3, per_page=2}"),
        activityQueries().subList(2, 5).stream().sorted().toList());
    assertEquals(ALL_THREE, activities());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
  }

  @Test
  public void aSpentQuotaStopsTheStreamCleanlyKeepsItsCursorAndTheNextRunResumes() {
    // The read quota's 15-minute window is spent (100 of 100) after page 1; its reset is more
    // than 0 s away, the wait allowed, so the stream stops and page 2 is left for the next run.
    api.enqueue(
        "GET",
        ACTIVITIES,
        new ReplayHttpServer.Scripted(
            200,
            Map.of(
                "Content-Type", "application/json",
                "X-ReadRateLimit-Limit", "100,1000",
                "X-ReadRateLimit-Usage", "100,250"),
            api.recorded("athlete_activities_page1.json")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            0));
    assertEquals(lastOutput, 0, runStrava("--rate-limit-wait-seconds", "0"));
    assertThat(lastOutput, containsString("rate limited, resumes next run"));
    assertThat(lastOutput, containsString("the 15-minute read limit (100) is spent"));
    assertEquals(
        "11866014872|TrailRun|3561|10412.3|f\n11872650431|GravelRide|6853|48211.6|f", activities());
    assertEquals(List.of("{page=1, per_page=2}"), activityQueries());
    assertEquals(
        List.of("page=2&per_page=2|DEFERRED"),
        TestDatabase.rows("SELECT query, failure_type FROM ops.owed_requests"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.quarantine"));

    assertEquals(lastOutput, 0, runStrava());
    assertEquals(ALL_THREE, activities());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
  }

  @Test
  public void aDeadRefreshTokenStopsWithReauthorizeAndIsNotRetried() {
    ProcessEnvironment.setForTests("STRAVA_REFRESH_TOKEN", DEAD_REFRESH);
    assertEquals(1, runStrava("--streams", "activities"));
    assertThat(lastOutput, containsString("re-authorize strava"));
    assertEquals(List.of(DEAD_REFRESH), refreshTokensSent());
    assertTrue(activityQueries().isEmpty());
    assertThat(lastOutput, not(containsString(DEAD_REFRESH)));
  }

  @Test
  public void a401IsRefreshedOnceAndRetriedAndA429WaitsItsRetryAfter() {
    api.echoingHeaders("/athlete", 401, 1).rateLimited("/athlete", "0", 1);
    assertEquals(lastOutput, 0, runStrava("--streams", "athlete"));
    assertEquals(
        List.of("48213377|jdoe_runs"),
        TestDatabase.rows("SELECT athlete_id, username FROM silver.strava_athlete"));
    // Refreshed at the start, then once more for the 401; the 429 (Retry-After: 0) is retried.
    assertEquals(List.of(FIRST_REFRESH, ROTATED_REFRESH), refreshTokensSent());
    assertEquals(3, api.requestsTo("GET", "/athlete").size());
    assertThat(lastOutput, not(containsString("a4b945687g5e7a1e0c0b2d9f3e1a8c6b4d2f0e9a")));
  }

  @Test
  public void aFieldOfTheWrongTypeIsQuarantinedNamingTheRecordAndFieldNotNulled() {
    api.answer(
        "/athlete",
        api.recorded("athlete.json").replace("\"weight\": 61.2", "\"weight\": \"61.2 kg\""));
    assertEquals(lastOutput, 0, runStrava("--streams", "athlete"));
    assertEquals(
        List.of(
            "silver|invalid_type|48213377|athlete record 48213377 (bronze.strava_raw version 1):"
                + " field weight is string, expected number"),
        TestDatabase.rows("SELECT layer, error_class, record_key, reason FROM ops.quarantine"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.strava_athlete"));
  }
}

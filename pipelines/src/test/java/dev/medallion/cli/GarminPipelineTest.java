package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
 * The garmin pipeline through the real CLI, a real PostgreSQL and DirectRunner, against a loopback
 * replay of the Garmin fixtures (io/src/main/resources/recordings/garmin, copied from the shared
 * fixtures; API-REFERENCE.md section 4), with --limit 2 so the three activities span two pages and
 * an empty third, and --as-of 2024-06-24 for the wellness days.
 *
 * <p>Values by hand from the fixture files. Activities: strength 16095522010 (0 m, moving 0 s, HR
 * 104, local 2024-06-20 18:10:05), trail run 16102338471 (10418.5400390625 m, 3560 s, +143 m, HR
 * 152, GMT 2024-06-21 12:02:41), ride 16109871245 (48215.01953125 m, 6851 s, +512 m, HR 141, GMT
 * 2024-06-22 17:31:02, beginTimestamp 1719077462000). Sleep 2024-06-20: 24900 s = 6.92 h, deep 5160
 * / 24900 = 0.207, light 13980 / 24900 = 0.561, REM 5760 / 24900 = 0.231, score 81, resting 48.
 * Heart rate 2024-06-20: 16 samples, one null: 15 readings summing to 818, mean 54.5. Every other
 * day answers Garmin's no-data body (2024-06-24's heart rate still carries a resting 50).
 */
public class GarminPipelineTest {
  private static final String CLIENT_ID = "test-di-client";
  private static final String ENV_ACCESS = "env-garmin-access-token-0001";
  private static final String FIRST_REFRESH = "first-garmin-refresh";
  private static final String DEAD_REFRESH = "dead-garmin-refresh";
  // di_oauth2_token_refresh.json
  private static final String NEW_ACCESS =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJjbGllbnRfaWQiOiJHQVJNSU5fQ09OTkVDVF9NT0JJTEVfQU5EUk9JRF9ESSIsImV4cCI6MTcxOTE4OTYwMH0.c2lnbmF0dXJl";
  private static final String NEW_REFRESH =
      "eyJyZWZyZXNoVG9rZW5WYWx1ZSI6IjhjNzVhMWE0LTJlYTYtNGQ0Mi05MGFhLTQxMmUxNjljYzk4NiJ9";
  private static final String KEY = "a test passphrase for the credential store";
  private static final String ACTIVITIES = "/activitylist-service/activities/search/activities";
  private static final String PROFILE = "/userprofile-service/socialProfile";
  private static final String SLEEP = "/wellness-service/wellness/dailySleepData/jdoe_runs";
  private static final String HEART_RATE = "/wellness-service/wellness/dailyHeartRate/jdoe_runs";
  private static final String TOKEN = "/di-oauth2-service/oauth/token";
  private static final String ALL_THREE =
      "16095522010|strength_training|0|0|104|2024-06-20 18:10:05\n"
          + "16102338471|trail_running|10418.5400390625|3560|152|2024-06-21 06:02:41\n"
          + "16109871245|cycling|48215.01953125|6851|141|2024-06-22 11:31:02";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void setUp() {
    TestDatabase.truncate(
        "bronze.garmin_raw",
        "silver.garmin_activities",
        "silver.garmin_sleep",
        "silver.garmin_heart_rate",
        "silver.strava_activities",
        "gold.sleep_nightly",
        "gold.training_weekly",
        "ops.credentials",
        "ops.owed_requests",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
    ProcessEnvironment.setForTests("GARMIN_DI_CLIENT_ID", CLIENT_ID);
    ProcessEnvironment.setForTests("GARMIN_ACCESS_TOKEN", ENV_ACCESS);
    ProcessEnvironment.setForTests("GARMIN_REFRESH_TOKEN", FIRST_REFRESH);
    ProcessEnvironment.setForTests(CredentialStore.KEY_VARIABLE, KEY);
    api = ApiFaultServer.over("recordings/garmin/");
  }

  @After
  public void tearDown() {
    api.close();
  }

  private int runGarmin(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "garmin",
                "--garmin-base-url",
                api.baseUrl(),
                "--garmin-token-url",
                api.baseUrl() + TOKEN,
                "--limit",
                "2",
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
            java.nio.file.Path.of("target", "landing-test", "garmin").toAbsolutePath().toString()));
    if (!args.contains("--as-of")) {
      args.addAll(List.of("--as-of", "2024-06-24"));
    }
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output() + run.errors();
    return run.exitCode();
  }

  private static String activities() {
    return String.join(
        "\n",
        TestDatabase.rows(
            "SELECT activity_id, sport, distance_m, moving_duration_s, average_hr,"
                + " to_char(start_time_local, 'YYYY-MM-DD HH24:MI:SS')"
                + " FROM silver.garmin_activities ORDER BY activity_id"));
  }

  private List<String> queries(String path) {
    return api.requestsTo("GET", path).stream()
        .map(r -> new TreeMap<>(r.query()).toString())
        .toList();
  }

  private List<String> datesAsked(String path, int from) {
    List<String> all = queries(path);
    return all.subList(from, all.size()).stream()
        .map(q -> q.replaceAll(".*date=([0-9-]+).*", "$1"))
        .sorted()
        .toList();
  }

  private List<String> refreshTokensSent() {
    return api.requestsTo("POST", TOKEN).stream()
        .map(r -> r.body().replaceAll(".*refresh_token=([^&]*).*", "$1"))
        .toList();
  }

  private List<String> bearersTo(String path) {
    return api.requestsTo("GET", path).stream()
        .map(r -> String.valueOf(r.headers().get("Authorization")))
        .toList();
  }

  @Test
  public void pagesToTheEndKeepsNoDataDaysRefetchesTheLastThreeDaysAndBuildsGold() {
    // Strava's silver as its pipeline leaves it. 11872650431 is Garmin's ride recorded by both
    // (6 s apart, 48211.6 vs 48215.02 m: 0.007%): counted once. 900002 starts 139 s after the
    // trail run and 900003 58 s after the ride but 4.6% shorter: both are other sessions.
    TestDatabase.execute(
        "INSERT INTO silver.strava_activities (activity_id, sport_type, start_date,"
            + " start_date_local, distance_m, moving_time_s, total_elevation_gain_m,"
            + " average_heartrate, bronze_version, fetched_at) VALUES"
            + " (11872650431, 'GravelRide', '2024-06-22 17:31:08+00', '2024-06-22 11:31:08',"
            + " 48211.6, 6853, 515, 140, 1, now()),"
            + " (900001, 'Ride', '2024-06-19 16:00:00+00', '2024-06-19 10:00:00', 20000, 3000,"
            + " 150, 130, 1, now()),"
            + " (900002, 'Run', '2024-06-21 12:05:00+00', '2024-06-21 06:05:00', 10418.0, 3555,"
            + " 140, 150, 1, now()),"
            + " (900003, 'Ride', '2024-06-22 17:32:00+00', '2024-06-22 11:32:00', 46000, 6500,"
            + " 480, 138, 1, now()),"
            + " (900004, 'Run', '2024-06-24 16:00:00+00', '2024-06-24 10:00:00', 5000, 1500,"
            + " 20, NULL, 1, now())");

    assertEquals(lastOutput, 0, runGarmin("--since", "2024-06-20"));
    assertEquals(ALL_THREE, activities());
    assertEquals(
        List.of("{limit=2, start=0}", "{limit=2, start=2}", "{limit=2, start=4}"),
        queries(ACTIVITIES));
    List<String> fiveDays =
        List.of("2024-06-20", "2024-06-21", "2024-06-22", "2024-06-23", "2024-06-24");
    assertEquals(fiveDays, datesAsked(SLEEP, 0));
    assertEquals(fiveDays, datesAsked(HEART_RATE, 0));
    // No-data days are rows, not failures.
    assertEquals(
        List.of(
            "2024-06-20|t|24900|5160|13980|5760|1320|81|48",
            "2024-06-21|f|null|null|null|null|null|null|null",
            "2024-06-22|f|null|null|null|null|null|null|null",
            "2024-06-23|f|null|null|null|null|null|null|null",
            "2024-06-24|f|null|null|null|null|null|null|null"),
        TestDatabase.rows(
            "SELECT calendar_date, has_data, sleep_seconds, deep_seconds, light_seconds,"
                + " rem_seconds, awake_seconds, sleep_score, resting_heart_rate"
                + " FROM silver.garmin_sleep ORDER BY calendar_date"));
    assertEquals(
        List.of(
            "2024-06-20|t|48|48|62|49|15|54.5|2024-06-20 06:00",
            "2024-06-24|f|50|null|null|49|0|null|null"),
        TestDatabase.rows(
            "SELECT calendar_date, has_data, resting_heart_rate, min_heart_rate, max_heart_rate,"
                + " seven_day_avg_resting, samples, average_bpm,"
                + " to_char(day_start_gmt AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
                + " FROM silver.garmin_heart_rate WHERE calendar_date IN ('2024-06-20',"
                + " '2024-06-24') ORDER BY calendar_date"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.quarantine"));

    // gold.sleep_nightly: the one night with data.
    assertEquals(
        List.of("2024-06-20|04:41|11:58|24900|6.92|0.207|0.561|0.231|1320|81|48"),
        TestDatabase.rows(
            "SELECT calendar_date, to_char(sleep_start AT TIME ZONE 'UTC', 'HH24:MI'),"
                + " to_char(sleep_end AT TIME ZONE 'UTC', 'HH24:MI'), total_sleep_s,"
                + " total_sleep_h, deep_share, light_share, rem_share, awake_s, sleep_score,"
                + " resting_heart_rate FROM gold.sleep_nightly"));
    // gold.training_weekly, 2024-W25 (Mon 17 June): cycling = Garmin ride + 900001 + 900003:
    // 48215.02 + 20000 + 46000 m = 114.22 km, 6851 + 3000 + 6500 = 16351 s, 512 + 150 + 480 =
    // 1142 m, HR (141 + 130 + 138) / 3 = 136.3; running = trail run + 900002: 20836.54 m, 3560 +
    // 3555 = 7115 s, 143 + 140 = 283 m, HR (152 + 150) / 2 = 151.0; strength: Garmin's only.
    // 2024-W26 (Mon 24 June): 900004 alone, no heart rate.
    assertEquals(
        List.of(
            "2024-06-17|2024-W25|cycling|3|1|2|114.22|16351|1142.0|136.3",
            "2024-06-17|2024-W25|running|2|1|1|20.84|7115|283.0|151.0",
            "2024-06-17|2024-W25|strength|1|1|0|0.00|0|0.0|104.0",
            "2024-06-24|2024-W26|running|1|0|1|5.00|1500|20.0|null"),
        TestDatabase.rows(
            "SELECT week_start, iso_week, sport, activities, from_garmin, from_strava_only,"
                + " distance_km, moving_time_s, elevation_gain_m, average_heart_rate"
                + " FROM gold.training_weekly ORDER BY week_start, sport"));

    // The next run: activities stop at the first page (it holds the newest landed start), and
    // sleep and heart rate are asked again for the last three days only.
    int sleepBefore = queries(SLEEP).size();
    int heartBefore = queries(HEART_RATE).size();
    assertEquals(lastOutput, 0, runGarmin());
    assertEquals("{limit=2, start=0}", queries(ACTIVITIES).get(3));
    assertEquals(4, queries(ACTIVITIES).size());
    List<String> threeDays = List.of("2024-06-22", "2024-06-23", "2024-06-24");
    assertEquals(threeDays, datesAsked(SLEEP, sleepBefore));
    assertEquals(threeDays, datesAsked(HEART_RATE, heartBefore));
    assertEquals(ALL_THREE, activities());
    // Unchanged rows fetched again add no bronze version: 3 activities + 5 + 5 days.
    assertEquals(13, TestDatabase.count("SELECT count(*) FROM bronze.garmin_raw"));
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM gold.training_weekly"));
  }

  @Test
  public void a401RefreshesTheStoredPairOnceKeepsItEncryptedAndA429WaitsItsRetryAfter() {
    api.echoingHeaders(ACTIVITIES, 401, 1);
    assertEquals(lastOutput, 0, runGarmin("--streams", "activities"));
    assertEquals(ALL_THREE, activities());
    assertEquals(List.of(FIRST_REFRESH), refreshTokensSent());
    assertEquals(
        List.of("[" + CLIENT_ID + "]"),
        api.requestsTo("POST", TOKEN).stream()
            .map(r -> r.body().replaceAll(".*client_id=([^&]*).*", "[$1]"))
            .toList());
    // The refused request carried the environment's token; its retry and the pages after it the
    // refreshed one.
    assertEquals(
        List.of(
            "[Bearer " + ENV_ACCESS + "]",
            "[Bearer " + NEW_ACCESS + "]",
            "[Bearer " + NEW_ACCESS + "]",
            "[Bearer " + NEW_ACCESS + "]"),
        bearersTo(ACTIVITIES));
    // The new pair is stored encrypted: neither token is in the rows' bytes.
    assertEquals(
        List.of("garmin|access_token|f", "garmin|refresh_token|f"),
        TestDatabase.rows(
            "SELECT service, name, position(convert_to('"
                + NEW_ACCESS.substring(0, 20)
                + "', 'UTF8') in ciphertext) > 0 OR position(convert_to('"
                + NEW_REFRESH.substring(0, 20)
                + "', 'UTF8') in ciphertext) > 0 FROM ops.credentials ORDER BY name"));
    CredentialStore store = CredentialStore.open(TestDatabase.target(), KEY);
    assertEquals(NEW_ACCESS, store.get("garmin", "access_token").get());
    assertEquals(NEW_REFRESH, store.get("garmin", "refresh_token").get());
    assertThat(lastOutput, not(containsString(NEW_ACCESS)));
    assertThat(lastOutput, not(containsString(ENV_ACCESS)));

    // The next run uses the stored pair (no refresh) and a 429 is retried after its Retry-After.
    api.rateLimited(ACTIVITIES, "1", 1);
    assertEquals(lastOutput, 0, runGarmin("--streams", "activities"));
    assertEquals(List.of(FIRST_REFRESH), refreshTokensSent());
    List<String> bearers = bearersTo(ACTIVITIES);
    assertEquals(
        List.of("[Bearer " + NEW_ACCESS + "]", "[Bearer " + NEW_ACCESS + "]"),
        bearers.subList(4, bearers.size()));
    assertEquals(ALL_THREE, activities());
  }

  @Test
  public void anInvalidGrantStopsWithReauthorizeAndIsNotRetried() {
    ProcessEnvironment.setForTests("GARMIN_REFRESH_TOKEN", DEAD_REFRESH);
    api.echoingHeaders(ACTIVITIES, 401, 1).echoingHeaders(PROFILE, 401, 1);
    assertEquals(
        1,
        runGarmin("--streams", "activities,sleep", "--as-of", "2024-06-20", "--refetch-days", "1"));
    assertThat(lastOutput, containsString("re-authorize garmin"));
    // One refresh was tried: the request that comes second fails with the remembered
    // invalid_grant (before it is sent, or at its own 401), so the dead token is not sent twice.
    assertEquals(List.of(DEAD_REFRESH), refreshTokensSent());
    int refused = queries(ACTIVITIES).size() + queries(PROFILE).size();
    assertTrue(refused + " requests", refused >= 1 && refused <= 2);
    assertTrue(queries(SLEEP).isEmpty());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.garmin_activities"));
    assertThat(lastOutput, not(containsString(DEAD_REFRESH)));
    assertThat(lastOutput, not(containsString(ENV_ACCESS)));
  }

  @Test
  public void aRunThatFailsOnPageTwoResumesThereWithNoGapAndNoDuplicate() {
    api.answer(ACTIVITIES, api.recorded("activities_start0_limit2.json")).junk(ACTIVITIES, 1);
    assertEquals(1, runGarmin("--streams", "activities"));
    assertThat(lastOutput, containsString("activities"));
    assertEquals(
        "16102338471|trail_running|10418.5400390625|3560|152|2024-06-21 06:02:41\n"
            + "16109871245|cycling|48215.01953125|6851|141|2024-06-22 11:31:02",
        activities());
    assertEquals(
        List.of("activities|" + ACTIVITIES + "|start=2&limit=2||DATA"),
        TestDatabase.rows(
            "SELECT stream, path, query, state, failure_type FROM ops.owed_requests"));

    // Resumes at start=2 (owed, without a watermark: its listing had none) besides the fresh
    // first page, which stops at the landed ride; the strength session lands once.
    assertEquals(lastOutput, 0, runGarmin("--streams", "activities"));
    assertEquals(
        List.of("{limit=2, start=0}", "{limit=2, start=2}", "{limit=2, start=4}"),
        queries(ACTIVITIES).subList(2, 5).stream().sorted().toList());
    assertEquals(ALL_THREE, activities());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
    assertEquals(
        3,
        TestDatabase.count("SELECT count(*) FROM bronze.garmin_raw WHERE endpoint = 'activities'"));
  }
}

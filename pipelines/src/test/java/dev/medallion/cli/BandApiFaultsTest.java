package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The band pipeline against the API fault server (io test-jar) through the real CLI, a real
 * PostgreSQL and DirectRunner: a failed day is owed until it lands, values past their column's
 * range are refused with a reason, and no Retry-After blocks a run. Counts are from the recording
 * (see BandEndToEndTestBase): setlist rows per day 2020-03-11: 4, 2024-06-08: 6, 2024-06-21: 12,
 * 2024-06-22: 7.
 */
public class BandApiFaultsTest {
  private static final String DAY_21 = "/setlists/showdate/2024-06-21.json";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void cleanDatabase() {
    List<String> tables = new ArrayList<>(List.of(BandEndToEndTestBase.TABLES));
    tables.add("ops.quarantine");
    tables.add("ops.owed_requests");
    TestDatabase.truncate(tables.toArray(String[]::new));
    api = ApiFaultServer.over(DemoCommand.BAND_RECORDING);
  }

  @After
  public void stopServer() {
    api.close();
  }

  private int runBand(String... extra) {
    CapturedRun.Result run = CapturedRun.execute(args("postgres", "postgres", extra));
    lastOutput = run.output();
    return run.exitCode();
  }

  /** A band run against the fault server as this database user, with the extra flags. */
  private List<String> args(String user, String password, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "band",
                "--elgoose-base-url",
                api.baseUrl(),
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                user,
                "--jdbc-password=" + password,
                "--profile",
                "direct"));
    args.addAll(List.of(extra));
    return args;
  }

  private static List<String> setlistDays() {
    return TestDatabase.rows(
        "SELECT show_date, count(*) FROM silver.band_setlist_entries GROUP BY 1 ORDER BY 1");
  }

  @Test
  public void aDayWhoseSetlistFailedIsOwedUntilItLandsAndTheWatermarkNeverPassesIt() {
    api.junk(DAY_21, 1);
    assertEquals(1, runBand());
    assertEquals(List.of("2020-03-11|4", "2024-06-08|6", "2024-06-22|7"), setlistDays());
    assertThat(lastOutput, containsString("Requests still owed: 1"));
    assertThat(lastOutput, containsString("setlists " + DAY_21 + ": failed in 1 run(s) since"));

    // The server answers again. The watermark (newest setlist day in silver: 06-22) must not pass
    // 06-21: the run asks for it again, once, and it lands.
    assertEquals(0, runBand());
    assertEquals(
        List.of("2020-03-11|4", "2024-06-08|6", "2024-06-21|12", "2024-06-22|7"), setlistDays());
    assertEquals(2, api.requestsTo("GET", DAY_21).size());
    assertThat(lastOutput, not(containsString("Requests still owed")));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
    BandEndToEndTestBase.assertHandComputedGold();
  }

  @Test
  public void aRequestThatFailsAgainStaysOwedWithItsFailuresCounted() {
    api.junk(DAY_21, 2);
    assertEquals(1, runBand());
    assertEquals(1, runBand());
    assertEquals(List.of("2020-03-11|4", "2024-06-08|6", "2024-06-22|7"), setlistDays());
    assertEquals(
        List.of("setlists|" + DAY_21 + "|DATA|2"),
        TestDatabase.rows("SELECT stream, path, failure_type, failures FROM ops.owed_requests"));
    assertThat(lastOutput, containsString("setlists " + DAY_21 + ": failed in 2 run(s) since"));
    assertThat(lastOutput, containsString("returned malformed JSON"));
  }

  @Test
  public void valuesPastTheirColumnsAreRefusedWithAReasonAndTheRestLands() {
    String songs =
        api.recorded("songs.json")
            .replaceFirst(
                "\"data\": \\[",
                "\"data\": [{\"id\": 18446744073709552016, \"name\": \"Wrapped\"},"
                    + " {\"id\": 2147483648, \"name\": \"Too Big\"},"
                    + " {\"id\": 9001, \"name\": \"Back\\\\\\\\u0000slash\"},"
                    + " {\"id\": 9002, \"name\": \"Nul\\\\u0000char\"},");
    String shows =
        api.recorded("shows.json")
            .replaceFirst(
                "\"data\": \\[",
                "\"data\": [{\"show_id\": 77, \"showdate\": \"+999999999-12-31\"},");
    api.answer("/songs.json", songs).answer("/shows.json", shows);

    assertEquals(0, runBand());

    // Song 400 keeps its row: the id 2^64 + 400 was not wrapped onto it.
    assertEquals(
        List.of("400|Turned Clouds", "9001|Back\\u0000slash"),
        TestDatabase.rows(
            "SELECT song_id, song_name FROM silver.band_songs WHERE song_id IN (400, 9001, 9002)"
                + " OR song_name IN ('Wrapped', 'Too Big') ORDER BY 1"));
    assertEquals(15, TestDatabase.count("SELECT count(*) FROM silver.band_songs"));
    assertEquals(
        List.of(
            "bronze|invalid_value|songs /songs.json|DATA: row 3 holds a NUL character (\\u0000) in"
                + " name, which PostgreSQL cannot store",
            "silver|invalid_value|shows/77|showdate: +999999999-12-31 is out of range for date"
                + " (years 0001 to 9999), column silver.band_shows.show_date",
            "silver|invalid_value|songs/18446744073709552016|id: 18446744073709552016 is out of"
                + " range for integer (-2147483648 to 2147483647), column silver.band_songs.song_id",
            "silver|invalid_value|songs/2147483648|id: 2147483648 is out of range for integer"
                + " (-2147483648 to 2147483647), column silver.band_songs.song_id"),
        TestDatabase.rows(
            "SELECT layer, error_class, source, reason FROM ops.quarantine ORDER BY 1, 3"));
    // Everything else landed: the four setlist days and gold.
    assertEquals(
        List.of("2020-03-11|4", "2024-06-08|6", "2024-06-21|12", "2024-06-22|7"), setlistDays());
    BandEndToEndTestBase.assertHandComputedGold();
  }

  @Test
  public void noRetryAfterBlocksTheRunAndRateLimitedRequestsAreAskedAgainByTheNextRun() {
    api.rateLimited("/links.json", ApiFaultServer.HUGE_RETRY_AFTER, 1)
        .rateLimited("/venues.json", "3600", 1)
        .rateLimited("/jamcharts.json", "1", 1)
        .serverError("/uploads.json", 2);
    long started = System.nanoTime();
    assertEquals(1, runBand("--max-retry-wait-seconds=1"));
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(seconds, lessThan(60L));
    assertThat(lastOutput, containsString("links /links.json: failed in 1 run(s) since"));
    assertThat(lastOutput, containsString("Requests still owed: 2"));
    assertThat(
        lastOutput,
        containsString(
            "RATE_LIMIT: GET "
                + api.baseUrl()
                + "/links.json is rate limited (HTTP 429) and asks"
                + " to wait 9223372036854775807 s (Retry-After: 9223372036854775807), longer than"
                + " the cap of 1 s: rate_limited for this run, the next run asks again"));
    // Waited within the cap: jamcharts after 1 s, uploads after two 1 s backoffs.
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM silver.band_jamcharts"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM silver.band_uploads"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.band_links"));
    assertEquals(
        List.of("links|/links.json|RATE_LIMIT", "venues|/venues.json|RATE_LIMIT"),
        TestDatabase.rows("SELECT stream, path, failure_type FROM ops.owed_requests ORDER BY 1"));

    assertEquals(0, runBand("--max-retry-wait-seconds=1"));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM silver.band_links"));
    assertEquals(6, TestDatabase.count("SELECT count(*) FROM silver.band_venues"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
  }

  @Test
  public void secretsInAnErrorBodyAreMaskedInEverythingPrintedOrStored() {
    String password = "sk-db-9f8e7d6c5b";
    TestDatabase.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medallion_secret') THEN"
            + " CREATE ROLE medallion_secret LOGIN SUPERUSER PASSWORD '"
            + password
            + "'; END IF; END $$");
    // A careless server echoes the request's headers, and a stray credential, in its error page.
    api.echoingHeaders("/links.json", 403, 1).echoingHeaders("/venues.json", 403, 1);
    api.enqueue(
        "GET",
        "/songs.json",
        ApiFaultServer.status(
            403,
            "denied; Authorization: Bearer sk-live-abcdef0123456789; db password " + password,
            java.util.Map.of()));
    List<String> args = args("medallion_secret", password);
    CapturedRun.Result run = CapturedRun.execute(args);
    assertEquals(1, run.exitCode());
    assertThat(run.output(), containsString("songs: DATA: GET /songs.json answered HTTP 403"));
    assertThat(run.output(), containsString("Authorization: Bearer ****; db password ****"));
    assertThat(run.output(), not(containsString("sk-live-abcdef0123456789")));
    assertThat(run.output(), not(containsString(password)));
    List<String> stored =
        TestDatabase.rows(
            "SELECT reason FROM ops.quarantine UNION ALL SELECT error FROM ops.pipeline_runs"
                + " UNION ALL SELECT error_message FROM ops.processing_status WHERE error_message IS NOT NULL"
                + " UNION ALL SELECT reason FROM ops.owed_requests");
    assertEquals(3 + 1 + 3 + 3, stored.size());
    for (String text : stored) {
      assertThat(text, not(containsString("sk-live-abcdef0123456789")));
      assertThat(text, not(containsString(password)));
    }
    assertThat(String.join("\n", stored), containsString("Bearer ****"));
  }

  @Test
  public void plainHttpToAnotherHostIsRefusedUnlessAllowed() {
    String remote = "http://elgoose.example/api/v2";
    List<String> args =
        List.of(
            "run",
            "band",
            "--elgoose-base-url",
            remote,
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres",
            "--dry-run");
    PrintStream originalErr = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    CapturedRun.Result refused;
    try {
      refused = CapturedRun.execute(args);
    } finally {
      System.setErr(originalErr);
    }
    assertEquals(2, refused.exitCode());
    assertThat(
        err.toString(java.nio.charset.StandardCharsets.UTF_8),
        containsString(
            "--elgoose-base-url: http://elgoose.example/api/v2 is plain http:// to elgoose.example,"
                + " which would send credentials and data unencrypted: use https://, or pass"
                + " --allow-insecure-http to allow it"));
    List<String> allowed = new ArrayList<>(args);
    allowed.add("--allow-insecure-http");
    assertEquals(0, CapturedRun.execute(allowed).exitCode());
    // Loopback needs no flag: every other test here runs over http://127.0.0.1.
  }
}

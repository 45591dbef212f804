package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code medallion backfill band}: one run per show date, each reading the shows list whole and
 * only that day's setlist (ElGoose serves setlists per show date). The recording (see {@link
 * BandEndToEndTestBase}) has S3 on 2024-06-21 (12 performances: 5 + 5 + 2 encore), S4 on 2024-06-22
 * (7: 3 + 3 with Tumble twice + 1) and the show of 2024-09-14 without a setlist.
 */
public class BandBackfillTest {
  ReplayHttpServer api;

  @Before
  public void start() {
    TestDatabase.truncate(BandEndToEndTestBase.TABLES);
    api = ReplayHttpServer.serving(DemoCommand.BAND_RECORDING);
  }

  @After
  public void stop() {
    api.close();
  }

  private CapturedRun.Result backfill(String from, String to, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backfill",
                "band",
                "--from",
                from,
                "--to",
                to,
                "--elgooseBaseUrl=" + api.baseUrl(),
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres"));
    args.addAll(List.of(extra));
    return CapturedRun.execute(args);
  }

  private List<String> setlistRequests() {
    return api.requests().stream()
        .map(ReplayHttpServer.Request::path)
        .filter(p -> p.startsWith("/setlists/"))
        .toList();
  }

  @Test
  public void eachShowDateIsOneRunReadingOnlyItsSetlist() {
    CapturedRun.Result first = backfill("2024-06-21", "2024-06-23");
    assertEquals(first.output() + first.errors(), 0, first.exitCode());
    assertThat(first.output(), containsString("dates done 3 of 3"));
    // One setlist request per date that has a show; 06-23 has none, so nothing is asked for it.
    assertEquals(
        List.of("/setlists/showdate/2024-06-21.json", "/setlists/showdate/2024-06-22.json"),
        setlistRequests());
    assertEquals(
        List.of("2024-06-21|succeeded", "2024-06-22|succeeded", "2024-06-23|succeeded"),
        TestDatabase.rows(
            "SELECT concat_ws('|', business_date, status) FROM ops.pipeline_runs"
                + " WHERE pipeline = 'band' ORDER BY business_date"));
    assertEquals(
        List.of("2024-06-21|12", "2024-06-22|7"),
        TestDatabase.rows(
            "SELECT concat_ws('|', show_date, songs) FROM gold.band_show_summary ORDER BY 1"));

    // The range is complete (06-23 has no show, and a day without a show is done once it ran).
    // With S3's summary gone, --only-missing runs 06-21 alone.
    TestDatabase.execute("DELETE FROM gold.band_show_summary WHERE show_date = '2024-06-21'");
    int asked = setlistRequests().size();
    CapturedRun.Result missing = backfill("2024-06-21", "2024-06-23", "--only-missing");
    assertEquals(missing.output() + missing.errors(), 0, missing.exitCode());
    assertThat(missing.output(), containsString("dates done 1 of 1"));
    assertEquals(
        List.of("/setlists/showdate/2024-06-21.json"),
        setlistRequests().subList(asked, setlistRequests().size()));
    assertEquals(
        List.of("2024-06-21|12", "2024-06-22|7"),
        TestDatabase.rows(
            "SELECT concat_ws('|', show_date, songs) FROM gold.band_show_summary ORDER BY 1"));
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
  }
}

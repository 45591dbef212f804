package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.pipelines.EdgeEndToEndTables;
import dev.medallion.testing.TestDatabase;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code medallion demo} on the bundled sample files, into the test database. */
public class DemoCommandTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void theDemoPrintsGoldAndPlatinumThatAgreeWithSql() throws Exception {
    TestDatabase.truncate(EdgeEndToEndTables.ALL);
    TestDatabase.truncate(BandEndToEndTestBase.TABLES);
    TestDatabase.truncate(
        "bronze.strava_raw",
        "silver.strava_activities",
        "silver.strava_athlete",
        "bronze.spotify_raw",
        "silver.spotify_plays",
        "gold.listening_daily",
        "ops.credentials",
        "ops.owed_requests");
    CapturedRun.Result run =
        CapturedRun.execute(
            java.util.List.of(
                "demo",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--data-dir",
                folder.getRoot().toString()));
    String output = run.output();
    assertEquals(0, run.exitCode());
    // 3 stores x 14 days of sample files; one truncated file and four bad records are set aside.
    assertEquals(42, TestDatabase.count("SELECT count(*) FROM gold.store_daily_summary"));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM platinum.store_features"));
    assertEquals(5, TestDatabase.count("SELECT count(*) FROM silver.edge_quarantine"));
    assertThat(output, containsString("gold.store_daily_summary (latest 8 store-days)"));
    assertThat(output, containsString("platinum.store_features (as of 2024-06-21)"));
    assertThat(output, containsString("STORE-031"));
    // The band part: the recording's four shows with setlists, gold as worked out in
    // BandEndToEndTestBase.
    BandEndToEndTestBase.assertHandComputedGold();
    assertThat(output, containsString("gold.band_song_statistics (most played)"));
    assertThat(output, containsString("Tumble"));
    assertThat(output, containsString("Summer Tour 2024"));
    // The personal-data part: Strava's three activities and Spotify's one Paris day (worked out in
    // StravaPipelineTest and SpotifyPipelineTest), raw pages landed under DATA_DIR/demo/landing.
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM silver.strava_activities"));
    assertEquals(
        java.util.List.of("2024-06-23|5|28.9"),
        TestDatabase.rows("SELECT day, plays, minutes FROM gold.listening_daily"));
    assertThat(output, containsString("gold.listening_daily"));
    assertEquals(
        true,
        java.nio.file.Files.isDirectory(
            folder.getRoot().toPath().resolve("demo/landing/spotify/recently_played")));
    // Platinum computed a second way, in SQL over gold: mean, sample stddev and the weekend mean.
    assertEquals(
        TestDatabase.rows(
            "SELECT store_id, count(*), round(avg(transaction_count), 6), round(stddev_samp(transaction_count), 6),"
                + " round(avg(transaction_count) FILTER (WHERE extract(isodow FROM transaction_date) IN (6, 7)), 6)"
                + " FROM gold.store_daily_summary WHERE transaction_date BETWEEN DATE '2024-06-21' - 89 AND DATE '2024-06-21'"
                + " GROUP BY 1 ORDER BY 1"),
        TestDatabase.rows(
            "SELECT store_id, days_with_data, round(avg_daily_transactions::numeric, 6),"
                + " round(stddev_daily_transactions::numeric, 6), round(weekend_avg::numeric, 6) FROM platinum.store_features"
                + " WHERE as_of_date = '2024-06-21' ORDER BY 1"));
  }

  @Test
  public void everyCommandHasHelp() {
    for (String[] command :
        new String[][] {
          {"--help"},
          {"demo", "--help"},
          {"run", "--help"},
          {"run", "edge", "--help"},
          {"run", "band", "--help"},
          {"migrate", "--help"}
        }) {
      assertEquals(String.join(" ", command), 0, MedallionCli.execute(command));
    }
    assertEquals(2, MedallionCli.execute("run", "edge"));
    assertEquals(2, MedallionCli.execute("frobnicate"));
  }
}

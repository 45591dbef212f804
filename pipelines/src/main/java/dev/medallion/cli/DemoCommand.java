package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.pipelines.BandPipeline;
import dev.medallion.pipelines.EdgePipeline;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.platform.TablePrinter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medallion demo}: the edge pipeline on bundled sample files and the band pipeline on a
 * bundled recording of ElGoose API responses (replayed on loopback), into the embedded PostgreSQL
 * (or --jdbc-url), then the tables they wrote.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the edge pipeline on bundled sample files through bronze, silver, gold and platinum, and the band pipeline"
          + " on a bundled recording of ElGoose API responses through bronze, silver and gold, and print what they wrote.",
      "Uses an embedded PostgreSQL under --data-dir unless --jdbc-url is given. Safe to run again: nothing is duplicated."
    })
final class DemoCommand implements Callable<Integer> {
  /** The last day in the bundled sample files: platinum is computed as of it. */
  static final String SAMPLE_AS_OF = "2024-06-21";

  /** The bundled recording of ElGoose API responses. */
  static final String BAND_RECORDING = "recordings/elgoose/";

  @Mixin DatabaseOptions database;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile (default: ${DEFAULT-VALUE}).")
  String profile;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path landing = database.dataDir.resolve("demo/edge/landing").toAbsolutePath();
    int copied = copySampleFiles(landing);
    out.printf("Copied %d sample edge-device files to %s%n", copied, landing);
    try (DatabaseOptions.Database db = database.open()) {
      out.println(
          db.isEmbedded()
              ? "Embedded PostgreSQL: "
                  + db.target
                  + " (data in "
                  + database.dataDir.resolve("pgdata")
                  + ")"
              : "PostgreSQL: " + db.target);
      JobRunner runner = new JobRunner(db.target, out, HttpClientConfiguration.create());
      JobRunner.Outcome outcome =
          runner.run(
              JobRunner.plan(
                  new EdgePipeline(),
                  RunRequest.of(null, Mode.INCREMENTAL, profile, List.of("--source=" + landing))
                      .withAsOf(SAMPLE_AS_OF)));
      TablePrinter.print(
          out,
          db.target,
          "Rows per layer (all runs)",
          "SELECT 'bronze.edge_raw' AS table_name, count(*) AS rows FROM bronze.edge_raw"
              + " UNION ALL SELECT 'silver.edge_transactions', count(*) FROM silver.edge_transactions"
              + " UNION ALL SELECT 'silver.edge_quarantine', count(*) FROM silver.edge_quarantine"
              + " UNION ALL SELECT 'gold.store_daily_summary', count(*) FROM gold.store_daily_summary"
              + " UNION ALL SELECT 'platinum.store_features', count(*) FROM platinum.store_features");
      TablePrinter.print(
          out,
          db.target,
          "gold.store_daily_summary (latest 8 store-days)",
          "SELECT store_id, transaction_date, transaction_count AS txns, active_devices AS devices, total_revenue,"
              + " round(avg_transaction_value, 2) AS avg_value, most_common_payment AS top_payment"
              + " FROM gold.store_daily_summary ORDER BY transaction_date DESC, store_id LIMIT 8");
      TablePrinter.print(
          out,
          db.target,
          "platinum.store_features (as of " + SAMPLE_AS_OF + ")",
          "SELECT store_id, days_with_data AS days, round(avg_daily_transactions::numeric, 2) AS avg_daily_txns,"
              + " round(stddev_daily_transactions::numeric, 2) AS stddev_txns, round(avg_daily_revenue, 2) AS avg_daily_revenue,"
              + " round(ma7_transactions::numeric, 2) AS ma7_txns, round(weekday_avg::numeric, 2) AS weekday_avg,"
              + " round(weekend_avg::numeric, 2) AS weekend_avg FROM platinum.store_features"
              + " WHERE as_of_date = DATE '"
              + SAMPLE_AS_OF
              + "' ORDER BY store_id");
      TablePrinter.print(
          out,
          db.target,
          "ops.quarantine (why records were set aside; more: medallion quarantine list)",
          "SELECT pipeline, layer, error_class, regexp_replace(source, '^.*/', '') AS file, record_index AS record, reason"
              + " FROM ops.quarantine WHERE pipeline = 'edge' ORDER BY source, record_index LIMIT 10");
      boolean band = runBand(out, db.target);
      boolean inventory = InventoryDemo.run(out, db.target, database.dataDir, profile);
      boolean personal =
          PersonalDataDemo.run(
              out, db.target, database.dataDir.resolve("demo/landing").toAbsolutePath(), profile);
      return outcome.succeeded() && band && inventory && personal ? 0 : 1;
    }
  }

  /**
   * The band pipeline against the bundled ElGoose recording, served on loopback, then a few gold
   * rows.
   */
  private boolean runBand(PrintStream out, JdbcTarget target) throws SQLException {
    try (ReplayHttpServer recording = ReplayHttpServer.serving(BAND_RECORDING)) {
      out.println();
      out.println(
          "Serving the bundled ElGoose API recording ("
              + BAND_RECORDING
              + ") at "
              + recording.baseUrl());
      JobRunner.Outcome outcome =
          new JobRunner(target, out, HttpClientConfiguration.create())
              .run(
                  JobRunner.plan(
                      new BandPipeline(),
                      RunRequest.of(
                          null,
                          Mode.INCREMENTAL,
                          profile,
                          List.of("--elgooseBaseUrl=" + recording.baseUrl()))));
      TablePrinter.print(
          out,
          target,
          "gold.band_song_statistics (most played)",
          "SELECT song_name, times_played AS played, debut_date AS debut, last_played, current_gap AS gap,"
              + " average_gap AS avg_gap, jamchart_count AS jam_charts, times_set_opener AS openers,"
              + " times_set_closer AS closers, times_encore AS encores"
              + " FROM gold.band_song_statistics ORDER BY times_played DESC, song_name LIMIT 6");
      TablePrinter.print(
          out,
          target,
          "gold.band_show_summary",
          "SELECT show_date, venue_name, tour_name, songs, sets, encore_songs, debuts, jamcharts"
              + " FROM gold.band_show_summary ORDER BY show_date");
      TablePrinter.print(
          out,
          target,
          "gold.band_tour_summary",
          "SELECT tour_name, shows, first_show, last_show, performances, distinct_songs, debuts"
              + " FROM gold.band_tour_summary ORDER BY first_show");
      return outcome.succeeded();
    }
  }

  /** Copies the bundled sample files into the landing folder, as devices would upload them. */
  static int copySampleFiles(Path landing) throws IOException {
    Files.createDirectories(landing);
    int copied = 0;
    try (InputStream index = resource("demo/edge/files.txt");
        BufferedReader names =
            new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
      for (String name = names.readLine(); name != null; name = names.readLine()) {
        if (name.isBlank()) {
          continue;
        }
        try (InputStream file = resource("demo/edge/" + name.strip())) {
          Files.copy(file, landing.resolve(name.strip()), StandardCopyOption.REPLACE_EXISTING);
          copied++;
        }
      }
    }
    return copied;
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("The jar lacks " + name + ": rebuild it with mvn -DskipTests package");
    }
    return in;
  }
}

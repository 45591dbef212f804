package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.ops.CredentialStore;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.pipelines.GarminPipeline;
import dev.medallion.pipelines.SpotifyPipeline;
import dev.medallion.pipelines.StravaPipeline;
import dev.medallion.pipelines.TodoistPipeline;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.TablePrinter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The personal-data part of {@code medallion demo}: each connector against its bundled recording
 * (io's {@code recordings/<service>/}, replayed on loopback), raw pages landed in a local folder
 * ({@code --landing}), then a few rows of what it wrote.
 *
 * <p>A connector joins the demo with one line in {@link #CONNECTORS}: its pipeline, recording,
 * Beam-style flags (--propertyName=value) pointing it at the replay, the credentials the recording
 * accepts and the rows to show.
 */
final class PersonalDataDemo {
  private PersonalDataDemo() {}

  /** One connector in the demo. */
  record Connector(
      PipelineDefinition<?> pipeline,
      String recording,
      Function<String, List<String>> flags,
      Map<String, String> credentials,
      String title,
      String query) {}

  /** The connectors the demo runs, in order: a new connector is one entry here. */
  static final List<Connector> CONNECTORS =
      List.of(
          new Connector(
              new StravaPipeline(),
              "recordings/strava/",
              base ->
                  List.of(
                      "--stravaBaseUrl=" + base,
                      "--stravaTokenUrl=" + base + "/oauth/token",
                      "--perPage=2"),
              Map.of(
                  "STRAVA_CLIENT_ID", "12345",
                  "STRAVA_CLIENT_SECRET", "test-client-secret",
                  "STRAVA_REFRESH_TOKEN", "5f1e0c3a8b7d6e4f2a1b0c9d8e7f6a5b4c3d2e1f"),
              "silver.strava_activities",
              "SELECT activity_id, sport_type, to_char(start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
                  + " AS start_utc, round(distance_m::numeric / 1000, 2) AS km, moving_time_s"
                  + " FROM silver.strava_activities ORDER BY start_date DESC LIMIT 5"),
          new Connector(
              new SpotifyPipeline(),
              "recordings/spotify/",
              base ->
                  List.of(
                      "--spotifyBaseUrl=" + base,
                      "--spotifyTokenUrl=" + base + "/api/token",
                      "--streams=recently_played",
                      "--pageSize=3"),
              Map.of(
                  "SPOTIFY_CLIENT_ID", "spotify-client",
                  "SPOTIFY_CLIENT_SECRET", "spotify-secret",
                  "SPOTIFY_REFRESH_TOKEN", "AQDx-first-refresh-token"),
              "gold.listening_daily",
              "SELECT * FROM gold.listening_daily ORDER BY 1 DESC LIMIT 5"),
          // The library, playlists and top items: the recording's pages hold two items each.
          new Connector(
              new SpotifyPipeline(),
              "recordings/spotify/",
              base ->
                  List.of(
                      "--spotifyBaseUrl=" + base,
                      "--spotifyTokenUrl=" + base + "/api/token",
                      "--streams=saved_tracks,saved_albums,playlists,top_tracks,top_artists",
                      "--pageSize=2",
                      "--asOf=2026-11-01"),
              Map.of(
                  "SPOTIFY_CLIENT_ID", "spotify-client",
                  "SPOTIFY_CLIENT_SECRET", "spotify-secret",
                  "SPOTIFY_REFRESH_TOKEN", "AQDx-first-refresh-token"),
              "gold.top_items_history",
              "SELECT * FROM gold.top_items_history ORDER BY 1 DESC, 2, 3, 4 LIMIT 6"),
          new Connector(
              new GarminPipeline(),
              "recordings/garmin/",
              base ->
                  List.of(
                      "--garminBaseUrl=" + base,
                      "--garminTokenUrl=" + base + "/di-oauth2-service/oauth/token",
                      "--limit=2",
                      "--since=2024-06-20",
                      "--asOf=2024-06-24"),
              Map.of(
                  "GARMIN_DI_CLIENT_ID", "test-di-client",
                  "GARMIN_ACCESS_TOKEN", "env-garmin-access-token-0001",
                  "GARMIN_REFRESH_TOKEN", "first-garmin-refresh"),
              "gold.sleep_nightly and gold.training_weekly",
              "SELECT 'sleep' AS kind, calendar_date::text AS period, NULL AS sport,"
                  + " total_sleep_h || ' h, score ' || sleep_score AS value FROM gold.sleep_nightly"
                  + " UNION ALL SELECT 'training', iso_week, sport, activities || ' activities, '"
                  + " || distance_km || ' km' FROM gold.training_weekly ORDER BY 1, 2 LIMIT 8"),
          new Connector(
              new TodoistPipeline(),
              "recordings/todoist/",
              base ->
                  List.of(
                      "--todoistBaseUrl=" + base,
                      "--pageSize=2",
                      "--completedUntil=2024-06-19T00:00:00Z",
                      "--asOf=2024-06-19"),
              Map.of("TODOIST_API_TOKEN", "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"),
              "gold.tasks_daily",
              "SELECT * FROM gold.tasks_daily ORDER BY 1 DESC, 2 LIMIT 5"));

  /**
   * Runs every connector, landing under {@code landing}; true when all succeeded. The recordings'
   * credentials are set for this process only (the CLI never reads them otherwise), and a demo key
   * for the credential store when MEDALLION_SECRET_KEY is not set.
   */
  static boolean run(PrintStream out, JdbcTarget target, Path landing, String profile)
      throws SQLException {
    if (System.getenv(CredentialStore.KEY_VARIABLE) == null) {
      ProcessEnvironment.setForTests(CredentialStore.KEY_VARIABLE, "medallion demo key");
    }
    boolean all = true;
    for (Connector connector : CONNECTORS) {
      connector.credentials().forEach(ProcessEnvironment::setForTests);
      try (ReplayHttpServer recording = ReplayHttpServer.serving(connector.recording())) {
        out.println();
        out.printf(
            "Serving the bundled %s recording (%s) at %s; raw pages land in %s%n",
            connector.pipeline().name(), connector.recording(), recording.baseUrl(), landing);
        List<String> flags = new ArrayList<>(connector.flags().apply(recording.baseUrl()));
        flags.add("--landing=" + landing);
        JobRunner.Outcome outcome =
            new JobRunner(target, out, HttpClientConfiguration.create())
                .run(
                    JobRunner.plan(
                        connector.pipeline(),
                        RunRequest.of(null, Mode.INCREMENTAL, profile, flags)));
        all &= outcome.succeeded();
        TablePrinter.print(out, target, connector.title(), connector.query());
      }
    }
    return all;
  }
}

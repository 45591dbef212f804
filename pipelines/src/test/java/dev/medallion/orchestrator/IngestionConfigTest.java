package dev.medallion.orchestrator;

import static org.junit.Assert.assertEquals;

import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.junit.Test;

/** The shipped ingestion-config.yaml, and every message config validate gives for a bad one. */
public class IngestionConfigTest {

  private static ConfigReader.Loaded shipped() throws IOException {
    try (InputStream in = IngestionConfigTest.class.getResourceAsStream(ConfigReader.BUNDLED)) {
      return ConfigReader.read(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "ingestion-config.yaml");
    }
  }

  private static List<String> problems(String yaml) {
    ConfigReader.Loaded loaded = ConfigReader.read(yaml, "test.yaml");
    List<String> all = new ArrayList<>();
    loaded.problems().forEach(p -> all.add(p.toString()));
    if (!loaded.readable()) {
      return all;
    }
    ConfigValidator.problems(loaded.config()).forEach(p -> all.add(p.toString()));
    return all;
  }

  @Test
  public void theShippedConfigIsValidWithTheSeedsJobsAndGroups() throws IOException {
    ConfigReader.Loaded loaded = shipped();
    IngestionConfig config = loaded.config();
    assertEquals(List.of(), loaded.problems());
    assertEquals(List.of(), ConfigValidator.problems(config));
    assertEquals("Europe/Paris", config.global().timezone());
    assertEquals(2, config.global().retryAttempts());
    assertEquals(3, config.global().maxParallelJobs());
    assertEquals(30, config.global().timeoutMinutes());
    assertEquals(
        Map.of("dev", "ela-dp-dev", "prd", "ela-dp-prd"), config.global().landingBuckets());
    assertEquals(
        List.of(
            "spotify_recently_played spotify/recently_played 0 */2 * * *",
            "spotify_saved_tracks spotify/saved_tracks 0 12 * * 0",
            "spotify_saved_albums spotify/saved_albums 0 12 * * 0",
            "spotify_playlists spotify/playlists 0 8 1 * *",
            "spotify_top_tracks spotify/top_tracks 0 9 1 * *",
            "spotify_top_artists spotify/top_artists 0 10 1 * *",
            "strava_activities strava/activities 0 */6 * * *",
            "strava_athlete strava/athlete 0 6 * * 1",
            "garmin_activities garmin/activities 0 */4 * * *",
            "garmin_sleep garmin/sleep 0 8 * * *",
            "garmin_heart_rate garmin/heart_rate 0 */8 * * *",
            "todoist_tasks todoist/tasks 0 */3 * * *",
            "todoist_projects todoist/projects 0 7 * * *"),
        config.jobs().values().stream()
            .map(j -> j.id() + " " + j.service() + "/" + j.dataType() + " " + j.cron())
            .toList());
    assertEquals(
        List.of(
            "spotify_all",
            "fitness_all",
            "productivity_all",
            "daily_jobs",
            "weekly_jobs",
            "monthly_jobs"),
        List.copyOf(config.groups().keySet()));
    // Every shipped job has its connector now, so every one is enabled.
    config.jobs().values().forEach(j -> assertEquals(j.id(), true, j.enabled()));
  }

  /**
   * The schedules match their descriptions: over one week of winter (Monday 12 to Sunday 18 January
   * 2026), the number of fire times of each job; and the groups hold the jobs whose schedules say
   * daily, weekly, monthly.
   */
  @Test
  public void theShippedSchedulesMatchTheirDescriptions() throws IOException {
    IngestionConfig config = shipped().config();
    ZoneId zone = config.global().zone();
    Instant from = Instant.parse("2026-01-11T23:00:00Z"); // Monday 12 Jan 00:00 CET
    Instant to = Instant.parse("2026-01-18T23:00:00Z"); // a week later
    Map<String, Integer> perWeek = new LinkedHashMap<>();
    for (Job job : config.jobs().values()) {
      Cron cron = Cron.parse(job.cron());
      int fires = 0;
      Instant t = from.minusSeconds(1);
      while (true) {
        Instant next = cron.nextAfter(t, zone).orElseThrow();
        if (!next.isBefore(to)) {
          break;
        }
        fires++;
        t = next;
      }
      perWeek.put(job.id(), fires);
    }
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("spotify_recently_played", 7 * 12); // every 2 h
    expected.put("spotify_saved_tracks", 1); // weekly
    expected.put("spotify_saved_albums", 1);
    expected.put("spotify_playlists", 0); // monthly: no 1st in 12-18 January
    expected.put("spotify_top_tracks", 0);
    expected.put("spotify_top_artists", 0);
    expected.put("strava_activities", 7 * 4); // every 6 h
    expected.put("strava_athlete", 1); // weekly
    expected.put("garmin_activities", 7 * 6); // every 4 h
    expected.put("garmin_sleep", 7); // daily
    expected.put("garmin_heart_rate", 7 * 3); // every 8 h
    expected.put("todoist_tasks", 7 * 8); // every 3 h
    expected.put("todoist_projects", 7); // daily
    assertEquals(expected, perWeek);
    for (Entry<String, Integer> group : Map.of("daily_jobs", 7, "weekly_jobs", 1).entrySet()) {
      for (String id : config.groups().get(group.getKey()).jobs()) {
        assertEquals(group.getKey() + " " + id, group.getValue(), perWeek.get(id));
      }
    }
    // Monthly: each fires once in January 2026, on the 1st.
    for (String id : config.groups().get("monthly_jobs").jobs()) {
      Instant first =
          Cron.parse(config.jobs().get(id).cron())
              .nextAfter(Instant.parse("2025-12-31T12:00:00Z"), zone)
              .orElseThrow();
      assertEquals(id, 1, first.atZone(zone).getDayOfMonth());
      Instant second =
          Cron.parse(config.jobs().get(id).cron()).nextAfter(first, zone).orElseThrow();
      assertEquals(id, 2, second.atZone(zone).getMonthValue());
    }
  }

  @Test
  public void everyProblemIsReportedWithItsPath() {
    String yaml =
        String.join(
            "\n",
            "global:",
            "  timezone: Europe/Pariss",
            "  retry_attempts: two",
            "  max_parallel_jobs: 0",
            "  gcs_bucket_dev: ela-dp-dev",
            "  colour: blue",
            "services:",
            "  spotify:",
            "    supported_data_types: [recently_played, podcasts]",
            "  myspace:",
            "    supported_data_types: [friends]",
            "jobs:",
            "  strava_activities:",
            "    service: strava",
            "    data_type: activities",
            "    cron: '0 */6 * *'",
            "    environment: dev",
            "    dependencies: [STRAVA_REFRESH_TOKEN]",
            "  spotify_saved_tracks:",
            "    service: spotify",
            "    data_type: saved_tracks",
            "    cron: '0 12 * * 0'",
            "    environment: prd",
            "    enabled: maybe",
            "    dependencies: [SPOTIFY-TOKEN]",
            "  spotify_recently_played:",
            "    service: spotify",
            "    data_type: top_albums",
            "    cron: '0 25 * * *'",
            "    environment: dev",
            "    command: python -m fetch",
            "  todoist_tasks:",
            "    service: todoist",
            "    environment: dev",
            "    dependencies: TODOIST_API_TOKEN",
            "job_groups:",
            "  weekly_jobs:",
            "    jobs: [spotify_saved_tracks, strava_athlete]",
            "  empty:",
            "    jobs: []",
            "");
    assertEquals(
        List.of(
            "global.colour: unknown key: global has max_parallel_jobs, retry_attempts,"
                + " timeout_minutes, timezone and gcs_bucket_<environment>",
            "global.retry_attempts: 'two' is not a whole number",
            "jobs.spotify_saved_tracks.enabled: 'maybe' is not true or false",
            "jobs.spotify_recently_played.command: unknown key: use cron, data_type, dependencies,"
                + " description, enabled, environment, service",
            "jobs.todoist_tasks.data_type: is missing",
            "jobs.todoist_tasks.cron: is missing",
            "jobs.todoist_tasks.dependencies: is not a list (write [A, B] or one \"- A\" per line)",
            "global.timezone: 'Europe/Pariss' is not a time zone: use a region such as"
                + " Europe/Paris or UTC",
            "global.max_parallel_jobs: use 1 or more",
            "services.spotify.supported_data_types[1]: 'podcasts' is not a data type of spotify:"
                + " use recently_played, saved_tracks, saved_albums, playlists, top_tracks,"
                + " top_artists",
            "services.myspace: unknown service: known services are spotify, strava, garmin,"
                + " todoist",
            "jobs.strava_activities.service: 'strava' is not under services: add it there",
            "jobs.strava_activities.cron: '0 */6 * *' has 4 field(s): use five (minute hour"
                + " day-of-month month day-of-week), e.g. \"0 */2 * * *\"",
            "jobs.spotify_saved_tracks.data_type: 'saved_tracks' is not in"
                + " services.spotify.supported_data_types",
            "jobs.spotify_saved_tracks.environment: 'prd' has no landing bucket"
                + " (global.gcs_bucket_prd); environments: dev",
            "jobs.spotify_saved_tracks.dependencies[0]: 'SPOTIFY-TOKEN' is not an environment"
                + " variable name",
            "jobs.spotify_recently_played.data_type: 'top_albums' is not a data type of spotify:"
                + " use recently_played, saved_tracks, saved_albums, playlists, top_tracks,"
                + " top_artists",
            "jobs.spotify_recently_played.cron: '0 25 * * *' hour field '25': value 25 not in range [0, 23]",
            "jobs.spotify_recently_played.dependencies: lists none: name the environment"
                + " variables the job needs (its secrets)",
            "jobs.todoist_tasks.service: 'todoist' is not under services: add it there",
            "jobs.todoist_tasks.dependencies: lists none: name the environment variables the job"
                + " needs (its secrets)",
            "job_groups.weekly_jobs.jobs[1]: 'strava_athlete' is not a job of this file (see"
                + " jobs:)",
            "job_groups.empty.jobs: is empty: list the job ids of the group"),
        problems(yaml));
  }

  @Test
  public void unreadableYamlDuplicateKeysAndUnknownServicesOfAJob() {
    assertEquals(List.of("(file): is empty"), problems(""));
    assertEquals(
        List.of(
            "global.timezone: is missing",
            "global: names no environment: add a landing bucket per environment, e.g."
                + " gcs_bucket_dev: my-bucket-dev"),
        problems("global: {}\njobs: {}\n"));
    List<String> duplicate =
        problems("global:\n  timezone: UTC\n  timezone: UTC\n  gcs_bucket_dev: b\njobs: {}\n");
    assertEquals(1, duplicate.size());
    assertEquals(true, duplicate.get(0).startsWith("(file): is not valid YAML: "));
    assertEquals(true, duplicate.get(0).contains("duplicate key timezone"));
    assertEquals(
        List.of(
            "jobs.x.service: 'myspace' is not a known service: use spotify, strava, garmin,"
                + " todoist"),
        problems(
            "global:\n  timezone: UTC\n  gcs_bucket_dev: b\njobs:\n  x:\n    service: myspace\n"
                + "    data_type: friends\n    cron: '@daily'\n    environment: dev\n"
                + "    dependencies: [MYSPACE_TOKEN]\n"));
  }

  @Test
  public void checkEnvNamesEachUnsetDependencyOfAnEnabledJob() throws IOException {
    IngestionConfig config = shipped().config();
    Map<String, String> env =
        Map.of(
            "SPOTIFY_CLIENT_ID", "id",
            "SPOTIFY_CLIENT_SECRET", "s",
            "SPOTIFY_REFRESH_TOKEN", "t",
            "STRAVA_CLIENT_ID", "id",
            "STRAVA_CLIENT_SECRET", "",
            "STRAVA_REFRESH_TOKEN", "t",
            "GARMIN_DI_CLIENT_ID", "c",
            "GARMIN_REFRESH_TOKEN", "r",
            "TODOIST_API_TOKEN", "t");
    List<Problem> unset = ConfigValidator.unsetDependencies(config, env::get);
    assertEquals(
        List.of(
            "jobs.strava_activities.dependencies[1]: STRAVA_CLIENT_SECRET is not set in the"
                + " environment",
            "jobs.strava_athlete.dependencies[1]: STRAVA_CLIENT_SECRET is not set in the"
                + " environment"),
        unset.stream().map(Problem::toString).toList());
  }
}

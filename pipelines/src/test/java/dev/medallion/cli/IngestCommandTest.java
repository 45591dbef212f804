package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.medallion.platform.example.PersonalProbePipeline;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code medallion ingest} and {@code medallion config validate} through the real CLI against a
 * real PostgreSQL, each job a real DirectRunner run of the test-only {@link PersonalProbePipeline}
 * (the config's services name it with {@code pipeline: personal_probe}), which counts a set number
 * of records per stream and fails the streams a test marks as failing.
 */
public class IngestCommandTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /**
   * Three services, all run by the probe (so their jobs share one queue). Crons in Paris time; in
   * January Paris is UTC+1. spotify_saved_tracks is disabled and needs a variable nobody sets.
   */
  private static final String CONFIG =
      String.join(
          "\n",
          "global:",
          "  timezone: Europe/Paris",
          "  retry_attempts: 1",
          "  max_parallel_jobs: 2",
          "  timeout_minutes: 5",
          "  gcs_bucket_dev: test-dev",
          "  gcs_bucket_prd: test-prd",
          "services:",
          "  spotify: {pipeline: personal_probe}",
          "  strava: {pipeline: personal_probe}",
          "  todoist: {pipeline: personal_probe}",
          "jobs:",
          "  spotify_recently_played:",
          "    {service: spotify, data_type: recently_played, cron: '0 */2 * * *',",
          "     environment: dev, dependencies: [HOME]}",
          "  spotify_saved_tracks:",
          "    {service: spotify, data_type: saved_tracks, cron: '0 12 * * 0', environment: dev,",
          "     enabled: false, dependencies: [MEDALLION_TEST_NEVER_SET]}",
          "  strava_activities:",
          "    {service: strava, data_type: activities, cron: '0 */6 * * *', environment: dev,",
          "     dependencies: [HOME]}",
          "  todoist_tasks:",
          "    {service: todoist, data_type: tasks, cron: '0 */3 * * *', environment: dev,",
          "     enabled: false, dependencies: [HOME]}",
          "  todoist_projects:",
          "    {service: todoist, data_type: projects, cron: '0 7 * * *', environment: dev,",
          "     dependencies: [HOME]}",
          "job_groups:",
          "  productivity_all: {jobs: [todoist_tasks, todoist_projects]}",
          "");

  private Path config;

  @Before
  public void setUp() throws IOException {
    TestDatabase.truncate("ops.job_schedule_state", "ops.pipeline_runs");
    PersonalProbePipeline.reset();
    config = folder.getRoot().toPath().resolve("ingestion-config.yaml");
    Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
  }

  private static List<String> states() {
    return TestDatabase.rows(
        "SELECT job_id, environment, coalesce(to_char(last_served_fire AT TIME ZONE 'UTC',"
            + " 'YYYY-MM-DD\"T\"HH24:MI\"Z\"'), '-'), last_status, coalesce(last_records::text, '-'),"
            + " coalesce(regexp_replace(last_error, ':[0-9]+$', ''), '-') FROM ops.job_schedule_state ORDER BY job_id, environment");
  }

  @Test
  public void dueJobsRunOnceEachWithAFailureIsolatedAndTriedAgainByTheNextTrigger()
      throws IOException {
    PersonalProbePipeline.RECORDS.put("recently_played", 3);
    PersonalProbePipeline.RECORDS.put("projects", 1);
    PersonalProbePipeline.FAILING.add("activities");
    Path summary = folder.getRoot().toPath().resolve("summary.md");
    Path logs = folder.getRoot().toPath().resolve("logs");

    // 09:40Z = 10:40 CET, never run before: every enabled job with a past fire time is due.
    // recently_played fired at 10:00 CET (09:00Z), activities at 06:00 CET (05:00Z), projects at
    // 07:00 CET (06:00Z). Activities fails twice (retry_attempts 1); the others land.
    CapturedRun.Result first =
        ingest(
            "--at",
            "2026-01-15T09:40:00Z",
            "--trigger",
            "schedule",
            "--summary",
            summary.toString(),
            "--error-logs",
            logs.toString());
    assertEquals(first.errors(), 1, first.exitCode());
    assertThat(
        first.output(),
        containsString(
            "Ingestion at 2026-01-15T09:40:00Z (2026-01-15 10:40 CET), trigger schedule,"
                + " environment dev (each job's own): 3 of 5 job(s) ran: 2 succeeded, 1 failed"));
    assertThat(first.output(), containsString("failed (2 attempts)"));
    assertThat(
        first.output(),
        containsString(
            "strava_activities: IllegalStateException: probe: the API refused activities:"));
    assertEquals(
        List.of("recently_played@dev", "activities@dev", "activities@dev", "projects@dev"),
        PersonalProbePipeline.RUNS);
    assertEquals(
        List.of(
            "spotify_recently_played|dev|2026-01-15T09:00Z|succeeded|3|-",
            "strava_activities|dev|-|failed|-|IllegalStateException: probe: the API refused activities",
            "todoist_projects|dev|2026-01-15T06:00Z|succeeded|1|-"),
        states());
    assertEquals(
        List.of("failed|2", "succeeded|2"),
        TestDatabase.rows(
            "SELECT status, count(*) FROM ops.pipeline_runs WHERE pipeline = 'personal_probe'"
                + " GROUP BY status ORDER BY status"));
    String markdown = Files.readString(summary);
    assertThat(
        markdown,
        containsString(
            "| spotify_recently_played | spotify | recently_played | dev | succeeded | 3 |"));
    assertThat(
        markdown,
        containsString("- `strava_activities`: IllegalStateException: probe: the API refused"));
    assertEquals(List.of("strava_activities.log"), list(logs));
    assertThat(
        Files.readString(logs.resolve("strava_activities.log")), containsString("Attempt 2 of 2"));

    // 10:05Z, late: only the failed job is still due (its 05:00Z fire time is unserved).
    PersonalProbePipeline.FAILING.clear();
    CapturedRun.Result second = ingest("--at", "2026-01-15T10:05:00Z");
    assertEquals(second.errors(), 0, second.exitCode());
    assertThat(second.output(), containsString("1 of 5 job(s) ran: 1 succeeded, 0 failed"));
    assertThat(second.output(), containsString("trigger schedule"));
    assertEquals("activities@dev", PersonalProbePipeline.RUNS.get(4));
    assertEquals(5, PersonalProbePipeline.RUNS.size());

    // 10:30Z: nothing is due; a second trigger in the same hour never runs a job twice.
    CapturedRun.Result third = ingest("--at", "2026-01-15T10:30:00Z");
    assertEquals(0, third.exitCode());
    assertThat(third.output(), containsString("No job was due."));
    assertEquals(5, PersonalProbePipeline.RUNS.size());
    assertEquals(
        List.of(
            "spotify_recently_played|dev|2026-01-15T09:00Z|succeeded|3|-",
            "strava_activities|dev|2026-01-15T05:00Z|succeeded|2|-",
            "todoist_projects|dev|2026-01-15T06:00Z|succeeded|1|-"),
        states());

    // --list at 10:30Z = 11:30 CET: nothing due; recently_played next at 12:00 CET.
    CapturedRun.Result listed = ingest("--list", "--at", "2026-01-15T10:30:00Z");
    assertEquals(0, listed.exitCode());
    assertThat(listed.output(), containsString("spotify_recently_played | dev | 0 */2 * * *"));
    assertThat(listed.output(), containsString("2026-01-15 12:00 CET"));
    assertThat(listed.output(), containsString("spotify_saved_tracks"));
    assertThat(listed.output(), containsString("0 12 * * 0 (disabled)"));
    assertThat(listed.output(), not(containsString("yes (fired")));
    // At 11:00Z = 12:00 CET recently_played is due again.
    CapturedRun.Result later = ingest("--list", "--at", "2026-01-15T11:00:00Z");
    assertThat(later.output(), containsString("yes (fired 2026-01-15 12:00 CET)"));
  }

  @Test
  public void aNamedJobAGroupAndForceRunDueOrNot() {
    // The disabled job with an unset dependency: named, it is tried and fails without a run.
    CapturedRun.Result job =
        ingest("--job", "spotify_saved_tracks", "--at", "2026-01-15T09:40:00Z");
    assertEquals(1, job.exitCode());
    assertThat(job.output(), containsString("trigger manual"));
    assertThat(
        job.output(),
        containsString(
            "spotify_saved_tracks: not started: MEDALLION_TEST_NEVER_SET not set in the environment"));
    assertEquals(List.of(), PersonalProbePipeline.RUNS);

    // The group's enabled job only, in prd (--env): its own state row, apart from dev's.
    CapturedRun.Result group =
        ingest("--group", "productivity_all", "--env", "prd", "--at", "2026-01-15T09:40:00Z");
    assertEquals(group.errors(), 0, group.exitCode());
    assertThat(group.output(), containsString("environment prd: 1 of 5 job(s) ran"));
    assertEquals(List.of("projects@prd"), PersonalProbePipeline.RUNS);

    // --force: every enabled job, even those whose fire time is served.
    CapturedRun.Result forced = ingest("--force", "--at", "2026-01-15T09:40:00Z");
    assertEquals(forced.errors(), 0, forced.exitCode());
    assertEquals(
        List.of("projects@prd", "recently_played@dev", "activities@dev", "projects@dev"),
        PersonalProbePipeline.RUNS);
    assertEquals(
        List.of(
            "spotify_recently_played|dev|2026-01-15T09:00Z|succeeded|2|-",
            "spotify_saved_tracks|dev|-|failed|-|not started: MEDALLION_TEST_NEVER_SET not set in"
                + " the environment",
            "strava_activities|dev|2026-01-15T05:00Z|succeeded|2|-",
            "todoist_projects|dev|2026-01-15T06:00Z|succeeded|2|-",
            "todoist_projects|prd|2026-01-15T06:00Z|succeeded|2|-"),
        states());
  }

  @Test
  public void hourlyTriggersAcrossSpringForwardThroughTheStore() throws IOException {
    // Only recently_played (every 2 h, Paris). Fire times: 23:00Z (00:00 CET), 01:00Z (the
    // skipped 02:00), 02:00Z (04:00 CEST). Served before: 21:00Z.
    Files.writeString(
        config,
        CONFIG
            .replace(
                "dependencies: [HOME]}\n  todoist_tasks",
                "enabled: false, dependencies: [HOME]}\n  todoist_tasks")
            .replace(
                "data_type: projects, cron: '0 7 * * *', environment: dev,",
                "data_type: projects, cron: '0 7 * * *', environment: dev, enabled: false,"),
        StandardCharsets.UTF_8);
    TestDatabase.execute(
        "INSERT INTO ops.job_schedule_state (job_id, environment, last_served_fire, last_status)"
            + " VALUES ('spotify_recently_played', 'dev', '2026-03-28T21:00:00Z', 'succeeded')");
    List<String> ran = new ArrayList<>();
    for (String at :
        List.of(
            "2026-03-28T22:00:00Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29T00:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-29T02:00:00Z",
            "2026-03-29T03:00:00Z")) {
      CapturedRun.Result r = ingest("--at", at);
      assertEquals(r.errors(), 0, r.exitCode());
      if (!r.output().contains("No job was due.")) {
        ran.add(at);
      }
    }
    assertEquals(
        List.of("2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"), ran);
    assertEquals(3, PersonalProbePipeline.RUNS.size());
    assertEquals(List.of("spotify_recently_played|dev|2026-03-29T02:00Z|succeeded|2|-"), states());
  }

  @Test
  public void dryRunTouchesNothingAndBadRequestsExitTwo() throws IOException {
    CapturedRun.Result dry =
        CapturedRun.execute(
            List.of(
                "ingest",
                "--config",
                config.toString(),
                "--group",
                "productivity_all",
                "--dry-run",
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/none"));
    assertEquals(dry.errors(), 0, dry.exitCode());
    assertThat(
        dry.output(),
        containsString("Plan: ingest the enabled jobs of group productivity_all at "));
    assertThat(dry.output(), containsString(": todoist_projects. Config and flags are valid"));
    assertEquals(List.of(), PersonalProbePipeline.RUNS);

    assertBad(List.of("--job", "nope"), "--job: 'nope' is not a job of");
    assertBad(List.of("--group", "nope"), "--group: 'nope' is not a group of");
    assertBad(List.of("--env", "qa"), "--env: 'qa' has no landing bucket in global: use");
    assertBad(List.of("--at", "yesterday"), "--at: 'yesterday' is not a time");
    Files.writeString(config, CONFIG.replace("'0 */6 * * *'", "'0 */6 * *'"));
    assertBad(List.of(), "jobs.strava_activities.cron: '0 */6 * *' has 4 field(s)");
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.job_schedule_state"));
  }

  private void assertBad(List<String> flags, String message) {
    List<String> args = new ArrayList<>(List.of("ingest", "--config", config.toString()));
    args.addAll(flags);
    args.add("--dry-run");
    CapturedRun.Result r = CapturedRun.execute(args);
    assertEquals(r.output() + r.errors(), 2, r.exitCode());
    assertThat(r.errors(), containsString(message));
  }

  @Test
  public void configValidateReportsEachProblemWithItsPathAndExitsTwo() throws IOException {
    CapturedRun.Result shipped = CapturedRun.execute(List.of("config", "validate"));
    assertEquals(shipped.errors(), 0, shipped.exitCode());
    assertThat(
        shipped.output(),
        containsString(
            "ingestion-config.yaml is valid: 4 service(s), 13 job(s) (13 enabled), 6 group(s),"
                + " crons in Europe/Paris."));
    CapturedRun.Result ok =
        CapturedRun.execute(List.of("config", "validate", "--config", config.toString()));
    assertEquals(0, ok.exitCode());
    assertFalse(ok.output().contains("warning"));

    CapturedRun.Result unset =
        CapturedRun.execute(
            List.of("config", "validate", "--config", config.toString(), "--check-env"));
    // Only enabled jobs count: the disabled job's unset variable is not reported.
    assertEquals(0, unset.exitCode());
    Files.writeString(
        config,
        CONFIG.replace(
            "enabled: false, dependencies: [MEDALLION_TEST_NEVER_SET]",
            "dependencies: [MEDALLION_TEST_NEVER_SET]"));
    CapturedRun.Result checked =
        CapturedRun.execute(
            List.of("config", "validate", "--config", config.toString(), "--check-env"));
    assertEquals(2, checked.exitCode());
    assertThat(
        checked.errors(),
        containsString(
            "jobs.spotify_saved_tracks.dependencies[0]: MEDALLION_TEST_NEVER_SET is not set in the"
                + " environment"));

    Files.writeString(
        config,
        CONFIG.replace("'0 */6 * * *'", "'0 24 * * *'").replace("Europe/Paris", "Mars/Olympus"));
    CapturedRun.Result bad =
        CapturedRun.execute(List.of("config", "validate", "--config", config.toString()));
    assertEquals(2, bad.exitCode());
    assertThat(bad.errors(), containsString("global.timezone: 'Mars/Olympus' is not a time zone"));
    assertThat(
        bad.errors(),
        containsString(
            "jobs.strava_activities.cron: '0 24 * * *' hour field '24': value 24 not in range [0, 23]"));
    assertThat(bad.errors(), containsString("2 problem(s) in " + config));
    assertTrue(bad.output().isEmpty());
  }

  private CapturedRun.Result ingest(String... flags) {
    List<String> args = new ArrayList<>(List.of("ingest", "--config", config.toString()));
    args.addAll(List.of(flags));
    args.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return CapturedRun.execute(args);
  }

  private static List<String> list(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}

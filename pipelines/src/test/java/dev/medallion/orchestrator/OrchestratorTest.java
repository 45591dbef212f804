package dev.medallion.orchestrator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.ops.JobScheduleStore;
import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Before;
import org.junit.Test;

/**
 * How the orchestrator runs jobs, with a launcher the test controls and the real store: at most
 * max_parallel_jobs at once, a service's jobs one after the other, a failure (or an exception) kept
 * to its job, and an attempt that overruns its time limit.
 */
public class OrchestratorTest {
  private static final Instant AT = Instant.parse("2026-01-15T09:40:00Z");

  @Before
  public void clean() {
    TestDatabase.truncate("ops.job_schedule_state");
  }

  /** Four services with two jobs each, every job due (never run, hourly). */
  private static IngestionConfig config(int maxParallel) {
    return config(maxParallel, 0);
  }

  private static IngestionConfig config(int maxParallel, int retries) {
    StringBuilder yaml =
        new StringBuilder(
            "global: {timezone: UTC, retry_attempts: "
                + retries
                + ", max_parallel_jobs: "
                + maxParallel
                + ", gcs_bucket_dev: b}\nservices: {spotify: {}, strava: {}, garmin: {},"
                + " todoist: {}}\njobs:\n");
    Map<String, List<String>> types =
        Map.of(
            "spotify", List.of("playlists", "top_tracks"),
            "strava", List.of("activities", "athlete"),
            "garmin", List.of("sleep", "heart_rate"),
            "todoist", List.of("tasks", "projects"));
    for (String service : List.of("spotify", "strava", "garmin", "todoist")) {
      for (String type : types.get(service)) {
        yaml.append("  ")
            .append(service)
            .append('_')
            .append(type)
            .append(": {service: ")
            .append(service)
            .append(", data_type: ")
            .append(type)
            .append(", cron: '0 * * * *', environment: dev, dependencies: [HOME]}\n");
      }
    }
    ConfigReader.Loaded loaded = ConfigReader.read(yaml.toString(), "test.yaml");
    assertEquals(List.of(), loaded.problems());
    assertEquals(List.of(), ConfigValidator.problems(loaded.config()));
    return loaded.config();
  }

  private abstract static class Launcher implements JobLauncher {
    @Override
    public Optional<String> check(IngestionConfig config, Job job, String environment) {
      return Optional.empty();
    }
  }

  private static List<Orchestrator.JobResult> run(
      IngestionConfig config, JobLauncher launcher, Duration timeout) {
    Orchestrator orchestrator =
        new Orchestrator(
            config, new JobScheduleStore(TestDatabase.target()), launcher, System::getenv, timeout);
    Orchestrator.Request request = new Orchestrator.Request(null, null, false, null, AT, "test");
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return orchestrator.run(orchestrator.select(request), out);
  }

  @Test
  public void twoServicesRunSideBySideNeverThreeAndAServicesJobsOneAfterTheOther()
      throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Map<String, AtomicInteger> perService = new ConcurrentHashMap<>();
    // The first two jobs to start wait for each other: with one worker this would never trip.
    CyclicBarrier firstPair = new CyclicBarrier(2);
    AtomicInteger started = new AtomicInteger();
    JobLauncher launcher =
        new Launcher() {
          @Override
          public Launch launch(IngestionConfig config, Job job, String env, PrintStream log) {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            int sameService =
                perService
                    .computeIfAbsent(job.service(), s -> new AtomicInteger())
                    .incrementAndGet();
            try {
              assertEquals("jobs of one service at once", 1, sameService);
              if (started.incrementAndGet() <= 2) {
                firstPair.await(60, TimeUnit.SECONDS);
              }
              return new Launch(job.id() + "-run", true, 7, null);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              perService.get(job.service()).decrementAndGet();
              running.decrementAndGet();
            }
          }
        };
    List<Orchestrator.JobResult> results = run(config(2), launcher, Duration.ofMinutes(5));
    assertEquals(8, results.size());
    results.forEach(r -> assertEquals(r.job().id(), Orchestrator.Status.SUCCEEDED, r.status()));
    assertEquals(2, most.get());
    assertEquals(
        8,
        TestDatabase.count(
            "SELECT count(*) FROM ops.job_schedule_state WHERE last_status = 'succeeded'"
                + " AND last_served_fire = '2026-01-15T09:00:00Z' AND last_records = 7"));
  }

  @Test
  public void aFailureOrAnExceptionStaysWithItsJob() {
    JobLauncher launcher =
        new Launcher() {
          @Override
          public Launch launch(IngestionConfig config, Job job, String env, PrintStream log) {
            if (job.id().equals("strava_activities")) {
              throw new IllegalArgumentException("no such stream");
            }
            if (job.service().equals("garmin")) {
              return new Launch(job.id() + "-run", false, 0, "garmin said no");
            }
            return new Launch(job.id() + "-run", true, 1, null);
          }
        };
    List<Orchestrator.JobResult> results = run(config(3), launcher, Duration.ofMinutes(5));
    assertEquals(
        List.of(
            "spotify_playlists succeeded null",
            "spotify_top_tracks succeeded null",
            "strava_activities failed IllegalArgumentException: no such stream",
            "strava_athlete succeeded null",
            "garmin_sleep failed garmin said no",
            "garmin_heart_rate failed garmin said no",
            "todoist_tasks succeeded null",
            "todoist_projects succeeded null"),
        results.stream()
            .map(r -> r.job().id() + " " + r.status().label() + " " + r.error())
            .toList());
    assertEquals(
        3,
        TestDatabase.count(
            "SELECT count(*) FROM ops.job_schedule_state WHERE last_status = 'failed'"
                + " AND last_served_fire IS NULL"));
  }

  @Test
  public void aRunThatFailedIsTriedAgainAJobThatCouldNotStartIsNot() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    JobLauncher launcher =
        new Launcher() {
          @Override
          public Launch launch(IngestionConfig config, Job job, String env, PrintStream log) {
            int call = calls.computeIfAbsent(job.id(), j -> new AtomicInteger()).incrementAndGet();
            return switch (job.id()) {
              // Fails twice, then lands: 3 attempts, succeeded.
              case "spotify_playlists" ->
                  call < 3
                      ? new Launch("run-" + call, false, 0, "HTTP 503")
                      : new Launch("run-" + call, true, 4, null);
              // Always fails: 1 + 2 retries.
              case "strava_activities" -> new Launch("run-" + call, false, 0, "HTTP 500");
              // Never started (no run id): not retried.
              case "garmin_sleep" -> new Launch(null, false, 0, "no pipeline named garmin");
              default -> new Launch("run-" + call, true, 1, null);
            };
          }
        };
    List<Orchestrator.JobResult> results = run(config(2, 2), launcher, Duration.ofMinutes(5));
    assertEquals(
        List.of(
            "spotify_playlists succeeded 3 4",
            "spotify_top_tracks succeeded 1 1",
            "strava_activities failed 3 0",
            "strava_athlete succeeded 1 1",
            "garmin_sleep failed 1 0",
            "garmin_heart_rate succeeded 1 1",
            "todoist_tasks succeeded 1 1",
            "todoist_projects succeeded 1 1"),
        results.stream()
            .map(
                r ->
                    r.job().id()
                        + " "
                        + r.status().label()
                        + " "
                        + r.attempts()
                        + " "
                        + r.records())
            .toList());
    assertTrue(results.get(0).log().contains("Attempt 3 of 3 (the last one failed: HTTP 503)"));
  }

  @Test
  public void anAttemptThatOverrunsFailsAndTheServicesNextJobIsNotStarted() {
    CountDownLatch never = new CountDownLatch(1);
    JobLauncher launcher =
        new Launcher() {
          @Override
          public Launch launch(IngestionConfig config, Job job, String env, PrintStream log) {
            if (job.id().equals("spotify_playlists")) {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new Launch(null, false, 0, "interrupted");
            }
            return new Launch(job.id() + "-run", true, 1, null);
          }
        };
    // The limit is short only so the test ends soon: the blocked attempt never returns by itself.
    List<Orchestrator.JobResult> results = run(config(4), launcher, Duration.ofMillis(200));
    never.countDown();
    Orchestrator.JobResult overran = results.get(0);
    assertEquals(Orchestrator.Status.FAILED, overran.status());
    assertTrue(overran.error(), overran.error().startsWith("timed out after 200 ms"));
    assertEquals(1, overran.attempts());
    assertEquals(Orchestrator.Status.SKIPPED, results.get(1).status());
    assertTrue(
        results.get(1).error().contains("spotify_playlists of the same pipeline ran out of time"));
    results
        .subList(2, 8)
        .forEach(r -> assertEquals(r.job().id(), Orchestrator.Status.SUCCEEDED, r.status()));
  }
}

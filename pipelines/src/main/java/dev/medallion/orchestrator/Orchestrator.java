package dev.medallion.orchestrator;

import dev.medallion.ops.JobScheduleStore;
import dev.medallion.ops.JobScheduleStore.JobState;
import dev.medallion.ops.Redactor;
import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * {@code medallion ingest}: chooses the jobs (the due ones, a named job, a group, or all with
 * --force), runs them through a {@link JobLauncher} with at most {@code max_parallel_jobs} at once,
 * each failure isolated (a failed run tried again {@code retry_attempts} times, each attempt
 * bounded by {@code timeout_minutes}), records each outcome in ops.job_schedule_state, and returns
 * the report.
 *
 * <p>Jobs of one service run one after the other: they are runs of one pipeline, which holds its
 * run lock, so running them side by side would only make them wait for each other.
 */
public final class Orchestrator {
  private static final String TIMED_OUT = "timed out";

  /** What to run: one of job, group, force, or none of them for the due jobs. */
  public record Request(
      @Nullable String jobId,
      @Nullable String group,
      boolean force,
      @Nullable String environment,
      Instant now,
      String trigger) {}

  /** How one job ended in this ingestion. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    /** Not started: a job before it of the same service ran out of time and still holds it. */
    SKIPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One job's line of the report. */
  public record JobResult(
      Job job,
      String environment,
      Status status,
      long records,
      Duration duration,
      int attempts,
      @Nullable String runId,
      @Nullable String error,
      String log) {}

  private final IngestionConfig config;
  private final JobScheduleStore store;
  private final JobLauncher launcher;
  private final Function<String, String> environmentVariables;
  private final Duration timeout;

  public Orchestrator(
      IngestionConfig config,
      JobScheduleStore store,
      JobLauncher launcher,
      Function<String, String> environmentVariables) {
    this(
        config,
        store,
        launcher,
        environmentVariables,
        Duration.ofMinutes(config.global().timeoutMinutes()));
  }

  /** With a time limit per attempt other than the file's (tests). */
  public Orchestrator(
      IngestionConfig config,
      JobScheduleStore store,
      JobLauncher launcher,
      Function<String, String> environmentVariables,
      Duration timeout) {
    this.config = config;
    this.store = store;
    this.launcher = launcher;
    this.environmentVariables = environmentVariables;
    this.timeout = timeout;
  }

  /** Each job's timing in the environment it would run in (for --list and the due check). */
  public List<JobTiming> timings(@Nullable String environment, Instant now) {
    Map<String, Map<String, JobState>> states = new LinkedHashMap<>();
    List<JobTiming> timings = new ArrayList<>();
    for (Job job : config.jobs().values()) {
      String env = environment == null ? job.environment() : environment;
      JobState state =
          states
              .computeIfAbsent(env, store::states)
              .getOrDefault(job.id(), JobState.never(job.id(), env));
      timings.add(JobTiming.of(job, env, config.global().zone(), state, now));
    }
    return timings;
  }

  /**
   * The jobs a request selects, with their timing: the named job (even when disabled), a group's
   * enabled jobs, every enabled job with --force, or the due ones. A problem names an unknown job
   * or group.
   */
  public static List<Problem> requestProblems(IngestionConfig config, Request request) {
    List<Problem> problems = new ArrayList<>();
    if (request.jobId() != null && request.group() != null) {
      problems.add(new Problem("--job/--group", "name a job or a group, not both"));
    }
    if (request.jobId() != null && !config.jobs().containsKey(request.jobId())) {
      problems.add(
          new Problem(
              "--job",
              "'"
                  + request.jobId()
                  + "' is not a job of "
                  + config.source()
                  + ": "
                  + String.join(", ", config.jobs().keySet())));
    }
    if (request.group() != null && !config.groups().containsKey(request.group())) {
      problems.add(
          new Problem(
              "--group",
              "'"
                  + request.group()
                  + "' is not a group of "
                  + config.source()
                  + ": "
                  + String.join(", ", config.groups().keySet())));
    }
    if (request.environment() != null
        && !config.global().landingBuckets().containsKey(request.environment())) {
      problems.add(
          new Problem(
              "--env",
              "'"
                  + request.environment()
                  + "' has no landing bucket in global: use "
                  + String.join(", ", config.global().landingBuckets().keySet())));
    }
    return problems;
  }

  /** The jobs to run for a request, with their timing at the request's moment. */
  public List<JobTiming> select(Request request) {
    List<JobTiming> timings = timings(request.environment(), request.now());
    List<JobTiming> chosen = new ArrayList<>();
    for (JobTiming timing : timings) {
      if (named(config, request, timing.job()).orElse(timing.due())) {
        chosen.add(timing);
      }
    }
    return chosen;
  }

  /**
   * Whether a request takes a job without looking at its schedule: the named job (even disabled), a
   * group's enabled jobs, every enabled job with --force; empty when only the due check decides.
   */
  public static Optional<Boolean> named(IngestionConfig config, Request request, Job job) {
    if (request.jobId() != null) {
      return Optional.of(job.id().equals(request.jobId()));
    }
    if (request.group() != null) {
      return Optional.of(
          job.enabled() && config.groups().get(request.group()).jobs().contains(job.id()));
    }
    if (request.force()) {
      return Optional.of(job.enabled());
    }
    return Optional.empty();
  }

  /** Runs the selected jobs and returns one result per job, in the file's order. */
  public List<JobResult> run(List<JobTiming> selected, PrintStream out) {
    // One queue per pipeline, run in order; the queues side by side up to max_parallel_jobs.
    Map<String, List<JobTiming>> queues = new LinkedHashMap<>();
    selected.forEach(
        t -> queues.computeIfAbsent(config.pipelineOf(t.job()), p -> new ArrayList<>()).add(t));
    Map<String, JobResult> results = new ConcurrentHashMap<>();
    int threads = Math.max(1, Math.min(config.global().maxParallelJobs(), queues.size()));
    ExecutorService workers = Executors.newFixedThreadPool(threads, daemon("ingest-worker"));
    // Attempts run on threads of their own so that a worker can stop waiting for one that overruns.
    ExecutorService attempts = Executors.newCachedThreadPool(daemon("ingest-attempt"));
    try {
      List<Future<?>> queued = new ArrayList<>();
      for (List<JobTiming> queue : queues.values()) {
        queued.add(workers.submit(() -> runQueue(queue, results, attempts, out)));
      }
      for (Future<?> future : queued) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while jobs ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a job worker failed: " + e.getCause(), e.getCause());
    } finally {
      workers.shutdownNow();
      attempts.shutdown();
    }
    List<JobResult> ordered = new ArrayList<>();
    selected.forEach(t -> ordered.add(results.get(t.job().id())));
    return ordered;
  }

  private void runQueue(
      List<JobTiming> queue,
      Map<String, JobResult> results,
      ExecutorService attempts,
      PrintStream out) {
    String overran = null;
    for (JobTiming timing : queue) {
      Job job = timing.job();
      if (overran != null) {
        String error =
            "not started: "
                + overran
                + " of the same pipeline ran out of time and may still hold its run lock";
        results.put(
            job.id(),
            new JobResult(
                job, timing.environment(), Status.SKIPPED, 0, Duration.ZERO, 0, null, error, ""));
        continue;
      }
      JobResult result = runJob(timing, attempts);
      results.put(job.id(), result);
      synchronized (out) {
        out.printf(
            "---- %s (%s, %s): %s%n",
            job.id(), job.service(), job.dataType(), result.status().label());
        out.print(result.log());
      }
      if (result.error() != null && result.error().startsWith(TIMED_OUT)) {
        overran = job.id();
      }
    }
  }

  private JobResult runJob(JobTiming timing, ExecutorService attempts) {
    Job job = timing.job();
    String env = timing.environment();
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    List<Problem> unset = ConfigValidator.unsetDependencies(job, environmentVariables);
    if (!unset.isEmpty()) {
      String error =
          "not started: "
              + String.join(", ", unset.stream().map(p -> p.message().split(" ", 2)[0]).toList())
              + " not set in the environment";
      store.failed(job.id(), env, null, error, started, Instant.now());
      return new JobResult(job, env, Status.FAILED, 0, Duration.ZERO, 0, null, error, "");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(captured, true, StandardCharsets.UTF_8);
    int maxAttempts = 1 + Math.max(0, config.global().retryAttempts());
    JobLauncher.Launch launch = null;
    int attempt = 0;
    while (attempt < maxAttempts && (launch == null || !launch.succeeded())) {
      attempt++;
      if (attempt > 1) {
        log.printf(
            "Attempt %d of %d (the last one failed: %s)%n", attempt, maxAttempts, launch.error());
      }
      launch = attempt(job, env, log, attempts);
      // Only a run that started and failed is worth another try: a missing pipeline, flags it
      // refuses or an overrun would fail the same way.
      if (launch.runId() == null
          || launch.error() != null && launch.error().startsWith(TIMED_OUT)) {
        break;
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    String text = Redactor.process().redact(captured.toString(StandardCharsets.UTF_8));
    if (launch.succeeded()) {
      store.succeeded(
          job.id(),
          env,
          timing.lastFire().orElse(null),
          launch.runId(),
          started,
          Instant.now(),
          launch.records());
      return new JobResult(
          job, env, Status.SUCCEEDED, launch.records(), took, attempt, launch.runId(), null, text);
    }
    String error = launch.error() == null ? "failed without a message" : launch.error();
    store.failed(job.id(), env, launch.runId(), error, started, Instant.now());
    return new JobResult(
        job,
        env,
        Status.FAILED,
        launch.records(),
        took,
        attempt,
        launch.runId(),
        Redactor.process().redact(error),
        text);
  }

  private JobLauncher.Launch attempt(Job job, String env, PrintStream log, ExecutorService pool) {
    Future<JobLauncher.Launch> future = pool.submit(() -> launcher.launch(config, job, env, log));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new JobLauncher.Launch(
          null,
          false,
          0,
          TIMED_OUT
              + " after "
              + describe(timeout)
              + " (global.timeout_minutes); the next run of its pipeline marks the run abandoned"
              + " if it is still recorded as running");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new JobLauncher.Launch(
          null, false, 0, dev.medallion.platform.JobRunner.rootMessage(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JobLauncher.Launch(null, false, 0, "interrupted");
    }
  }

  private static String describe(Duration duration) {
    return duration.toMinutes() >= 1 ? duration.toMinutes() + " min" : duration.toMillis() + " ms";
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

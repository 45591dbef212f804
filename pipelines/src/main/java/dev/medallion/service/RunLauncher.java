package dev.medallion.service;

import dev.medallion.core.LayerCounts;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Layer;
import dev.medallion.ops.PipelineLock;
import dev.medallion.ops.RunLog;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.pipelines.MedallionOptions;
import dev.medallion.platform.Backfill;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.RunRequest;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts runs for the service, always through the same {@link JobRunner} as the CLI: a request is
 * planned (every flag checked) before anything is started, one run per pipeline is started at a
 * time (the service's own runs, and the pipeline's advisory lock that the CLI and schedules take
 * too), and the run itself goes on in a thread of its own.
 */
public final class RunLauncher implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunLauncher.class);

  /** A run this service was asked for, until the run history has it. */
  public record Launched(
      String runId,
      String pipeline,
      String layers,
      Instant requestedAt,
      CompletableFuture<JobRunner.Outcome> outcome) {}

  /** The request could not be started; the message says why (HTTP 400 or 409). */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final JdbcTarget target;
  private final PipelineRegistry registry;
  private final Map<String, List<String>> pipelineArgs;
  private final String profile;
  private final PrintStream out;
  private final Clock clock;
  private final Map<String, Launched> launched = new ConcurrentHashMap<>();
  private final ExecutorService runs =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "service-run");
            thread.setDaemon(true);
            return thread;
          });

  public RunLauncher(
      JdbcTarget target,
      PipelineRegistry registry,
      Map<String, List<String>> pipelineArgs,
      String profile,
      PrintStream out,
      Clock clock) {
    this.target = target;
    this.registry = registry;
    this.pipelineArgs = Map.copyOf(pipelineArgs);
    this.profile = profile;
    this.out = out;
    this.clock = clock;
  }

  public PipelineRegistry registry() {
    return registry;
  }

  /** The pipeline's definition, or a 400 naming the known ones. */
  public PipelineDefinition<?> definition(String name) {
    return registry
        .find(name)
        .orElseThrow(
            () ->
                new Refused(
                    400,
                    "unknown pipeline '"
                        + name
                        + "': use one of "
                        + String.join(
                            ", ", registry.all().stream().map(PipelineDefinition::name).toList())));
  }

  /**
   * Plans and starts a run of {@code name}; nothing is started when the request is refused.
   *
   * @param layers "all" or labels joined by commas; null for all
   * @param why what asked for the run, for its log
   */
  public Launched launch(
      String name,
      String layers,
      dev.medallion.ops.Mode mode,
      String asOf,
      List<String> extraArgs,
      String why) {
    PipelineDefinition<?> definition = definition(name);
    List<String> args = new ArrayList<>(pipelineArgs.getOrDefault(name, List.of()));
    args.addAll(extraArgs);
    RunRequest request = RunRequest.of(layers, mode, profile, args);
    if (asOf != null) {
      request = request.withAsOf(asOf);
    }
    JobRunner.Plan<?> plan;
    try {
      plan = JobRunner.plan(definition, request);
    } catch (dev.medallion.platform.UsageError e) {
      throw new Refused(400, name + ": " + e.getMessage().replace("\n", "; "));
    }
    return start(plan, why);
  }

  /** The runs of a trigger's date range, one per business date to run (none: all done). */
  public record LaunchedDates(List<LocalDate> dates, List<Launched> runs) {}

  /**
   * Plans a backfill of {@code name} over {@code from..to} (dates without a succeeded run, or every
   * date with {@code force}) and starts it: the dates run one after another on a thread of their
   * own, each a run through the runner under the pipeline's lock, like {@code medallion backfill}.
   * Nothing is started when the request is refused.
   */
  public LaunchedDates launchDates(
      String name,
      String layers,
      dev.medallion.ops.Mode mode,
      LocalDate from,
      LocalDate to,
      boolean force,
      String why) {
    return launchDates(definition(name), layers, mode, from, to, force, why);
  }

  private <O extends MedallionOptions> LaunchedDates launchDates(
      PipelineDefinition<O> definition,
      String layers,
      dev.medallion.ops.Mode mode,
      LocalDate from,
      LocalDate to,
      boolean force,
      String why) {
    String name = definition.name();
    RunRequest request =
        RunRequest.of(
            layers, mode, profile, new ArrayList<>(pipelineArgs.getOrDefault(name, List.of())));
    Backfill backfill =
        new Backfill(
            new JobRunner(target, out, HttpClientConfiguration.create())
                .withoutWaitingForOtherRuns(),
            target,
            out);
    Backfill.Prepared<O> prepared;
    try {
      prepared =
          backfill.prepare(definition, request, from, to, Backfill.Selection.NOT_SUCCEEDED, force);
    } catch (dev.medallion.platform.UsageError e) {
      throw new Refused(400, name + ": " + e.getMessage().replace("\n", "; "));
    }
    List<LocalDate> dates = prepared.plan().toRun();
    if (dates.isEmpty()) {
      return new LaunchedDates(List.of(), List.of());
    }
    List<Launched> scheduled;
    synchronized (this) {
      refuseWhileGoing(name);
      List<String> layerList =
          List.of(
              String.join(
                  ",",
                  prepared.runs().get(0).layers().stream().sorted().map(Layer::label).toList()));
      List<Launched> made = new ArrayList<>();
      RunLog log = new RunLog(target);
      for (int i = 0; i < dates.size(); i++) {
        String runId = RunRecorder.newRunId(name);
        log.append(
            runId,
            RunLog.Level.INFO,
            null,
            "Scheduled by "
                + why
                + ": "
                + name
                + ", business date "
                + dates.get(i)
                + " ("
                + (i + 1)
                + " of "
                + dates.size()
                + "), layers "
                + layerList.get(0));
        Launched run =
            new Launched(runId, name, layerList.get(0), clock.instant(), new CompletableFuture<>());
        launched.put(runId, run);
        made.add(run);
      }
      scheduled = List.copyOf(made);
    }
    List<String> runIds = scheduled.stream().map(Launched::runId).toList();
    runs.execute(
        () -> {
          try {
            backfill.execute(
                prepared, runIds, (i, outcome) -> scheduled.get(i).outcome().complete(outcome));
          } catch (RuntimeException e) {
            LOG.error("Backfill of {} stopped", name, e);
            for (Launched run : scheduled) {
              if (!run.outcome().isDone()) {
                safeAppend(
                    new RunLog(target), run.runId(), "Not started: " + JobRunner.rootMessage(e));
                run.outcome()
                    .complete(
                        new JobRunner.Outcome(
                            run.runId(),
                            RunStatus.FAILED,
                            LayerCounts.empty(),
                            JobRunner.rootMessage(e)));
              }
            }
          }
        });
    return new LaunchedDates(dates, scheduled);
  }

  /**
   * Replays the pipeline's quarantined records (those whose reason contains {@code reasonLike},
   * when given) in a run of its own: the same {@link JobRunner#replay} as {@code medallion
   * quarantine replay}, under the same one-run-per-pipeline rule. A 400 when no record waits.
   */
  public synchronized Launched launchReplay(String name, String reasonLike, String why) {
    PipelineDefinition<?> definition = definition(name);
    if (new dev.medallion.ops.QuarantineStore(target)
        .waitingForReplay(name, reasonLike)
        .isEmpty()) {
      throw new Refused(
          400,
          "nothing to replay: no record of "
              + name
              + " waits in the quarantine"
              + (reasonLike == null ? "" : " with a reason like '" + reasonLike + "'"));
    }
    RunRequest request =
        RunRequest.of(
            null,
            dev.medallion.ops.Mode.INCREMENTAL,
            profile,
            new ArrayList<>(pipelineArgs.getOrDefault(name, List.of())));
    try {
      JobRunner.plan(definition, request);
    } catch (dev.medallion.platform.UsageError e) {
      throw new Refused(400, name + ": " + e.getMessage().replace("\n", "; "));
    }
    refuseWhileGoing(name);
    String runId = RunRecorder.newRunId(name);
    RunLog log = new RunLog(target);
    log.append(runId, RunLog.Level.INFO, null, "Scheduled by " + why + ": replay of " + name);
    CompletableFuture<JobRunner.Outcome> outcome = new CompletableFuture<>();
    Launched run = new Launched(runId, name, "replay", clock.instant(), outcome);
    launched.put(runId, run);
    runs.execute(
        () -> {
          try {
            JobRunner.ReplayOutcome replay =
                new JobRunner(target, out, HttpClientConfiguration.create())
                    .withoutWaitingForOtherRuns()
                    .replay(definition, request, reasonLike, runId);
            if (replay.run() != null) {
              outcome.complete(replay.run());
            } else {
              String why2 =
                  replay.notReplayable().size()
                      + " record(s) waiting, none replayable by "
                      + name
                      + ": land their files again (a failed request is asked again by every run)";
              safeAppend(log, runId, "Nothing replayed: " + why2);
              outcome.complete(
                  new JobRunner.Outcome(runId, RunStatus.FAILED, LayerCounts.empty(), why2));
            }
          } catch (RunFailure e) {
            outcome.complete(
                new JobRunner.Outcome(
                    runId, RunStatus.FAILED, LayerCounts.empty(), e.getMessage()));
          } catch (RuntimeException e) {
            LOG.error("Replay {} of {} failed to start", runId, name, e);
            safeAppend(log, runId, "Not started: " + JobRunner.rootMessage(e));
            outcome.complete(
                new JobRunner.Outcome(
                    runId, RunStatus.FAILED, LayerCounts.empty(), JobRunner.rootMessage(e)));
          }
        });
    return run;
  }

  /** Refuses (409) while a run of the pipeline is going, here or in another process. */
  private void refuseWhileGoing(String name) {
    Optional<Launched> going =
        launched.values().stream()
            .filter(l -> l.pipeline().equals(name) && !l.outcome().isDone())
            .findFirst();
    if (going.isPresent()) {
      throw new Refused(
          409,
          "run "
              + going.get().runId()
              + " of "
              + name
              + " is still going and only one run of a pipeline writes at a time; not started."
              + " Trigger it again once that run has ended.");
    }
    // The lock is taken again by the runner; asking here answers the caller at once when a run
    // from the CLI or a schedule holds it.
    try (PipelineLock probe = PipelineLock.acquire(target, name, false, line -> {})) {
      // free
    } catch (PipelineLock.Busy e) {
      throw new Refused(
          409,
          e.getMessage()
              .replace(" (--no-wait)", "")
              .replaceAll(
                  " Run it again once that run has ended, or leave out --no-wait to wait for it\\.",
                  " Trigger it again once that run has ended."));
    }
  }

  private synchronized <O extends MedallionOptions> Launched start(
      JobRunner.Plan<O> plan, String why) {
    String name = plan.name();
    refuseWhileGoing(name);
    String runId = RunRecorder.newRunId(name);
    String layerList = String.join(",", plan.layers().stream().sorted().map(Layer::label).toList());
    RunLog log = new RunLog(target);
    log.append(
        runId,
        RunLog.Level.INFO,
        null,
        "Scheduled by " + why + ": " + name + ", layers " + layerList);
    CompletableFuture<JobRunner.Outcome> outcome = new CompletableFuture<>();
    Launched run = new Launched(runId, name, layerList, clock.instant(), outcome);
    launched.put(runId, run);
    runs.execute(
        () -> {
          try {
            outcome.complete(
                new JobRunner(target, out, HttpClientConfiguration.create())
                    .withoutWaitingForOtherRuns()
                    .run(plan, runId));
          } catch (RunFailure e) {
            outcome.complete(
                new JobRunner.Outcome(
                    runId, RunStatus.FAILED, LayerCounts.empty(), e.getMessage()));
          } catch (RuntimeException e) {
            LOG.error("Run {} of {} failed to start", runId, name, e);
            safeAppend(log, runId, "Not started: " + JobRunner.rootMessage(e));
            outcome.complete(
                new JobRunner.Outcome(
                    runId, RunStatus.FAILED, LayerCounts.empty(), JobRunner.rootMessage(e)));
          }
        });
    return run;
  }

  private static void safeAppend(RunLog log, String runId, String message) {
    try {
      log.append(runId, RunLog.Level.ERROR, null, message);
    } catch (RuntimeException e) {
      LOG.warn("Could not store the log of {}: {}", runId, e.getMessage());
    }
  }

  /** A run this service started (or refused after scheduling it), by id. */
  public Optional<Launched> launched(String runId) {
    return Optional.ofNullable(launched.get(runId));
  }

  /** The runs this service started that have not ended, oldest first. */
  public List<Launched> going() {
    return launched.values().stream()
        .filter(l -> !l.outcome().isDone())
        .sorted(java.util.Comparator.comparing(Launched::requestedAt))
        .toList();
  }

  @Override
  public void close() {
    runs.shutdownNow();
  }
}

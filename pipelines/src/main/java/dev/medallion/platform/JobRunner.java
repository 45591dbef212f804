package dev.medallion.platform;

import dev.medallion.core.LayerCounts;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.LogText;
import dev.medallion.ops.OwedRequests;
import dev.medallion.ops.PipelineLock;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.QuarantineStore;
import dev.medallion.ops.RunLog;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.events.Webhook;
import dev.medallion.ops.events.WebhookDelivery;
import dev.medallion.pipelines.MedallionOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/**
 * Runs any registered pipeline the same way: validates the request once into a {@link Plan}, marks
 * runs of the pipeline whose process died as abandoned, records the start, builds the definition's
 * layers, runs them with progress (and a heartbeat in the run history), reads the counts, records
 * the finish and each table's status, prints the summary, and says what to do when it failed.
 * Replays of the quarantine go through the same path.
 */
public final class JobRunner {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobRunner.class);
  private static final Duration PROGRESS_INTERVAL = Duration.standardSeconds(5);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");
  private static final Pattern UNKNOWN_PROPERTY =
      Pattern.compile("missing a property named '([^']+)'");
  private static final long DEFAULT_POLL_SECONDS = 30;

  private final JdbcTarget target;
  private final PrintStream out;
  private final HttpClientConfiguration http;
  private final boolean waitForOtherRun;
  private final WebhookDelivery events;

  public JobRunner(JdbcTarget target, PrintStream out, HttpClientConfiguration http) {
    this(target, out, http, true, WebhookDelivery.to(target, webhooksFromEnvironment()));
  }

  private JobRunner(
      JdbcTarget target,
      PrintStream out,
      HttpClientConfiguration http,
      boolean waitForOtherRun,
      WebhookDelivery events) {
    this.target = target;
    this.out = out;
    this.http = http;
    this.waitForOtherRun = waitForOtherRun;
    this.events = events;
  }

  /** The webhooks of {@value Webhook#ENV}; a bad entry is a usage error naming it. */
  private static List<Webhook> webhooksFromEnvironment() {
    try {
      return Webhook.fromEnvironment(System::getenv);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** This runner, delivering events through {@code delivery} (its webhooks, waits, attempts). */
  public JobRunner withEvents(WebhookDelivery delivery) {
    return new JobRunner(target, out, http, waitForOtherRun, delivery);
  }

  /**
   * This runner, but when another run of the same pipeline is going it does not start (a {@link
   * RunFailure} naming that run) instead of waiting for it.
   */
  public JobRunner withoutWaitingForOtherRuns() {
    return new JobRunner(target, out, http, false, events);
  }

  /** A validated request: the definition, its typed options and the layers to run. */
  public record Plan<O extends MedallionOptions>(
      PipelineDefinition<O> definition, O options, Set<Layer> layers, RunRequest request) {
    public String name() {
      return definition.name();
    }

    public boolean continuous() {
      return request.continuous();
    }

    /** One line saying what would run, for --dry-run. */
    public String describe() {
      String what =
          continuous()
              ? "continuous ("
                  + String.join(", ", layers.stream().sorted().map(Layer::label).toList())
                  + " as data arrives, polling every "
                  + options.getPollIntervalSeconds()
                  + "s)"
              : "layers "
                  + (request.layers() == null ? "all" : options.getLayers())
                  + ", mode "
                  + request.mode().name().toLowerCase(Locale.ROOT);
      return "Plan: "
          + name()
          + " pipeline, "
          + what
          + ", "
          + definition.describePlan(options)
          + ", profile "
          + request.profile()
          + ". Flags are valid; nothing was run.";
    }
  }

  /** How a run ended. */
  public record Outcome(String runId, RunStatus status, LayerCounts counts, String error) {
    public boolean succeeded() {
      return status == RunStatus.SUCCEEDED || status == RunStatus.STOPPED;
    }
  }

  /**
   * Checks every flag and the profile without touching data; throws a {@link UsageError} naming
   * each bad flag.
   */
  public static <O extends MedallionOptions> Plan<O> plan(
      PipelineDefinition<O> definition, RunRequest request) {
    List<String> problems = new ArrayList<>();
    O options = null;
    try {
      List<String> args = new ArrayList<>(request.pipelineArgs());
      args.addAll(request.beamArgs());
      options =
          PipelineOptionsFactory.fromArgs(
                  RunnerProfiles.merge(RunnerProfiles.load(request.profile()), args)
                      .toArray(String[]::new))
              .as(definition.optionsType());
    } catch (IOException | IllegalArgumentException e) {
      problems.add(beamOptionProblem(e.getMessage(), definition.name()));
    }
    if (options != null) {
      options.setLayers(request.layers());
      options.setMode(request.mode());
      if (request.asOf() != null) {
        options.setAsOf(request.asOf());
      }
      try {
        definition.normalize(options);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    Set<Layer> layers = EnumSet.noneOf(Layer.class);
    if (request.continuous()) {
      if (!definition.supportsContinuous()) {
        problems.add(
            "--continuous: the " + definition.name() + " pipeline runs on a schedule only");
      }
      layers.addAll(definition.continuousLayers());
    } else if (request.layers() != null && request.layers().isBlank()) {
      problems.add(
          "--layers is empty: use all or a comma-separated list of "
              + String.join(",", definition.layerSet().stream().map(Layer::label).toList()));
    } else if (options != null) {
      try {
        layers.addAll(Layer.parse(options.getLayers(), definition.layerSet()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!definition.modes().contains(request.mode())) {
      problems.add(
          "--mode "
              + request.mode().name().toLowerCase(Locale.ROOT)
              + " is not supported by "
              + definition.name());
    }
    if (request.asOf() != null) {
      try {
        LocalDate.parse(request.asOf());
      } catch (DateTimeParseException e) {
        problems.add("--as-of '" + request.asOf() + "' is not a date: use YYYY-MM-DD");
      }
    }
    if (options != null && options.getBusinessDate() != null) {
      problems.addAll(businessDateProblems(definition, options.getBusinessDate()));
    }
    long pollSeconds = pollSeconds(request.pollInterval());
    if (request.pollInterval() != null && !request.continuous()) {
      problems.add("--poll-interval only applies with --continuous");
    } else if (pollSeconds < 1) {
      problems.add(
          "--poll-interval '"
              + request.pollInterval()
              + "' is not a duration: use e.g. 30s, 2m or 1h");
    }
    if (options != null) {
      problems.addAll(runnerProblems(options));
      options.setPollIntervalSeconds(pollSeconds);
      problems.addAll(definition.problems(options, request.continuous()));
    }
    if (!problems.isEmpty()) {
      throw new UsageError(String.join("\n", problems));
    }
    return new Plan<>(definition, options, layers, request);
  }

  private static List<String> businessDateProblems(PipelineDefinition<?> definition, String day) {
    if (!definition.supportsBusinessDate()) {
      return List.of(
          "--businessDate: the " + definition.name() + " pipeline does not take a business date");
    }
    try {
      LocalDate.parse(day);
      return List.of();
    } catch (DateTimeParseException e) {
      return List.of("--businessDate '" + day + "' is not a date: use YYYY-MM-DD");
    }
  }

  /** Beam's complaint about a flag, in the CLI's words where Beam's would puzzle a user. */
  private static String beamOptionProblem(String message, String pipeline) {
    Matcher unknown = UNKNOWN_PROPERTY.matcher(message == null ? "" : message);
    if (unknown.find()) {
      return "unknown flag --"
          + unknown.group(1)
          + ": medallion run "
          + pipeline
          + " --help lists the flags (any other --name=value must be an option of the runner)";
    }
    return message == null ? "a flag could not be read" : message.lines().findFirst().orElse("");
  }

  /** Runner settings that the runners take but fail on once the run has started. */
  private static List<String> runnerProblems(MedallionOptions options) {
    List<String> problems = new ArrayList<>();
    int threads = options.as(DirectOptions.class).getTargetParallelism();
    if (threads < 1) {
      problems.add(
          "--targetParallelism="
              + threads
              + ": use a whole number of 1 or more (the DirectRunner's worker threads)");
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    // -1, Flink's default, means "the cluster's default parallelism".
    if (flink.getParallelism() == 0 || flink.getParallelism() < -1) {
      problems.add(
          "--parallelism="
              + flink.getParallelism()
              + ": use a whole number of 1 or more (Flink's parallelism), or leave it out");
    }
    if (flink.getMaxParallelism() == 0 || flink.getMaxParallelism() < -1) {
      problems.add(
          "--maxParallelism="
              + flink.getMaxParallelism()
              + ": use a whole number of 1 or more, or leave it out");
    }
    return problems;
  }

  /** The poll interval in seconds (30 when not given), or -1 when it cannot be read. */
  static long pollSeconds(String text) {
    if (text == null) {
      return DEFAULT_POLL_SECONDS;
    }
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "m" -> value * 60;
      case "h" -> value * 3600;
      default -> value;
    };
  }

  public <O extends MedallionOptions> Outcome run(Plan<O> plan) {
    return run(plan, RunRecorder.newRunId(plan.name()));
  }

  /**
   * Runs a plan under a given run id (a replay names its run before it requeues records), holding
   * the pipeline's {@link PipelineLock} from before anything is read until the run is recorded.
   */
  public <O extends MedallionOptions> Outcome run(Plan<O> plan, String runId) {
    // Everything the run prints is also kept per run in ops.run_logs, for the operations service.
    RunLog log = new RunLog(target);
    try (PrintStream logged = log.tee(out, runId)) {
      JobRunner logging = new JobRunner(target, logged, http, waitForOtherRun, events);
      try (PipelineLock lock =
          PipelineLock.acquire(target, plan.name(), waitForOtherRun, logged::println)) {
        return logging.runHoldingLock(plan, runId);
      } catch (PipelineLock.Busy e) {
        logged.flush();
        try {
          log.append(runId, RunLog.Level.ERROR, null, "Not started: " + e.getMessage());
        } catch (RuntimeException notStored) {
          LOG.warn("Could not store why {} did not start: {}", runId, notStored.getMessage());
        }
        throw new RunFailure(e.getMessage());
      }
    }
  }

  private <O extends MedallionOptions> Outcome runHoldingLock(Plan<O> plan, String runId) {
    PipelineDefinition<O> definition = plan.definition();
    O options = plan.options();
    String name = definition.name();
    options.setRunId(runId);
    options.setJdbcUrl(target.url());
    options.setJdbcUser(target.user());
    options.setJobName(runId.toLowerCase(Locale.ROOT));
    OwnJarStaging.apply(options);
    if (plan.continuous()) {
      OwnJarStaging.detachContinuous(options);
    }
    RunContext context =
        new RunContext(name, runId, target, plan.layers(), plan.request().mode(), http);
    RunRecorder recorder = new RunRecorder(target);
    List<String> abandoned = recorder.markAbandoned(name, true);
    if (!abandoned.isEmpty()) {
      out.printf(
          "Marked %d earlier run(s) of %s abandoned (their process ended without recording it): %s%n",
          abandoned.size(), name, String.join(", ", abandoned));
    }
    if (plan.continuous()) {
      definition.prepareContinuous(options, context);
    } else {
      definition.prepare(options, context);
    }

    String runner = options.getRunner().getSimpleName();
    recorder.started(
        runId,
        name,
        plan.request().mode(),
        plan.layers(),
        runner,
        plan.continuous(),
        definition.businessDate(options) == null
            ? null
            : LocalDate.parse(definition.businessDate(options)));
    deliverEvents();
    String layerList =
        String.join(", ", plan.layers().stream().sorted().map(Layer::label).toList());
    if (plan.continuous()) {
      out.printf(
          "Run %s: %s pipeline, continuous: %s as data arrives, on %s%n",
          runId, name, layerList, runner);
      out.printf(
          "  watching %s every %ds -> %s; stop with Ctrl-C (restarting is safe)%n",
          definition.describeSource(options), options.getPollIntervalSeconds(), target);
    } else {
      out.printf(
          "Run %s: %s pipeline, layers %s, mode %s%s, on %s%n",
          runId,
          name,
          plan.request().layers() == null ? "all" : options.getLayers(),
          plan.request().mode().name().toLowerCase(Locale.ROOT),
          plan.layers().contains(Layer.PLATINUM) ? ", as of " + MedallionOptions.asOf(options) : "",
          runner);
      if (plan.layers().contains(Layer.BRONZE)) {
        out.printf("  source %s -> %s%n", definition.describeSource(options), target);
      }
    }

    Pipeline pipeline = Pipeline.create(options);
    if (plan.continuous()) {
      definition.buildContinuous(pipeline, options, context);
    } else {
      definition.build(pipeline, options, context);
    }
    Stopper stopper = new Stopper(recorder, runId, plan.layers());
    PipelineResult result = null;
    String error = null;
    try {
      result = start(pipeline, recorder, runId, runner, !plan.continuous());
      if (plan.continuous()) {
        stopper.install(result);
      }
      waitWithProgress(result, writtenTables(definition, plan.layers()), recorder, runId);
      if (result.getState() != PipelineResult.State.DONE) {
        error = "the pipeline ended in state " + result.getState();
      }
    } catch (RuntimeException e) {
      error = LostConnection.causedIt(e) ? LostConnection.describe(e) : rootMessage(e);
      LOG.error("The {} pipeline failed", name, LogText.boundedChain(e));
    }
    if (!stopper.remove()) {
      // The shutdown hook is stopping the job and records the run as stopped: this thread must not
      // record it too.
      return new Outcome(runId, RunStatus.STOPPED, LayerCounts.empty(), null);
    }
    LayerCounts counts = result == null ? LayerCounts.empty() : LayerCounts.of(result);
    Map<String, String> failedStreams;
    RunStatus status;
    try {
      failedStreams = failedStreams(name, runId);
      if (error == null && !failedStreams.isEmpty()) {
        error = "endpoint(s) failed: " + String.join(", ", failedStreams.keySet());
      }
      status = error == null ? RunStatus.SUCCEEDED : RunStatus.FAILED;
      recorder.finished(runId, status, counts.stats(sorted(plan.layers())), error);
      if (result != null) {
        recordTables(
            recorder,
            plan,
            runId,
            counts,
            failedStreams,
            error == null || !failedStreams.isEmpty() ? null : error);
      }
    } catch (RuntimeException e) {
      if (!LostConnection.causedIt(e)) {
        throw e;
      }
      String lost = error == null ? LostConnection.describe(e) : error;
      out.println();
      out.println("The " + name + " run failed: " + lost);
      out.println(
          "Its end could not be recorded while the database is unreachable: the next run of "
              + name
              + " marks "
              + runId
              + " abandoned.");
      return new Outcome(runId, RunStatus.FAILED, counts, lost);
    }
    if (result != null) {
      printCounts(plan.layers(), counts);
      definition.printSummary(out, options, context, counts);
    }
    if (!failedStreams.isEmpty()) {
      out.println();
      out.println(
          "Failed endpoints (the others were read and processed; the next run asks for these again):");
      failedStreams.forEach((stream, reason) -> out.println("  " + stream + ": " + reason));
    }
    if (definition.sourceKind() == SourceKind.API && plan.layers().contains(Layer.BRONZE)) {
      printOwedRequests(name);
    }
    long quarantined = plan.layers().stream().mapToLong(l -> counts.layer(l).quarantined()).sum();
    if (quarantined > 0) {
      out.printf(
          "%d record(s) set aside with their reasons: medallion quarantine list --pipeline %s --run %s%n",
          quarantined, name, runId);
    }
    if (result != null) {
      checkQuality(plan, runId, status, counts);
    }
    deliverEvents();
    if (status == RunStatus.FAILED) {
      out.println();
      out.println("The " + name + " run failed: " + error);
      out.println(
          "Fix the cause and run the same command again: re-runs neither lose nor duplicate rows."
              + " The run is recorded in ops.pipeline_runs as "
              + runId
              + ".");
    }
    return new Outcome(runId, status, counts, error);
  }

  /** The run's quality metrics and checks; a problem there is reported, never fails the run. */
  private void checkQuality(Plan<?> plan, String runId, RunStatus status, LayerCounts counts) {
    try {
      QualityPlan.afterRun(target, out, plan.definition(), plan.layers(), runId, status, counts);
    } catch (RuntimeException e) {
      LOG.warn("Could not check the quality of {}: {}", runId, rootMessage(e));
      out.println("Quality checks of " + runId + " could not run: " + rootMessage(e));
    }
  }

  /**
   * Sends the outbox's pending events to the configured webhooks; a webhook that is down is tried
   * again by the next run and never fails this one.
   */
  private void deliverEvents() {
    if (events.webhooks().isEmpty()) {
      return;
    }
    try {
      events.deliverPending();
    } catch (RuntimeException e) {
      LOG.warn("Could not deliver events to the webhooks: {}", rootMessage(e));
    }
  }

  /** How a replay went. */
  public record ReplayOutcome(
      Outcome run, int requeued, int landed, List<QuarantineEntry> notReplayable) {}

  /**
   * Re-feeds a pipeline's quarantined records (optionally those whose reason contains {@code
   * reasonLike}) through the layers that rejected them: the definition requeues them upstream, one
   * run takes them from the earliest such layer on, and each that now lands is marked replayed.
   * Nothing is deleted; a record that fails again keeps its row with the new reason.
   */
  public <O extends MedallionOptions> ReplayOutcome replay(
      PipelineDefinition<O> definition, RunRequest request, String reasonLike) {
    return replay(definition, request, reasonLike, RunRecorder.newRunId(definition.name()));
  }

  /** {@link #replay} under a run id given beforehand (the service names a run when asked). */
  public <O extends MedallionOptions> ReplayOutcome replay(
      PipelineDefinition<O> definition, RunRequest request, String reasonLike, String runId) {
    QuarantineStore store = new QuarantineStore(target);
    List<QuarantineEntry> waiting = store.waitingForReplay(definition.name(), reasonLike);
    String about = reasonLike == null ? "" : " with a reason like '" + reasonLike + "'";
    if (waiting.isEmpty()) {
      out.println(
          "Nothing to replay: no record of "
              + definition.name()
              + " waits in the quarantine"
              + about
              + ".");
      return new ReplayOutcome(null, 0, 0, List.of());
    }
    // The run starts at the earliest layer that rejected one of them and carries on through the
    // layers after it.
    Layer first = waiting.stream().map(QuarantineEntry::layer).min(Layer::compareTo).orElseThrow();
    List<String> layers =
        definition.layerSet().stream()
            .filter(l -> l.compareTo(first) >= 0)
            .sorted()
            .map(Layer::label)
            .toList();
    Plan<O> plan = plan(definition, request.withLayers(String.join(",", layers)));
    RunContext context =
        new RunContext(definition.name(), runId, target, plan.layers(), request.mode(), http);
    Map<Layer, List<QuarantineEntry>> byLayer = new TreeMap<>();
    waiting.forEach(e -> byLayer.computeIfAbsent(e.layer(), l -> new ArrayList<>()).add(e));
    List<QuarantineEntry> requeued = new ArrayList<>();
    List<QuarantineEntry> notReplayable = new ArrayList<>();
    byLayer.forEach(
        (layer, entries) -> {
          List<QuarantineEntry> taken = definition.requeue(layer, entries, plan.options(), context);
          requeued.addAll(taken);
          entries.stream().filter(e -> !taken.contains(e)).forEach(notReplayable::add);
        });
    out.printf(
        "Replaying %d of %d quarantined record(s) of %s%s%n",
        requeued.size(), waiting.size(), definition.name(), about);
    notReplayable.forEach(
        e ->
            out.println(
                "  not replayable by "
                    + definition.name()
                    + " (land its file again; a failed request is asked again by every run until it succeeds): "
                    + e.where()
                    + ": "
                    + e.reason()));
    if (requeued.isEmpty()) {
      return new ReplayOutcome(null, 0, 0, notReplayable);
    }
    store.beginReplay(requeued, runId);
    Outcome outcome = run(plan, runId);
    int landed = outcome.status() == RunStatus.SUCCEEDED ? store.settleReplay(requeued, runId) : 0;
    out.printf(
        "Replay %s: %d record(s) landed, %d set aside again%s%n",
        runId,
        landed,
        requeued.size() - landed,
        requeued.size() > landed
            ? " (their reasons: medallion quarantine list --run " + runId + ")"
            : "");
    return new ReplayOutcome(outcome, requeued.size(), landed, notReplayable);
  }

  /**
   * The requests of an API pipeline that failed and have not succeeded since (issue 10, item 3).
   */
  private void printOwedRequests(String pipeline) {
    List<OwedRequests.Owed> owed = new OwedRequests(target).owed(pipeline);
    if (owed.isEmpty()) {
      return;
    }
    int shown = 20;
    out.println();
    out.printf(
        "Requests still owed: %d (the next run asks for each again until it succeeds):%n",
        owed.size());
    owed.stream()
        .limit(shown)
        .forEach(
            o -> {
              if (o.deferred()) {
                out.printf("  %s: %s%n", o.describe(), o.reason());
              } else {
                out.printf(
                    "  %s: failed in %d run(s) since %s: %s%n",
                    o.describe(), o.failures(), o.firstFailedRun(), o.reason());
              }
            });
    if (owed.size() > shown) {
      out.printf("  ... and %d more (ops.owed_requests)%n", owed.size() - shown);
    }
  }

  /** Streams with requests that failed in this run, each with its first reason. */
  private Map<String, String> failedStreams(String name, String runId) {
    Map<String, String> failed = new TreeMap<>();
    for (QuarantineEntry entry : new QuarantineStore(target).list(null, runId, 1000)) {
      if (entry.errorClass() == ErrorClass.REQUEST_FAILED) {
        String stream = entry.source().split(" ", 2)[0];
        failed.putIfAbsent(stream, entry.reason());
      }
    }
    // A request that fails again for the same reason keeps its quarantine row of the earlier run;
    // the owed requests say which failed in this one.
    for (OwedRequests.Owed owed : new OwedRequests(target).owed(name)) {
      if (owed.lastFailedRun().equals(runId) && !owed.deferred()) {
        failed.putIfAbsent(owed.stream(), owed.reason());
      }
    }
    return failed;
  }

  private <O extends MedallionOptions> void recordTables(
      RunRecorder recorder,
      Plan<O> plan,
      String runId,
      LayerCounts counts,
      Map<String, String> failedStreams,
      String pipelineError) {
    boolean ran = pipelineError == null;
    PipelineDefinition<O> definition = plan.definition();
    for (Layer layer : sorted(plan.layers())) {
      for (String table : definition.tablesOf(layer)) {
        if (layer == Layer.BRONZE && definition.sourceKind() == SourceKind.API) {
          for (String stream : definition.streams(plan.options())) {
            String failure = failedStreams.get(stream);
            recorder.tableStatus(
                runId,
                table + "[" + stream + "]",
                layer,
                counts.streamRows().getOrDefault(stream, 0L),
                ran && failure == null,
                ran ? failure : pipelineError);
          }
        } else {
          long rows =
              counts.tableRows().containsKey(table)
                  ? counts.tableRows(table)
                  : counts.layer(layer).out();
          recorder.tableStatus(runId, table, layer, rows, ran, pipelineError);
        }
      }
    }
  }

  /**
   * Starts the pipeline. A runner whose run() returns only once the job has ended (Flink in
   * attached mode: flink-local) has no counts to give meanwhile, so while it blocks the heartbeat
   * goes on and, unless the run is continuous, a line says every few seconds that the job is still
   * going.
   */
  private PipelineResult start(
      Pipeline pipeline, RunRecorder recorder, String runId, String runner, boolean sayProgress) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "run-progress");
              thread.setDaemon(true);
              return thread;
            });
    long started = System.nanoTime();
    long every = PROGRESS_INTERVAL.getMillis();
    ticker.scheduleAtFixedRate(
        () -> {
          heartbeat(recorder, runId);
          if (sayProgress) {
            out.printf(
                "  ... %s job running for %d s%n",
                runner, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    try {
      return pipeline.run();
    } finally {
      ticker.shutdownNow();
    }
  }

  /** The tables the chosen layers write, in layer order. */
  private static List<String> writtenTables(PipelineDefinition<?> definition, Set<Layer> layers) {
    List<String> tables = new ArrayList<>();
    for (LayerTables layer : definition.layers()) {
      if (layers.contains(layer.layer())) {
        tables.addAll(layer.tables());
      }
    }
    return tables;
  }

  /**
   * Every few seconds, the rows each table has taken so far (committed by its sink, not merely read
   * or parsed), when the runner reports metrics while it runs.
   */
  private void waitWithProgress(
      PipelineResult result, List<String> tables, RunRecorder recorder, String runId) {
    String last = "";
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(PROGRESS_INTERVAL);
      if (state != null && state.isTerminal()) {
        return;
      }
      heartbeat(recorder, runId);
      LayerCounts counts = LayerCounts.of(result);
      List<String> written = new ArrayList<>();
      for (String table : tables) {
        written.add(String.format(Locale.ROOT, "%s %,d", table, counts.rowsWritten(table)));
      }
      String line = "  ... rows written so far: " + String.join(", ", written);
      if (!line.equals(last)) {
        out.println(line);
        last = line;
      }
    }
  }

  /**
   * Tells later runs this one is alive; a database that cannot be reached for a moment must not end
   * the run (its writes fail and say so themselves if the database stays away).
   */
  private static void heartbeat(RunRecorder recorder, String runId) {
    try {
      recorder.heartbeat(runId);
    } catch (RuntimeException e) {
      LOG.warn("Could not record the heartbeat of {}: {}", runId, rootMessage(e));
    }
  }

  private void printCounts(Set<Layer> layers, LayerCounts counts) {
    List<String[]> rows = new ArrayList<>();
    for (Layer layer : sorted(layers)) {
      LayerCounts.Count c = counts.layer(layer);
      rows.add(
          new String[] {
            layer.label(),
            Long.toString(c.in()),
            Long.toString(c.out()),
            Long.toString(c.quarantined())
          });
    }
    TablePrinter.print(
        out,
        "Records per layer in this run",
        new String[] {"layer", "in", "out", "quarantined"},
        rows);
  }

  private static List<Layer> sorted(Set<Layer> layers) {
    return layers.stream().sorted().toList();
  }

  /** The innermost cause's class and message: what the user can act on. */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    // A database error quotes what it refused: the message is cut for the terminal and the run
    // record.
    return LogText.bounded(
        root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
  }

  /** Ctrl-C on a continuous run: cancel the job and record the run as stopped (not failed). */
  private static final class Stopper {
    private final RunRecorder recorder;
    private final String runId;
    private final Set<Layer> layers;
    private Thread hook;

    Stopper(RunRecorder recorder, String runId, Set<Layer> layers) {
      this.recorder = recorder;
      this.runId = runId;
      this.layers = layers;
    }

    void install(PipelineResult result) {
      hook =
          new Thread(
              () -> {
                try {
                  // Recorded first: an embedded PostgreSQL stops in its own shutdown hook, at the
                  // same time as this one, and would be gone once the job had stopped. What the
                  // job still writes while it stops is idempotent, as after any crash.
                  recorder.finished(
                      runId, RunStatus.STOPPED, LayerCounts.of(result).stats(sorted(layers)), null);
                  result.cancel();
                  result.waitUntilFinish(
                      Duration.standardSeconds(30)); // exit only once the job has stopped
                } catch (IOException | RuntimeException e) {
                  LOG.warn(
                      "Could not stop the continuous run {} cleanly: {}", runId, e.getMessage());
                }
              },
              "stop-continuous-run");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Removes the hook; false when it is already running (the JVM is shutting down), after waiting
     * for it to record the run: the caller closes the connection pool the hook writes through.
     */
    boolean remove() {
      if (hook == null) {
        return true;
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
        return true;
      } catch (IllegalStateException shuttingDown) {
        try {
          hook.join(Duration.standardSeconds(60).getMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
    }
  }
}

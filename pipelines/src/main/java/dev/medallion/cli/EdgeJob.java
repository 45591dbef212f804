package dev.medallion.cli;

import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.files.LandingZone;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.io.supabase.SupabaseStorageIO;
import dev.medallion.pipelines.EdgeOptions;
import dev.medallion.pipelines.EdgePipeline;
import dev.medallion.ops.Layer;
import dev.medallion.core.LayerCounts;
import dev.medallion.ops.Mode;
import dev.medallion.ops.RunRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/** Runs the edge pipeline once: options, landing zone, run record, progress and the summary. */
final class EdgeJob {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeJob.class);
  /** What the user asked for. */
  record Settings(String source, String layers, Mode mode, String asOf, String profile, boolean moveProcessed, List<String> beamArgs,
      boolean continuous, String pollInterval) {
    Settings(String source, String layers, Mode mode, String asOf, String profile, boolean moveProcessed, List<String> beamArgs) {
      this(source, layers, mode, asOf, profile, moveProcessed, beamArgs, false, null);
    }
  }

  /** The layers continuous mode runs. */
  static final Set<Layer> CONTINUOUS_LAYERS = java.util.EnumSet.of(Layer.BRONZE, Layer.SILVER, Layer.GOLD);
  private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)\\s*(s|m|h)?");

  /** How the run ended. */
  record Outcome(boolean succeeded, String runId, LayerCounts counts) {}


  private final JdbcTarget target;
  private final PrintStream out;

  EdgeJob(JdbcTarget target, PrintStream out) {
    this.target = target;
    this.out = out;
  }

  /** Checks every flag and the profile without touching data; throws a usage error naming the flag. */
  static EdgeOptions validate(Settings settings) {
    List<String> problems = new ArrayList<>();
    try {
      Layer.parse(settings.layers(), new EdgePipeline().layerSet());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (settings.asOf() != null) {
      try {
        LocalDate.parse(settings.asOf());
      } catch (DateTimeParseException e) {
        problems.add("--as-of '" + settings.asOf() + "' is not a date: use YYYY-MM-DD");
      }
    }
    problems.addAll(continuousProblems(settings));
    EdgeOptions options = null;
    try {
      options = JobSupport.options(settings.profile(), settings.beamArgs(), EdgeOptions.class);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw CliException.usage(String.join("\n", problems) + "\nSee: medallion run edge --help", null);
    }
    return options;
  }

  private static List<String> continuousProblems(Settings settings) {
    List<String> problems = new ArrayList<>();
    if (!settings.continuous()) {
      if (settings.pollInterval() != null) {
        problems.add("--poll-interval only applies with --continuous");
      }
      return problems;
    }
    if (!"all".equalsIgnoreCase(settings.layers().strip())) {
      problems.add("--continuous runs bronze, silver and gold together as files land: drop --layers"
          + " (run platinum on a schedule with --layers platinum)");
    }
    if (settings.mode() == Mode.FULL) {
      problems.add("--continuous processes new files as they land: drop --mode full (a full rebuild is a scheduled run)");
    }
    if (SupabaseStorageIO.isSupabaseLocation(settings.source())) {
      problems.add("--continuous watches a folder or a gs:// prefix; for supabase:// sources schedule runs instead"
          + " (.github/workflows/edge-pipeline.yml)");
    }
    if (settings.pollInterval() != null && pollSeconds(settings) < 1) {
      problems.add("--poll-interval '" + settings.pollInterval() + "' is not a duration: use e.g. 30s, 2m or 1h");
    }
    return problems;
  }

  /** The poll interval in seconds (30 when not given), or -1 when it cannot be read. */
  static long pollSeconds(Settings settings) {
    if (settings.pollInterval() == null) {
      return 30;
    }
    java.util.regex.Matcher m = DURATION.matcher(settings.pollInterval().strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "m" -> value * 60;
      case "h" -> value * 3600;
      default -> value;
    };
  }

  Outcome run(Settings settings) {
    EdgeOptions options = validate(settings);
    Set<Layer> layers = settings.continuous() ? CONTINUOUS_LAYERS : Layer.parse(settings.layers(), new EdgePipeline().layerSet());
    String runId = RunRecorder.newRunId("edge");
    options.setSource(settings.source());
    options.setLayers(settings.layers());
    options.setMode(settings.mode());
    options.setAsOf(settings.asOf());
    options.setRunId(runId);
    options.setMoveProcessed(settings.moveProcessed());
    options.setPollIntervalSeconds(pollSeconds(settings));
    options.setJdbcUrl(target.url());
    options.setJdbcUser(target.user());
    options.setJobName(runId.toLowerCase(Locale.ROOT));
    OwnJarStaging.apply(options);
    if (settings.continuous()) {
      OwnJarStaging.detachContinuous(options);
    }

    LandingZone zone = landingZone(settings.source());
    if (layers.contains(Layer.BRONZE)) {
      try {
        zone.checkReadable();
      } catch (IOException | RuntimeException e) {
        throw new CliException("Cannot read the source " + zone.describe() + ": " + e.getMessage(), e);
      }
    }

    RunRecorder recorder = new RunRecorder(target);
    String runner = options.getRunner().getSimpleName();
    recorder.started(runId, "edge", settings.mode(), layers, runner, settings.continuous());
    if (settings.continuous()) {
      out.printf("Run %s: edge pipeline, continuous: bronze, silver and gold as files land, on %s%n", runId, runner);
      out.printf("  watching %s every %ds -> %s; stop with Ctrl-C (restarting is safe)%n",
          zone.describe(), options.getPollIntervalSeconds(), target);
    } else {
      out.printf("Run %s: edge pipeline, layers %s, mode %s, as of %s, on %s%n", runId, settings.layers(),
          settings.mode().name().toLowerCase(Locale.ROOT), EdgePipeline.asOf(options), runner);
      out.printf("  source %s -> %s%n", zone.describe(), target);
    }

    Pipeline pipeline = Pipeline.create(options);
    dev.medallion.platform.RunContext context = new dev.medallion.platform.RunContext("edge", runId, target, layers,
        settings.mode(), dev.medallion.io.http.HttpClientConfiguration.create());
    if (settings.continuous()) {
      EdgePipeline.buildContinuous(pipeline, options, context, zone);
    } else {
      EdgePipeline.build(pipeline, options, context, zone);
    }
    Thread[] stopper = new Thread[1];
    JobSupport.Ended ended = JobSupport.run(pipeline, "edge", layers, out, started -> {
      if (settings.continuous()) {
        stopper[0] = cancelOnShutdown(started, recorder, runId, layers);
      }
    });
    if (stopper[0] != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper[0]);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it cancelled the job and records the run, so this thread must not record it as failed.
        return new Outcome(true, runId, null);
      }
    }
    PipelineResult result = ended.result();
    String error = ended.error();
    LayerCounts counts = result == null ? null : LayerCounts.of(result);
    boolean succeeded = error == null;
    recorder.finished(runId, succeeded ? dev.medallion.ops.RunStatus.SUCCEEDED : dev.medallion.ops.RunStatus.FAILED, counts == null ? java.util.Map.of() : counts.stats(layers), error);
    if (counts != null) {
      recorder.tableStatus(runId, tables(layers, counts), succeeded, error);
      printCounts(layers, counts);
    }
    if (!succeeded) {
      out.println();
      out.println("The edge run failed: " + error);
      out.println("Fix the cause and run the same command again: re-runs neither lose nor duplicate rows."
          + " The run is recorded in ops.pipeline_runs as " + runId + ".");
    }
    return new Outcome(succeeded, runId, counts);
  }

  /** Ctrl-C on a continuous run: cancel the pipeline and record the run as stopped. */
  private static Thread cancelOnShutdown(PipelineResult result, RunRecorder recorder, String runId, Set<Layer> layers) {
    Thread stopper = new Thread(() -> {
      try {
        result.cancel();
        result.waitUntilFinish(Duration.standardSeconds(30)); // exit only once the job has stopped
        recorder.finished(runId, dev.medallion.ops.RunStatus.STOPPED, LayerCounts.of(result).stats(layers), null);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not stop the continuous run {} cleanly: {}", runId, e.getMessage());
      }
    }, "stop-continuous-edge-run");
    Runtime.getRuntime().addShutdownHook(stopper);
    return stopper;
  }

  static LandingZone landingZone(String source) {
    if (SupabaseStorageIO.isSupabaseLocation(source)) {
      String url = System.getenv("SUPABASE_URL");
      String key = System.getenv("SUPABASE_SERVICE_KEY");
      if (url == null || key == null) {
        throw CliException.usage("--source " + source + " needs the environment variables SUPABASE_URL and SUPABASE_SERVICE_KEY.", null);
      }
      return SupabaseStorageIO.landingZone().withProjectUrl(url).withServiceKey(key).withLocation(source);
    }
    // Workers of a cluster do not share our working directory: hand them an absolute path.
    String location = source.contains("://") ? source : Paths.get(source).toAbsolutePath().normalize().toString();
    return FileSystemLandingZone.at(location);
  }

  private void printCounts(Set<Layer> layers, LayerCounts counts) {
    JobSupport.printCounts(out, layers, counts);
    out.printf("Files: %d read, %d already in bronze, %d moved, %d left in place%n",
        counts.get("landing", "files_read"), counts.get("landing", "files_already_in_bronze"),
        counts.get("landing", "files_moved"), counts.get("landing", "files_not_moved"));
    long quarantined = layers.stream().mapToLong(l -> counts.layer(l).quarantined()).sum();
    if (quarantined > 0) {
      out.println(quarantined + " record(s) quarantined with their reasons: SELECT * FROM silver.edge_quarantine;");
    }
  }

  private static Map<String, Map.Entry<Layer, Long>> tables(Set<Layer> layers, LayerCounts counts) {
    Map<String, Map.Entry<Layer, Long>> tables = new LinkedHashMap<>();
    Map<Layer, String> names = Map.of(Layer.BRONZE, "bronze.edge_raw", Layer.SILVER, "silver.edge_transactions",
        Layer.GOLD, "gold.store_daily_summary", Layer.PLATINUM, "platinum.store_features");
    for (Layer layer : layers.stream().sorted().toList()) {
      tables.put(names.get(layer), Map.entry(layer, counts.layer(layer).out()));
    }
    return tables;
  }
}

package dev.medallion.cli;

import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.jdbc.JdbcTarget;
import dev.medallion.io.supabase.SupabaseStorageIO;
import dev.medallion.pipelines.EdgeOptions;
import dev.medallion.pipelines.EdgePipeline;
import dev.medallion.pipelines.Layer;
import dev.medallion.pipelines.LayerCounts;
import dev.medallion.pipelines.Mode;
import dev.medallion.pipelines.RunRecorder;
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

/** Runs the edge pipeline once: options, landing zone, run record, progress and the summary. */
final class EdgeJob {
  /** What the user asked for. */
  record Settings(String source, String layers, Mode mode, String asOf, String profile, boolean moveProcessed, List<String> beamArgs) {}

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
      Layer.parse(settings.layers(), EdgePipeline.LAYERS);
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

  Outcome run(Settings settings) {
    EdgeOptions options = validate(settings);
    Set<Layer> layers = Layer.parse(settings.layers(), EdgePipeline.LAYERS);
    String runId = RunRecorder.newRunId("edge");
    options.setSource(settings.source());
    options.setLayers(settings.layers());
    options.setMode(settings.mode());
    options.setAsOf(settings.asOf());
    options.setRunId(runId);
    options.setMoveProcessed(settings.moveProcessed());
    options.setJdbcUrl(target.url());
    options.setJdbcUser(target.user());
    options.setJobName(runId.toLowerCase(Locale.ROOT));

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
    recorder.started(runId, "edge", settings.mode(), layers, runner);
    out.printf("Run %s: edge pipeline, layers %s, mode %s, as of %s, on %s%n", runId, settings.layers(),
        settings.mode().name().toLowerCase(Locale.ROOT), EdgePipeline.asOf(options), runner);
    out.printf("  source %s -> %s%n", zone.describe(), target);

    Pipeline pipeline = Pipeline.create(options);
    EdgePipeline.build(pipeline, options, target, zone);
    JobSupport.Ended ended = JobSupport.run(pipeline, "edge", layers, out);
    PipelineResult result = ended.result();
    String error = ended.error();
    LayerCounts counts = result == null ? null : LayerCounts.of(result);
    boolean succeeded = error == null;
    recorder.finished(runId, succeeded, counts == null ? "{}" : counts.toJson(layers), error);
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

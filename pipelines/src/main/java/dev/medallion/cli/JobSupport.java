package dev.medallion.cli;

import dev.medallion.ops.Layer;
import dev.medallion.core.LayerCounts;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/** What every pipeline job shares: options from a profile, running with progress, the counts table. */
final class JobSupport {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobSupport.class);
  private static final Duration PROGRESS_INTERVAL = Duration.standardSeconds(5);

  /** How a pipeline run ended: its result (when it started) and the error (when it failed). */
  record Ended(PipelineResult result, String error) {}

  private JobSupport() {}

  /** The runner profile's options overridden by the command line's Beam options. */
  static <T extends PipelineOptions> T options(String profile, List<String> beamArgs, Class<T> type) throws IOException {
    List<String> args = RunnerProfiles.merge(RunnerProfiles.load(profile), beamArgs);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(type);
  }

  /** Runs the pipeline, printing progress per layer every few seconds until it ends. */
  static Ended run(Pipeline pipeline, String name, Set<Layer> layers, PrintStream out) {
    return run(pipeline, name, layers, out, started -> { });
  }

  /** As {@link #run(Pipeline, String, Set, PrintStream)}, telling {@code onStarted} once the job runs. */
  static Ended run(Pipeline pipeline, String name, Set<Layer> layers, PrintStream out,
      java.util.function.Consumer<PipelineResult> onStarted) {
    PipelineResult result = null;
    String error = null;
    try {
      result = pipeline.run();
      onStarted.accept(result);
      waitWithProgress(result, layers, out);
      if (result.getState() != PipelineResult.State.DONE) {
        error = "the pipeline ended in state " + result.getState();
      }
    } catch (RuntimeException e) {
      error = DatabaseOptions.rootMessage(e);
      LOG.error("The {} pipeline failed", name, e);
    }
    return new Ended(result, error);
  }

  private static void waitWithProgress(PipelineResult result, Set<Layer> layers, PrintStream out) {
    String last = "";
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(PROGRESS_INTERVAL);
      if (state != null && state.isTerminal()) {
        return;
      }
      LayerCounts counts = LayerCounts.of(result);
      StringBuilder progress = new StringBuilder("  ...");
      for (Layer layer : layers.stream().sorted().toList()) {
        progress.append(' ').append(layer.label()).append(' ').append(counts.layer(layer).out()).append(',');
      }
      String line = progress.substring(0, progress.length() - 1) + " records so far";
      if (!line.equals(last)) {
        out.println(line);
        last = line;
      }
    }
  }

  static void printCounts(PrintStream out, Set<Layer> layers, LayerCounts counts) {
    List<String[]> rows = new ArrayList<>();
    for (Layer layer : layers.stream().sorted().toList()) {
      LayerCounts.Count c = counts.layer(layer);
      rows.add(new String[] {layer.label(), Long.toString(c.in()), Long.toString(c.out()), Long.toString(c.quarantined())});
    }
    TablePrinter.print(out, "Records per layer in this run", new String[] {"layer", "in", "out", "quarantined"}, rows);
  }
}

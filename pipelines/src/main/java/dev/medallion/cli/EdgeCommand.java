package dev.medallion.cli;

import dev.medallion.ops.Mode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/** {@code medallion run edge}: edge-device files through bronze, silver, gold and platinum. */
@Command(name = "edge", mixinStandardHelpOptions = true,
    description = {
      "Edge-device files (JSON, JSON lines, CSV) from a landing prefix into bronze, silver, gold and platinum tables.",
      "Any other --name=value option is passed to Beam (e.g. --runner, --flinkMaster, --parallelism) and wins over the profile."
    },
    footer = {"", "Exit codes: 0 success (quarantined records included), 1 the run failed, 2 bad usage."})
final class EdgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseOptions database;

  @Option(names = "--source", required = true,
      description = "Landing prefix: a folder, gs://bucket/prefix/, or supabase://BUCKET/PREFIX (with SUPABASE_URL and SUPABASE_SERVICE_KEY set).")
  String source;

  @Option(names = "--layers", defaultValue = "all", description = "all, or a comma-separated list of bronze,silver,gold,platinum (default: ${DEFAULT-VALUE}).")
  String layers;

  @Option(names = "--mode", defaultValue = "incremental",
      description = "incremental (only pending bronze rows, only days they touch) or full (reprocess everything). Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--as-of", description = "Day (YYYY-MM-DD) the platinum features are computed as of; default today (UTC).")
  String asOf;

  @Mixin RunnerOptions runner;

  @Option(names = "--no-move-processed", negatable = false,
      description = "Leave files in the landing prefix instead of moving them to processed/YYYYMMDD/.")
  boolean noMoveProcessed;


  @Option(names = "--continuous",
      description = "Keep running: watch the landing prefix and update bronze, silver and gold as files land (platinum stays a scheduled run).")
  boolean continuous;

  @Option(names = "--poll-interval", paramLabel = "DURATION",
      description = "With --continuous: how often to look for new files, e.g. 30s, 2m, 1h (default: 30s).")
  String pollInterval;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = spec.commandLine().getOut() == null ? System.out : new PrintStream(System.out, true);
    EdgeJob.Settings settings = new EdgeJob.Settings(
        source, layers, mode, asOf, runner.profile, !noMoveProcessed, beamArgs, continuous, pollInterval);
    EdgeJob.validate(settings);
    if (runner.dryRun) {
      out.println("Plan: edge pipeline, " + (continuous ? "continuous (bronze, silver, gold as files land, polling every "
              + EdgeJob.pollSeconds(settings) + "s)" : "layers " + layers + ", mode " + mode.name().toLowerCase(java.util.Locale.ROOT))
          + ", source " + source + ", profile " + runner.profile + ". Flags are valid; nothing was run.");
      return 0;
    }
    try (DatabaseOptions.Database db = database.open()) {
      return new EdgeJob(db.target, out).run(settings).succeeded() ? 0 : 1;
    }
  }
}

package dev.medallion.cli;

import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Mode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code medallion run band}: the ElGoose API through bronze, silver and gold. */
@Command(name = "band", mixinStandardHelpOptions = true,
    description = {
      "The ElGoose API (setlists, shows, songs, venues, jamcharts, ...) into bronze, silver and gold tables.",
      "Any other --name=value option is passed to Beam (e.g. --runner, --flinkMaster, --parallelism) and wins over the profile."
    },
    footer = {"", "Exit codes: 0 success, 1 the run failed or an endpoint failed (the others are still processed), 2 bad usage."})
final class BandCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseOptions database;

  @Option(names = "--layers", description = "all, or a comma-separated list of bronze,silver,gold (default: all).")
  String layers;

  @Option(names = "--mode-name",
      description = "The seed's processing modes: bronze_only, silver_only, gold_only or complete (instead of --layers).")
  String modeName;

  @Option(names = "--mode", defaultValue = "incremental",
      description = "incremental (setlists of shows newer than silver's newest, pending bronze rows only) or full"
          + " (every show's setlist, every bronze row reprocessed). Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--endpoints", defaultValue = "all",
      description = "all, or a comma-separated list of setlists,latest,shows,songs,venues,jamcharts,metadata,links,uploads,appearances"
          + " (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--elgoose-base-url", defaultValue = ElGooseConnector.DEFAULT_BASE_URL,
      description = "The ElGoose API v2 base URL (default: ${DEFAULT-VALUE}).")
  String baseUrl;

  @Option(names = "--record-limit", description = "At most N rows per request (the API's limit parameter). Off by default.")
  Integer recordLimit;

  @Mixin RunnerOptions runner;


  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true);
    BandJob.Settings settings = settings();
    BandJob.validate(settings);
    if (runner.dryRun) {
      out.println("Plan: band pipeline, layers " + settings.layers() + ", mode " + mode.name().toLowerCase(Locale.ROOT)
          + ", endpoints " + endpoints + ", source " + baseUrl + (recordLimit == null ? "" : ", at most " + recordLimit
          + " rows per request") + ", profile " + runner.profile + ". Flags are valid; nothing was run.");
      return 0;
    }
    try (DatabaseOptions.Database db = database.open()) {
      return new BandJob(db.target, out, HttpClientConfiguration.create()).run(settings).succeeded() ? 0 : 1;
    }
  }

  private BandJob.Settings settings() {
    String chosenLayers = layers == null ? "all" : layers;
    if (modeName != null) {
      if (layers != null) {
        throw CliException.usage("Give either --layers or --mode-name, not both.\nSee: medallion run band --help", null);
      }
      try {
        chosenLayers = BandJob.layersForModeName(modeName);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage() + "\nSee: medallion run band --help", e);
      }
    }
    return new BandJob.Settings(chosenLayers, mode, endpoints, baseUrl, recordLimit, runner.profile, beamArgs);
  }
}

package dev.medallion.cli;

import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.pipelines.InventoryWatch;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.platform.UsageError;
import dev.medallion.transforms.inventory.InventoryConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seed's {@code watch --drive-folder-id ID --poll-interval 5m}: polls a Drive folder (or a
 * local folder) and routes every new or changed file to its inventory pipeline by the config's
 * routing table: each pipeline runs continuously, side by side ({@link InventoryWatch}); a file no
 * route takes is recorded as skipped with the reason.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Watch a Google Drive folder (or a local folder): every inventory pipeline runs"
            + " continuously on its new or changed files, rewriting the dates they feed (stop with"
            + " Ctrl-C).")
final class WatchCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Option(
      names = "--drive-folder-id",
      paramLabel = "ID",
      description = "The Drive folder (the end of https://drive.google.com/drive/folders/ID).")
  String driveFolderId;

  @Option(names = "--source", paramLabel = "DIR|gdrive://ID", description = "Or a folder.")
  String source;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "How often to look for new files, e.g. 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--max-polls",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N polls (default 0: until Ctrl-C). For tests and CI.")
  int maxPolls;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The inventory config (routing table, per-pipeline settings).")
  String config;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile of the pipelines' runs (default: ${DEFAULT-VALUE}).")
  String profile;

  /** Other flags go to every pipeline's runs (e.g. --drive-sheets=skip, --allow-insecure-http). */
  @CommandLine.Unmatched List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    if ((driveFolderId == null) == (source == null)) {
      throw new UsageError("watch needs one of --drive-folder-id ID or --source DIR");
    }
    String from = driveFolderId != null ? GoogleDriveIO.SCHEME + driveFolderId : source;
    if (maxPolls < 0) {
      throw new UsageError("--max-polls " + maxPolls + ": give 1 or more (0: until stopped)");
    }
    InventoryConfig routes;
    try {
      routes = InventoryConfig.load(config);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--config: " + e.getMessage());
    }
    // The pipelines the routing table names, in its order (the first records unrouted files).
    Set<String> names = new LinkedHashSet<>();
    routes.routes().forEach(r -> names.add(r.pipeline()));
    PipelineRegistry registry = PipelineRegistry.load();
    List<PipelineDefinition<?>> pipelines = new ArrayList<>();
    for (String name : names) {
      pipelines.add(
          registry
              .find(name)
              .orElseThrow(
                  () -> new UsageError("the routing table names an unknown pipeline: " + name)));
    }
    List<String> args = new ArrayList<>(List.of("--source=" + from));
    if (config != null) {
      args.add("--config=" + config);
    }
    args.addAll(rest);
    PrintStream out = new PrintStream(System.out, true);
    out.printf("Watching %s every %s for %s%n", from, pollInterval, String.join(", ", names));
    try (DatabaseOptions.Database db = database.open()) {
      return new InventoryWatch(new JobRunner(db.target, out, HttpClientConfiguration.create()))
          .watch(pipelines, args, profile, List.of(), pollInterval, maxPolls);
    }
  }
}

package dev.medallion.cli;

import dev.medallion.bench.Bench;
import dev.medallion.platform.OwnJarStaging;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medallion bench}: speed and memory, measured side by side in one run. It lives in the
 * bench module, outside the product jar, and joins the CLI through {@link BenchMain}; it stays in
 * the CLI's package for the shared database options (the own-jar lookup is
 * dev.medallion.platform.OwnJarStaging).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Generate deterministic data and measure each method on it in one process: the PostgreSQL write ladder,",
      "runner cost, XLSX memory and parsing. Prints markdown tables and writes them to --out."
    })
final class BenchCommand implements Callable<Integer> {
  static final List<String> SUITES = List.of("write", "runners", "xlsx", "parse");

  @CommandLine.Mixin DatabaseOptions database;

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Rows per suite (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--suite",
      defaultValue = "all",
      split = ",",
      description = "all, or any of write,runners,xlsx,parse.")
  List<String> suites;

  @Option(
      names = "--out",
      defaultValue = "bench-results.md",
      description = "Markdown file for the tables (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description = "Timed runs per method; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--seed",
      defaultValue = "20241123",
      description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--flink-master",
      description = "A running Flink session cluster (HOST:PORT) to measure too.")
  String flinkMaster;

  @Override
  public Integer call() throws Exception {
    Set<String> chosen = new LinkedHashSet<>();
    for (String suite : suites) {
      if (suite.equals("all")) {
        chosen.addAll(SUITES);
      } else if (SUITES.contains(suite)) {
        chosen.add(suite);
      } else {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "Unknown suite '" + suite + "' for --suite: use all or " + SUITES);
      }
    }
    if (rows < 1000) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rows must be at least 1000");
    }
    try (DatabaseOptions.Database db = database.open()) {
      Bench.Report report =
          Bench.run(
              db.target,
              new Bench.Settings(
                  rows,
                  chosen,
                  seed,
                  repeats,
                  database.dataDir.resolve("bench"),
                  flinkMaster,
                  jarsForTheCluster()),
              System.out);
      System.out.println();
      System.out.println(report.markdown());
      Files.writeString(out, report.markdown(), StandardCharsets.UTF_8);
      System.out.println("Written to " + out.toAbsolutePath());
    }
    return 0;
  }

  /**
   * The chain on a standalone cluster runs the bench's own functions over the product's classes, so
   * the cluster gets both jars: the shaded product jar and the bench jar beside it.
   */
  private static List<String> jarsForTheCluster() {
    return Stream.of(OwnJarStaging.runningJar(), OwnJarStaging.jarOf(BenchCommand.class))
        .flatMap(Optional::stream)
        .map(Path::toString)
        .distinct()
        .toList();
  }
}

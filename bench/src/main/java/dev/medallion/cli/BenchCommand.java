package dev.medallion.cli;

import dev.medallion.bench.Bench;
import dev.medallion.bench.ReadmeBlock;
import dev.medallion.platform.OwnJarStaging;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
      "the whole pipeline on each runner against a hand-written program, XLSX memory and parsing. Prints",
      "markdown tables and writes them to --out (and into the README's numbers block with --readme)."
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

  @Option(
      names = "--runner-time-limit-minutes",
      defaultValue = "20",
      description = {
        "Longest run of the whole pipeline on one runner (default: ${DEFAULT-VALUE}); a longer one is",
        "stopped, reported as not finished, its targets MISSED, and not run at larger sizes."
      })
  long runnerTimeLimitMinutes;

  @Option(
      names = "--readme",
      description = {
        "Also write the report into this README, between its <!-- bench:begin --> and",
        "<!-- bench:end --> lines (nothing else changes); needs --suite all."
      })
  Path readme;

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
    if (runnerTimeLimitMinutes < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--runner-time-limit-minutes must be at least 1");
    }
    if (readme != null) {
      // The README's block holds every suite's numbers: a partial run would drop the others.
      if (!chosen.containsAll(SUITES)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--readme replaces the README's whole block of numbers: run every suite (--suite all)");
      }
      // Checked before hours of measuring, not after.
      try {
        ReadmeBlock.replace(Files.readString(readme, StandardCharsets.UTF_8), "");
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--readme " + readme + ": " + e.getMessage());
      }
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
                  jarsForTheCluster(),
                  Duration.ofMinutes(runnerTimeLimitMinutes)),
              System.out);
      System.out.println();
      System.out.println(report.markdown());
      Files.writeString(out, report.markdown(), StandardCharsets.UTF_8);
      System.out.println("Written to " + out.toAbsolutePath());
      if (readme != null) {
        ReadmeBlock.update(readme, report.body());
        System.out.println("Numbers block of " + readme.toAbsolutePath() + " regenerated");
      }
    }
    return 0;
  }

  /**
   * The jars a standalone cluster gets: the shaded product jar, and the bench jar beside it for any
   * of the bench's own classes a job may reference.
   */
  private static List<String> jarsForTheCluster() {
    return Stream.of(OwnJarStaging.runningJar(), OwnJarStaging.jarOf(BenchCommand.class))
        .flatMap(Optional::stream)
        .map(Path::toString)
        .distinct()
        .toList();
  }
}

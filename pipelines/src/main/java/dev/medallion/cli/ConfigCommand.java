package dev.medallion.cli;

import dev.medallion.orchestrator.ConfigReader;
import dev.medallion.orchestrator.ConfigValidator;
import dev.medallion.orchestrator.IngestionConfig;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import dev.medallion.platform.PipelineRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medallion config validate}: checks ingestion-config.yaml. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "The ingestion configuration (ingestion-config.yaml): validate it.",
    subcommands = {ConfigCommand.ValidateCommand.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a subcommand: validate.");
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Checks ingestion-config.yaml: every cron parses, the time zone exists, every job names a"
            + " known service and data type and an environment with a landing bucket, groups name"
            + " existing jobs, every job lists its dependencies.",
        "Each problem is printed with its path in the file, e.g. jobs.strava_activities.cron."
      },
      footer = {"", "Exit codes: 0 valid, 2 problems found (or the file cannot be read)."})
  static final class ValidateCommand implements Callable<Integer> {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "The configuration file (default: ./ingestion-config.yaml, else the copy in the jar).")
    Path config;

    @Option(
        names = "--check-env",
        description =
            "Also check that every enabled job's dependencies are set in the environment.")
    boolean checkEnv;

    @Option(
        names = "--dry-run",
        hidden = true,
        description = "Accepted like every command's: validating never changes anything.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      PrintStream err = System.err;
      ConfigReader.Loaded loaded;
      try {
        loaded = ConfigReader.load(config);
      } catch (IOException e) {
        err.println("error: cannot read " + (config == null ? "the config" : config) + ": " + e);
        return 2;
      }
      List<Problem> problems = allProblems(loaded, checkEnv);
      IngestionConfig c = loaded.config();
      if (!problems.isEmpty()) {
        problems.forEach(p -> err.println(p));
        err.printf("%d problem(s) in %s%n", problems.size(), c.source());
        return 2;
      }
      warnUnregistered(c, PipelineRegistry.load(), out);
      out.printf(
          "%s is valid: %d service(s), %d job(s) (%d enabled), %d group(s), crons in %s%s.%n",
          c.source(),
          c.services().size(),
          c.jobs().size(),
          c.jobs().values().stream().filter(IngestionConfig.Job::enabled).count(),
          c.groups().size(),
          c.global().timezone(),
          checkEnv ? "; every enabled job's dependencies are set" : "");
      return 0;
    }
  }

  /** What the reader and the validator found, and with --check-env the unset dependencies. */
  static List<Problem> allProblems(ConfigReader.Loaded loaded, boolean checkEnv) {
    List<Problem> problems = new ArrayList<>(loaded.problems());
    if (!loaded.readable()) {
      return problems;
    }
    problems.addAll(ConfigValidator.problems(loaded.config()));
    if (checkEnv) {
      problems.addAll(ConfigValidator.unsetDependencies(loaded.config(), System::getenv));
    }
    return problems;
  }

  /**
   * A service whose pipeline this build does not have is not an error of the file (the connector
   * may come with another build), but its jobs cannot run: say so.
   */
  static void warnUnregistered(IngestionConfig config, PipelineRegistry registry, PrintStream out) {
    config.jobs().values().stream()
        .map(config::pipelineOf)
        .distinct()
        .filter(p -> registry.find(p).isEmpty())
        .forEach(
            p ->
                out.println(
                    "warning: no pipeline named "
                        + p
                        + " is registered in this build: its jobs fail until one is"
                        + " (medallion pipelines lists them)"));
  }
}

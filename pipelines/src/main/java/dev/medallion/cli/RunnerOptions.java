package dev.medallion.cli;

import picocli.CommandLine.Option;

/** How a pipeline command runs: the runner profile, and whether to stop after checking the plan. */
final class RunnerOptions {
  @Option(names = "--profile", defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile: direct, flink-local, flink-cluster, or a .properties file (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--dry-run", description = "Check the flags and profile, print the plan, and stop before touching any data.")
  boolean dryRun;
}

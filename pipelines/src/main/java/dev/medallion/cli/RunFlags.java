package dev.medallion.cli;

import dev.medallion.ops.Mode;
import dev.medallion.platform.RunnerProfiles;
import picocli.CommandLine.Option;

/** The flags every pipeline takes, defined once. */
final class RunFlags {
  @Option(
      names = "--layers",
      paramLabel = "LAYERS",
      description = "all, or a comma-separated list of the pipeline's layers (default: all).")
  String layers;

  @Option(
      names = "--mode",
      defaultValue = "incremental",
      description =
          "incremental (only what is new since the last run) or full (reprocess everything). Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(
      names = "--as-of",
      paramLabel = "YYYY-MM-DD",
      description = "Day that day-based features are computed as of; default today (UTC).")
  String asOf;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description =
          "Runner profile: direct, flink-local, flink-cluster, or a .properties file (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--no-wait",
      description =
          "When another run of the same pipeline is going, exit at once (code 1) instead of waiting for it to end.")
  boolean noWait;

  @Option(
      names = "--dry-run",
      description =
          "Check the flags and profile, print the plan, and stop before touching any data.")
  boolean dryRun;
}

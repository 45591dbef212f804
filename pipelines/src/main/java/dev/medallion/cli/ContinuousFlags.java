package dev.medallion.cli;

import picocli.CommandLine.Option;

/** The flags of pipelines that can run continuously, defined once. */
final class ContinuousFlags {
  @Option(
      names = "--continuous",
      description =
          "Keep running: watch the source and keep the layers current as data arrives (stop with Ctrl-C).")
  boolean continuous;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      description =
          "With --continuous: how often to look for new data, e.g. 30s, 2m, 1h (default: 30s).")
  String pollInterval;
}

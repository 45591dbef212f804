package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.QuarantineStore;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.TablePrinter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code medallion quarantine list|show|replay}: the records every pipeline set aside, and
 * re-feeding them.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description =
        "The records pipelines set aside (ops.quarantine): list them, show one, replay them after fixing the cause.",
    subcommands = {
      QuarantineCommand.ListCommand.class,
      QuarantineCommand.ShowCommand.class,
      QuarantineCommand.ReplayCommand.class
    })
final class QuarantineCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Name a subcommand: list, show or replay.");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The newest quarantined records, with their reasons.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Option(names = "--pipeline", description = "Only this pipeline's records.")
    String pipeline;

    @Option(names = "--run", description = "Only the records this run set aside.")
    String runId;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      try (DatabaseOptions.Database db = database.open()) {
        List<QuarantineEntry> entries = new QuarantineStore(db.target).list(pipeline, runId, limit);
        List<String[]> rows = new ArrayList<>();
        for (QuarantineEntry e : entries) {
          rows.add(
              new String[] {
                Long.toString(e.id()),
                e.pipeline(),
                e.layer().label(),
                e.errorClass().label(),
                cut(e.where(), 60),
                cut(e.reason(), 80),
                e.replayedAt() == null ? "" : "replayed by " + e.replayRunId()
              });
        }
        TablePrinter.print(
            System.out,
            entries.size()
                + " quarantined record(s), newest first (details: medallion quarantine show ID)",
            new String[] {"id", "pipeline", "layer", "class", "where", "reason", "replay"},
            rows);
        return 0;
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One quarantined record in full.")
  static final class ShowCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Parameters(paramLabel = "ID", description = "The id from quarantine list.")
    long id;

    @Override
    public Integer call() {
      try (DatabaseOptions.Database db = database.open()) {
        QuarantineEntry e =
            new QuarantineStore(db.target)
                .find(id)
                .orElseThrow(
                    () ->
                        new CliException(
                            "No quarantined record has id "
                                + id
                                + ": see medallion quarantine list"));
        PrintStream out = System.out;
        out.println("id:             " + e.id());
        out.println("pipeline:       " + e.pipeline());
        out.println("layer:          " + e.layer().label());
        out.println("source:         " + e.where());
        out.println("record key:     " + (e.recordKey() == null ? "" : e.recordKey()));
        out.println("error class:    " + e.errorClass().label());
        out.println("reason:         " + e.reason());
        out.println("run:            " + e.runId() + " at " + e.quarantinedAt());
        out.println(
            "replayed:       "
                + (e.replayedAt() == null ? "no" : e.replayedAt() + " by " + e.replayRunId()));
        out.println("record:");
        out.println(e.payload() == null ? "(none kept)" : e.payload());
        return 0;
      }
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Re-feed a pipeline's quarantined records through the layer that rejected them, after the cause is fixed.",
        "Records that now pass land and are marked replayed; those that still fail stay with their new reason. Nothing is deleted.",
        "Any other --name=value option is a Beam option or one of the pipeline's options (e.g. --source=DIR for files)."
      },
      footer = {
        "",
        "Exit codes: 0 the replay run succeeded (records that failed again included), 1 it failed, 2 bad usage."
      })
  static final class ReplayCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Option(
        names = "--pipeline",
        required = true,
        description = "The pipeline whose records to replay.")
    String pipeline;

    @Option(
        names = "--reason-like",
        paramLabel = "TEXT",
        description = "Only records whose reason contains TEXT (case-insensitive).")
    String reasonLike;

    @Mixin RunFlags flags;

    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      PipelineDefinition<?> definition = PipelineRegistry.load().get(pipeline);
      RunRequest request =
          new RunRequest(null, flags.mode, flags.asOf, flags.profile, false, null, List.of(), args);
      try (DatabaseOptions.Database db = database.open()) {
        JobRunner.ReplayOutcome outcome =
            new JobRunner(
                    db.target, new PrintStream(System.out, true), HttpClientConfiguration.create())
                .replay(definition, request, reasonLike);
        return outcome.run() == null || outcome.run().succeeded() ? 0 : 1;
      }
    }
  }

  private static String cut(String text, int max) {
    String line = text.replace('\n', ' ');
    return line.length() <= max ? line : line.substring(0, max - 3) + "...";
  }
}

package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Mode;
import dev.medallion.platform.Backfill;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.platform.UsageError;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code medallion backfill NAME --from D --to D}: the pipeline once per business date. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Run a pipeline once per business date of a range, skipping dates that already succeeded (unless --force).",
      "Each date is a run of its own (--businessDate=DATE) recorded in ops.pipeline_runs with its date; a failed date does not stop the others.",
      "The pipeline's own options go as --name=value (e.g. --source=DIR); any other --name=value is a Beam option."
    },
    footer = {"", "Exit codes: 0 every date run succeeded, 1 a date failed, 2 bad usage."})
final class BackfillCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Parameters(paramLabel = "NAME", description = "The pipeline (see: medallion pipelines).")
  String pipeline;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First date.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "Last date (inclusive).")
  String to;

  @ArgGroup(exclusive = true)
  Only only;

  /** At most one of the two selections. */
  static final class Only {
    @Option(
        names = "--only-missing",
        description = "Only dates never run, and dates whose succeeded run left no gold rows.")
    boolean missing;

    @Option(names = "--only-failed", description = "Only dates that were run and never succeeded.")
    boolean failed;
  }

  @Option(names = "--force", description = "Run every date, also those that succeeded.")
  boolean force;

  @Option(
      names = "--mode",
      defaultValue = "incremental",
      description = "incremental or full, for each date's run. Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile (default: ${DEFAULT-VALUE}).")
  String profile;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PipelineDefinition<?> definition = PipelineRegistry.load().get(pipeline);
    LocalDate first = date("--from", from);
    LocalDate last = date("--to", to);
    Backfill.Selection selection =
        only == null
            ? Backfill.Selection.NOT_SUCCEEDED
            : only.missing ? Backfill.Selection.ONLY_MISSING : Backfill.Selection.ONLY_FAILED;
    Backfill.check(definition, first, last, selection, force);
    RunRequest request =
        new RunRequest(null, mode, null, profile, false, null, List.of(), new ArrayList<>(args));
    PrintStream out = new PrintStream(System.out, true);
    try (DatabaseOptions.Database db = database.open()) {
      JobRunner runner = new JobRunner(db.target, out, HttpClientConfiguration.create());
      return new Backfill(runner, db.target, out)
              .run(definition, request, first, last, selection, force)
              .succeeded()
          ? 0
          : 1;
    }
  }

  private static LocalDate date(String flag, String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageError(flag + " '" + text + "' is not a date: use YYYY-MM-DD");
    }
  }
}

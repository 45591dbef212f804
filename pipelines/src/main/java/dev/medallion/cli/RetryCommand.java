package dev.medallion.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medallion retry --pipeline P [--date D]}: reprocesses only the files whose latest job in
 * ops.file_jobs failed, never the ones that succeeded, and rebuilds the dates they feed. It is
 * {@code medallion run P --retry-failed [--date D]}; other flags pass through.
 */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description =
        "Reprocess only the failed files of an inventory pipeline (ops.file_jobs), then rebuild"
            + " their dates' snapshots.")
final class RetryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--pipeline", required = true, description = "stock_health or po_snapshots.")
  String pipeline;

  @Option(names = "--date", description = "Only this business date's failed files (YYYY-MM-DD).")
  String date;

  @CommandLine.Unmatched List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("run", pipeline, "--retry-failed"));
    if (date != null) {
      args.add("--date");
      args.add(date);
    }
    args.addAll(rest);
    return delegate(spec, args);
  }

  /** Runs {@code args} as a fresh command line that prints where this one prints. */
  static int delegate(CommandLine.Model.CommandSpec spec, List<String> args) {
    CommandLine cli = MedallionCli.commandLine();
    cli.setOut(spec.commandLine().getOut());
    cli.setErr(spec.commandLine().getErr());
    return cli.execute(args.toArray(String[]::new));
  }
}

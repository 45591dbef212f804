package dev.medallion.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's {@code process --pipeline P --date D --input-dir DIR}: the same as {@code medallion
 * run P --source DIR --date D}; other flags pass through.
 */
@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description = "Process one business date of an inventory pipeline from a folder (= run).")
final class ProcessCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--pipeline", required = true, description = "stock_health or po_snapshots.")
  String pipeline;

  @Option(names = "--date", description = "The business date (YYYY-MM-DD); every date when unset.")
  String date;

  @Option(names = "--input-dir", required = true, description = "Folder of the workbooks.")
  String inputDir;

  @CommandLine.Unmatched List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("run", pipeline, "--source", inputDir));
    if (date != null) {
      args.add("--date");
      args.add(date);
    }
    args.addAll(rest);
    return RetryCommand.delegate(spec, args);
  }
}

package dev.medallion.cli;

import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.TablePrinter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code medallion pipelines}: every registered pipeline with its layers, tables, source, modes and
 * schedule.
 */
@Command(
    name = "pipelines",
    mixinStandardHelpOptions = true,
    description =
        "List every registered pipeline: its layers and the tables each writes, its source, modes and schedule.")
final class PipelinesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    PrintStream out = System.out;
    List<String[]> rows = new ArrayList<>();
    for (PipelineDefinition<?> definition : PipelineRegistry.load().all()) {
      String modes =
          String.join(
                  ", ",
                  definition.modes().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList())
              + (definition.supportsContinuous() ? ", continuous" : "");
      boolean first = true;
      for (LayerTables layer : definition.layers()) {
        rows.add(
            new String[] {
              first ? definition.name() : "",
              first ? definition.sourceKind().label() : "",
              layer.layer().label(),
              String.join(", ", layer.tables()),
              first ? modes : "",
              first ? definition.schedule() : ""
            });
        first = false;
      }
    }
    TablePrinter.print(
        out,
        "Registered pipelines (run one with: medallion run NAME --help)",
        new String[] {"pipeline", "source", "layer", "tables", "modes", "schedule"},
        rows);
    return 0;
  }
}

package dev.medallion.cli;

import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medallion run PIPELINE}: one subcommand per registered pipeline. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one pipeline (see: medallion pipelines).")
final class RunCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Adds a subcommand for every registered pipeline. */
  static void addPipelines(CommandLine run, PipelineRegistry registry) {
    for (PipelineDefinition<?> definition : registry.all()) {
      run.addSubcommand(definition.name(), PipelineCommand.commandLine(definition));
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Name a pipeline: " + String.join(", ", spec.subcommands().keySet()) + ".");
  }
}

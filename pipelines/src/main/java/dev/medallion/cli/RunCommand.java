package dev.medallion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medallion run PIPELINE}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run one pipeline.", subcommands = {EdgeCommand.class, BandCommand.class})
final class RunCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a pipeline: edge or band.");
  }
}

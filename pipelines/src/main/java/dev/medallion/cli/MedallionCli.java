package dev.medallion.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medallion} command. */
@Command(name = "medallion", mixinStandardHelpOptions = true, version = "medallion 0.1.0",
    description = "Sources landed in PostgreSQL as bronze, silver, gold and platinum tables, on Apache Beam.",
    subcommands = {DemoCommand.class, RunCommand.class, MigrateCommand.class})
public final class MedallionCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: demo, run or migrate.");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code; tests call this instead of main. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new MedallionCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof CliException cliException) {
        err.println("error: " + e.getMessage());
        err.flush();
        return cliException.exitCode();
      }
      err.println("error: " + DatabaseOptions.rootMessage(e));
      err.flush();
      e.printStackTrace(err);
      return 1;
    });
    return cli;
  }
}

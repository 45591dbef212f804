package dev.medallion.cli;

import dev.medallion.ops.Redactor;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.UsageError;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medallion} command. */
@Command(
    name = "medallion",
    mixinStandardHelpOptions = true,
    version = "medallion 0.1.0",
    description =
        "Sources landed in PostgreSQL as bronze, silver, gold and platinum tables, on Apache Beam.",
    subcommands = {
      DemoCommand.class,
      PipelinesCommand.class,
      RunCommand.class,
      ConfigCommand.class,
      IngestCommand.class,
      QuarantineCommand.class,
      BackfillCommand.class,
      ProcessCommand.class,
      RetryCommand.class,
      WatchCommand.class,
      MigrateCommand.class,
      ServeCommand.class
    })
public final class MedallionCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Name a command: demo, pipelines, run, config, ingest, quarantine, backfill, process, retry,"
            + " migrate or serve.");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the CLI and returns its exit code; tests call this instead of main. Everything it prints,
   * logs included, goes through the process's {@link Redactor} (issue 10, item 11).
   */
  public static int execute(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream redactedOut = Redactor.process().printStream(out);
    PrintStream redactedErr = Redactor.process().printStream(err);
    System.setOut(redactedOut);
    System.setErr(redactedErr);
    try {
      CommandLine cli = commandLine();
      cli.setOut(new PrintWriter(redactedOut, true));
      cli.setErr(new PrintWriter(redactedErr, true));
      return cli.execute(args);
    } finally {
      redactedOut.close();
      redactedErr.close();
      System.setOut(out);
      System.setErr(err);
    }
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new MedallionCli());
    RunCommand.addPipelines(cli.getSubcommands().get("run"), PipelineRegistry.load());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // A flag picocli cannot read: one line naming it and where the accepted values are, not the
    // whole usage text.
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(
              "error: "
                  + e.getMessage()
                  + " ("
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help lists the flags)");
          err.flush();
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof UsageError) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
          }
          if (e instanceof RunFailure) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
          }
          if (e instanceof CliException cliException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return cliException.exitCode();
          }
          err.println("error: " + JobRunner.rootMessage(e));
          err.flush();
          e.printStackTrace(err);
          return 1;
        });
    return cli;
  }
}

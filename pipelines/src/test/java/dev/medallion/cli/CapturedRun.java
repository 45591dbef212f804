package dev.medallion.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI as a user would, capturing what it prints (and echoing it to the test log). */
final class CapturedRun {
  /** The exit code and everything printed to standard output. */
  record Result(int exitCode, String output) {}

  private CapturedRun() {}

  static Result execute(List<String> args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = MedallionCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    return new Result(exit, output);
  }
}

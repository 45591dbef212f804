package dev.medallion.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI as a user would, capturing what it prints (and echoing it to the test log). */
final class CapturedRun {
  /** The exit code, everything printed to standard output, and everything to standard error. */
  record Result(int exitCode, String output, String errors) {}

  private CapturedRun() {}

  static Result execute(List<String> args) {
    PrintStream original = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = MedallionCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
      System.setErr(originalErr);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    String errors = capturedErr.toString(StandardCharsets.UTF_8);
    original.print(output);
    originalErr.print(errors);
    return new Result(exit, output, errors);
  }
}

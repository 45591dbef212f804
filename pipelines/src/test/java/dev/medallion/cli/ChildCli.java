package dev.medallion.cli;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI in a process of its own (this test's class path and module flags), connected to the test
 * database, its output in a log file: what a signal or {@code kill -9} can end while the test goes
 * on.
 */
final class ChildCli {
  private ChildCli() {}

  /** Starts {@code medallion ARGS --jdbc-url ... --jdbc-user postgres}, output to {@code log}. */
  static Process start(List<String> args, Path log) throws IOException {
    return start(TestDatabase.target(), args, log);
  }

  /** The same against another database (the postgres user, password postgres). */
  static Process start(JdbcTarget database, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), MedallionCli.class.getName()));
    command.addAll(args);
    command.addAll(List.of("--jdbc-url", database.url(), "--jdbc-user", "postgres"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MEDALLION_JDBC_PASSWORD", "postgres");
    return builder.start();
  }
}

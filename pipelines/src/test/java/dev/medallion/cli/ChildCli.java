package dev.medallion.cli;

import static org.junit.Assert.fail;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.rules.TemporaryFolder;

/**
 * The CLI in a process of its own (this test's class path and module flags), connected to the test
 * database, its output in a log file: what a signal or {@code kill -9} can end while the test goes
 * on.
 */
final class ChildCli {
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private ChildCli() {}

  /** Starts {@code medallion ARGS --jdbc-url ... --jdbc-user postgres}, output to {@code log}. */
  static Process start(List<String> args, Path log) throws IOException {
    return start(TestDatabase.target(), args, log);
  }

  /** The same against another database (the postgres user, password postgres). */
  static Process start(JdbcTarget database, List<String> args, Path log) throws IOException {
    return start(database, "768m", args, log);
  }

  /** The same with a heap of {@code maxHeap} (a -Xmx value). */
  static Process start(JdbcTarget database, String maxHeap, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
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

  /**
   * Starts a continuous edge run watching {@code landing} (polling every second), output to {@code
   * log}.
   */
  static Process startContinuousEdge(Path landing, Path log) throws IOException {
    return start(
        List.of(
            "run", "edge", "--continuous", "--poll-interval", "1s", "--source", landing.toString()),
        log);
  }

  /**
   * Waits (by the clock, on the process) until the CLI's continuous run is recorded as running and
   * has taken the three transactions of edge-small/a.json; returns its run id.
   */
  static String awaitContinuousRun(Process cli, Path log) throws IOException, InterruptedException {
    Clock clock = Clock.systemUTC();
    Instant deadline = clock.instant().plus(PATIENCE);
    while (true) {
      List<String> running =
          TestDatabase.rows("SELECT run_id FROM ops.pipeline_runs WHERE status = 'running'");
      if (running.size() == 1
          && TestDatabase.count("SELECT count(*) FROM silver.edge_transactions") == 3) {
        return running.get(0);
      }
      if (cli.waitFor(200, TimeUnit.MILLISECONDS) || !clock.instant().isBefore(deadline)) {
        fail(
            (cli.isAlive() ? "Timed out" : "The CLI exited (" + cli.exitValue() + ")")
                + " waiting for a running continuous run:\n"
                + Files.readString(log));
      }
    }
  }

  /** Empties the edge tables and lands edge-small/a.json (three transactions) in a new folder. */
  static Path landFileA(TemporaryFolder folder) throws IOException {
    TestDatabase.truncate(dev.medallion.pipelines.EdgeEndToEndTables.ALL);
    Path landing = folder.newFolder("landing").toPath();
    try (InputStream in =
        ChildCli.class.getClassLoader().getResourceAsStream("edge-small/a.json")) {
      Files.copy(in, landing.resolve("a.json"));
    }
    return landing;
  }
}

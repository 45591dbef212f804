package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The end-to-end scenario on a real standalone Flink 1.19 session cluster: the start script brings
 * up a JobManager and a TaskManager as separate processes, each run submits the edge pipeline from
 * the shaded jar through the launcher (a separate JVM, as a user would), and after each run the
 * Flink REST API must list the job as FINISHED. Run by maven-failsafe in the flink-cluster profile
 * (mvn -B verify -Pflink-cluster), after the jar is packaged.
 */
public class FlinkClusterIT extends EdgeEndToEndTestBase {
  private static final Path ROOT =
      Paths.get(System.getProperty("medallion.root", "..")).toAbsolutePath().normalize();
  private static final Path SCRIPTS = ROOT.resolve("runner-profiles/flink-cluster");
  private static final Path CLUSTER_HOME =
      Paths.get(System.getProperty("medallion.flinkHome", "target/flink-cluster")).toAbsolutePath();

  /**
   * Free ports, so a cluster someone else runs on 8081/6123 on this machine does not get in the
   * way.
   */
  private static final int REST_PORT = freePort();

  private static final int RPC_PORT = freePort();
  private static final String REST = "http://localhost:" + REST_PORT;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern RUN_ID = Pattern.compile("^Run (edge-\\S+):", Pattern.MULTILINE);

  @BeforeClass
  public static void startCluster() throws IOException, InterruptedException {
    Path jar = ROOT.resolve("pipelines/target/medallion.jar");
    assertTrue(
        "The shaded jar "
            + jar
            + " is missing: run the integration tests with mvn verify, after package",
        Files.isRegularFile(jar));
    script("start-local-cluster.sh");
  }

  @AfterClass
  public static void stopCluster() throws IOException, InterruptedException {
    script("stop-local-cluster.sh");
  }

  @Override
  protected String profile() {
    return "flink-cluster";
  }

  /** Runs the launcher with the jar in a child JVM, then checks the job on the cluster finished. */
  @Override
  protected int execute(List<String> args) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("medallion").toString()));
    command.addAll(args);
    command.add("--flinkMaster=" + REST.substring("http://".length()));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().put("MEDALLION_JDBC_PASSWORD", "postgres");
    builder.environment().put("MEDALLION_JAVA_OPTS", "-Xmx1g");
    int exit = run(builder);
    if (exit == 0) {
      Matcher runId = RUN_ID.matcher(lastOutput);
      assertTrue("No run id in the output:\n" + lastOutput, runId.find());
      assertEquals(
          "state of job " + runId.group(1) + " in " + REST + "/jobs/overview",
          "FINISHED",
          jobState(runId.group(1).toLowerCase(Locale.ROOT)));
    }
    return exit;
  }

  /**
   * Continuous mode on the cluster: a streaming job that gold follows as files land, that the CLI
   * cancels when it is stopped (SIGTERM), and that picks up after a restart what landed meanwhile,
   * without duplicates. Gold values are the hand-computed ones of the batch scenario.
   */
  @Test
  public void continuousRunFollowsLandingFilesStopsWithTheCliAndResumes()
      throws IOException, InterruptedException {
    List<Path> landed;
    try (var files = Files.list(landing)) {
      landed = files.filter(Files::isRegularFile).toList();
    }
    Path held = folder.newFolder("held").toPath();
    for (Path file : landed) {
      if (!file.getFileName().toString().equals("a.json")) {
        Files.move(file, held.resolve(file.getFileName()));
      }
    }
    Process first = startContinuous();
    try {
      // a.json first, so its T1 is the one silver keeps (in continuous mode the first file
      // processed wins).
      await(
          first,
          "a.json in silver",
          () -> TestDatabase.count("SELECT count(*) FROM silver.edge_transactions") == 3);
      try (var files = Files.list(held)) {
        for (Path file : files.toList()) {
          Files.move(file, landing.resolve(file.getFileName()));
        }
      }
      awaitGold(
          first,
          List.of(
              "S1|2024-06-17|1|10.00",
              "S1|2024-06-18|3|55.50",
              "S2|2024-06-22|2|10.00",
              "S2|2024-06-24|1|100.00"));
      String job = runningJob();
      stop(first);
      assertEquals("state of the continuous job after the CLI stopped", "CANCELED", jobState(job));
    } finally {
      first.destroyForcibly();
    }

    Path late = folder.newFolder("late").toPath().resolve("d4.jsonl");
    Files.writeString(
        late,
        "{\"device_id\": \"d4\", \"transaction_id\": \"T10\", \"store_id\": \"S2\","
            + " \"timestamp\": \"2024-06-24T15:00:00Z\", \"amount\": 50.00, \"payment_method\": \"card\"}\n");
    Files.move(late, landing.resolve("d4.jsonl"));
    Process second = startContinuous();
    try {
      // S2 on the 24th: T8 100.00 and T10 50.00.
      awaitGold(
          second,
          List.of(
              "S1|2024-06-17|1|10.00",
              "S1|2024-06-18|3|55.50",
              "S2|2024-06-22|2|10.00",
              "S2|2024-06-24|2|150.00"));
      assertEquals(
          List.of("8|8"),
          TestDatabase.rows(
              "SELECT count(*), count(DISTINCT transaction_id) FROM silver.edge_transactions"));
      stop(second);
    } finally {
      second.destroyForcibly();
    }
    // A continuous run stopped by the user did not fail: both are recorded as stopped.
    assertEquals(
        List.of("stopped", "stopped"),
        TestDatabase.rows(
            "SELECT status FROM ops.pipeline_runs WHERE continuous ORDER BY started_at"));
  }

  private Process startContinuous() throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ROOT.resolve("medallion").toString(),
                "run",
                "edge",
                "--continuous",
                "--poll-interval",
                "2s",
                "--source",
                landing.toString(),
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--profile",
                "flink-cluster",
                "--flinkMaster=" + REST.substring("http://".length()),
                "--goldUpdateDelaySeconds=1"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    folder.getRoot().toPath().resolve("continuous.log").toFile()));
    builder.environment().put("MEDALLION_JDBC_PASSWORD", "postgres");
    builder.environment().put("MEDALLION_JAVA_OPTS", "-Xmx1g");
    return builder.start();
  }

  /** SIGTERM, as Ctrl-C or a service manager would; the CLI cancels its job and exits. */
  private void stop(Process cli) throws IOException, InterruptedException {
    cli.destroy();
    boolean exited = cli.waitFor(90, TimeUnit.SECONDS);
    System.out.print(Files.readString(folder.getRoot().toPath().resolve("continuous.log")));
    assertTrue("the CLI did not exit within 90 s of SIGTERM", exited);
  }

  private static String runningJob() {
    Matcher running =
        Pattern.compile("\"name\":\"([^\"]+)\"[^}]*?\"state\":\"RUNNING\"")
            .matcher(get("/jobs/overview"));
    assertTrue("no RUNNING job in /jobs/overview", running.find());
    return running.group(1);
  }

  private void awaitGold(Process cli, List<String> expected)
      throws IOException, InterruptedException {
    String sql =
        "SELECT store_id, transaction_date, transaction_count, total_revenue FROM gold.store_daily_summary ORDER BY 1, 2";
    await(cli, "gold " + expected, () -> expected.equals(TestDatabase.rows(sql)));
    assertEquals(expected, TestDatabase.rows(sql));
  }

  /**
   * Polls the condition by the clock, up to 3 minutes; between polls waits on the CLI, so its death
   * ends the wait.
   */
  private void await(Process cli, String what, java.util.function.BooleanSupplier condition)
      throws IOException, InterruptedException {
    java.time.Clock clock = java.time.Clock.systemUTC();
    java.time.Instant deadline = clock.instant().plus(Duration.ofMinutes(3));
    while (!condition.getAsBoolean()) {
      if (cli.waitFor(500, TimeUnit.MILLISECONDS) || !clock.instant().isBefore(deadline)) {
        fail(
            (cli.isAlive() ? "Timed out" : "The CLI exited (" + cli.exitValue() + ")")
                + " waiting for "
                + what
                + "; last seen "
                + TestDatabase.rows(
                    "SELECT store_id, transaction_date, transaction_count, total_revenue FROM gold.store_daily_summary ORDER BY 1, 2")
                + "\n"
                + Files.readString(folder.getRoot().toPath().resolve("continuous.log")));
      }
    }
  }

  private int run(ProcessBuilder builder) {
    try {
      Path log = Files.createTempFile("medallion-run", ".log");
      Process process = builder.redirectOutput(log.toFile()).start();
      try {
        if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("The edge run did not finish within " + RUN_TIMEOUT + ":\n" + Files.readString(log));
        }
        return process.exitValue();
      } finally {
        lastOutput = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(lastOutput);
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The state /jobs/overview reports for the job with this name (the CLI names jobs after the run
   * id).
   */
  private static String jobState(String jobName) {
    String overview = get("/jobs/overview");
    Matcher job =
        Pattern.compile("\"name\":\"" + Pattern.quote(jobName) + "\".*?\"state\":\"([A-Z]+)\"")
            .matcher(overview);
    assertTrue("Job " + jobName + " is not in /jobs/overview: " + overview, job.find());
    return job.group(1);
  }

  private static String get(String path) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(REST + path))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(REST + path, 200, response.statusCode());
      return response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void script(String name) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(SCRIPTS.resolve(name).toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("MEDALLION_FLINK_HOME", CLUSTER_HOME.toString());
    builder.environment().put("FLINK_REST_PORT", Integer.toString(REST_PORT));
    builder.environment().put("FLINK_RPC_PORT", Integer.toString(RPC_PORT));
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(name + " did not finish within 3 minutes");
    }
    assertEquals(name + " failed; its output is above", 0, process.exitValue());
  }
}

package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Run statuses as a user meets them, with the CLI in a process of its own: a continuous run stopped
 * with SIGTERM (Ctrl-C) is recorded as stopped, and a run killed with SIGKILL, which can record
 * nothing, is marked abandoned by the next run of its pipeline.
 */
public class RunLifecycleTest {
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  @Before
  public void cleanDatabaseAndLandAFile() throws IOException {
    landing = ChildCli.landFileA(folder);
  }

  @Test
  public void aContinuousRunStoppedWithSigtermIsStoppedAndAKilledOneIsAbandonedByTheNextRun()
      throws Exception {
    Process stopped = startContinuousEdge("stopped.log");
    try {
      String runId = awaitRunning(stopped, "stopped.log");
      stopped.destroy(); // SIGTERM
      assertTrue(
          "the CLI did not exit within 90 s of SIGTERM", stopped.waitFor(90, TimeUnit.SECONDS));
      assertEquals(
          Files.readString(folder.getRoot().toPath().resolve("stopped.log")),
          List.of("stopped|t|null"),
          TestDatabase.rows(
              "SELECT status, continuous, error FROM ops.pipeline_runs WHERE run_id = '"
                  + runId
                  + "'"));
    } finally {
      stopped.destroyForcibly();
    }

    Process killed = startContinuousEdge("killed.log");
    String killedRunId;
    try {
      killedRunId = awaitRunning(killed, "killed.log");
      killed.destroyForcibly(); // SIGKILL: the process records nothing
      assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
      assertEquals(
          List.of("running"),
          TestDatabase.rows(
              "SELECT status FROM ops.pipeline_runs WHERE run_id = '" + killedRunId + "'"));
    } finally {
      killed.destroyForcibly();
    }

    CapturedRun.Result next =
        CapturedRun.execute(
            List.of(
                "run",
                "edge",
                "--source",
                landing.toString(),
                "--layers",
                "bronze",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres"));
    assertEquals(0, next.exitCode());
    assertThat(next.output(), containsString("Marked 1 earlier run(s) of edge abandoned"));
    assertThat(next.output(), containsString(killedRunId));
    assertEquals(
        List.of("abandoned"),
        TestDatabase.rows(
            "SELECT status FROM ops.pipeline_runs WHERE run_id = '" + killedRunId + "'"));
    assertEquals(
        List.of("abandoned|1", "stopped|1", "succeeded|1"),
        TestDatabase.rows("SELECT status, count(*) FROM ops.pipeline_runs GROUP BY 1 ORDER BY 1"));
  }

  private Process startContinuousEdge(String log) throws IOException {
    return ChildCli.startContinuousEdge(landing, folder.getRoot().toPath().resolve(log));
  }

  private String awaitRunning(Process cli, String log) throws IOException, InterruptedException {
    return ChildCli.awaitContinuousRun(cli, folder.getRoot().toPath().resolve(log));
  }
}

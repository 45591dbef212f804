package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One run of a pipeline at a time, with two real runs: a continuous edge run in a process of its
 * own holds the pipeline's lock, so a second run with --no-wait exits at once naming it, and one
 * without waits, saying for what, and runs once the first has ended.
 */
public class RunLockTest {
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  @Before
  public void cleanDatabaseAndLandAFile() throws IOException {
    landing = ChildCli.landFileA(folder);
  }

  @Test
  public void aSecondRunOfAPipelineWaitsForTheFirstOrWithNoWaitExitsAtOnce() throws Exception {
    Path log = folder.getRoot().toPath().resolve("first.log");
    Process first = ChildCli.startContinuousEdge(landing, log);
    try {
      String firstRunId = ChildCli.awaitContinuousRun(first, log);

      CapturedRun.Result refused = CapturedRun.execute(secondRun("--no-wait"));
      assertEquals(1, refused.exitCode());
      assertThat(refused.errors(), containsString("run " + firstRunId));
      assertThat(refused.errors(), containsString("only one run of a pipeline writes at a time"));
      assertThat(refused.output(), not(containsString("Run edge-")));
      assertEquals(
          "the refused run records nothing",
          List.of("running|" + firstRunId),
          TestDatabase.rows("SELECT status, run_id FROM ops.pipeline_runs"));

      CompletableFuture<CapturedRun.Result> waiting =
          CompletableFuture.supplyAsync(() -> CapturedRun.execute(secondRun()));
      // The waiting run is blocked on the pipeline's lock, and has not started while the first
      // holds it.
      awaitAdvisoryLockWaiter(waiting);
      assertTrue(!waiting.isDone());
      assertEquals(1L, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
      first.destroy(); // SIGTERM: the first run stops and records it
      assertTrue(first.waitFor(90, TimeUnit.SECONDS));

      CapturedRun.Result second = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(0, second.exitCode());
      assertThat(
          second.output(),
          containsString("Waiting for run " + firstRunId + " (process " + first.pid() + " on "));
      assertThat(second.output(), containsString("to end: only one run of a pipeline writes"));
      assertEquals(
          List.of("stopped", "succeeded"),
          TestDatabase.rows("SELECT status FROM ops.pipeline_runs ORDER BY started_at"));
      assertEquals(
          "the second run started after the first was recorded stopped",
          1L,
          TestDatabase.count(
              "SELECT count(*) FROM ops.pipeline_runs s, ops.pipeline_runs f"
                  + " WHERE s.status = 'succeeded' AND f.status = 'stopped' AND s.started_at >= f.completed_at"));
    } finally {
      first.destroyForcibly();
    }
  }

  /** Returns once a session waits for an advisory lock (the second run, blocked on the first). */
  private static void awaitAdvisoryLockWaiter(CompletableFuture<CapturedRun.Result> waiting)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (TestDatabase.count(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        == 0) {
      assertTrue("no run waited for the lock within " + PATIENCE, System.nanoTime() < deadline);
      try {
        CapturedRun.Result ended = waiting.get(100, TimeUnit.MILLISECONDS);
        throw new AssertionError("the second run ended instead of waiting: " + ended.output());
      } catch (TimeoutException stillGoing) {
        // not waiting for the lock yet: starting up
      }
    }
  }

  private List<String> secondRun(String... extra) {
    List<String> args =
        new ArrayList<>(EdgeEndToEndTestBase.edgeArgs(landing, "direct", "--layers", "bronze"));
    args.add("--jdbc-password=postgres");
    args.addAll(List.of(extra));
    return args;
  }
}

package dev.medallion.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;

/** Run statuses against a real PostgreSQL: what the next run of a pipeline finds and marks. */
public class RunRecorderTest {
  private final RunRecorder recorder = new RunRecorder(TestDatabase.target());
  private final RunHistory history = new RunHistory(TestDatabase.target());

  @Before
  public void clean() {
    TestDatabase.truncate("ops.pipeline_runs");
  }

  @Test
  public void aRunWhoseProcessDiedIsMarkedAbandonedAndALiveOneIsNot() throws Exception {
    recorder.started(
        "p-dead", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false);
    recorder.started(
        "p-alive", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false);
    recorder.started(
        "q-dead", "q", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false);
    // A process that has ended: its pid is free (not reused within the test).
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET pid = "
            + ended.pid()
            + " WHERE run_id IN ('p-dead', 'q-dead')");
    // Another host whose heartbeat stopped long ago, and one on another host that is fresh.
    recorder.started(
        "p-stale-elsewhere", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "FlinkRunner", false);
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET host = 'worker-7', heartbeat_at = now() - interval '11 minutes'"
            + " WHERE run_id = 'p-stale-elsewhere'");
    recorder.started(
        "p-fresh-elsewhere", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "FlinkRunner", false);
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET host = 'worker-8' WHERE run_id = 'p-fresh-elsewhere'");

    List<String> marked = recorder.markAbandoned("p");

    assertEquals(List.of("p-dead", "p-stale-elsewhere"), marked.stream().sorted().toList());
    assertEquals(
        List.of(
            "p-alive|running",
            "p-dead|abandoned",
            "p-fresh-elsewhere|running",
            "p-stale-elsewhere|abandoned",
            "q-dead|running"),
        TestDatabase.rows("SELECT run_id, status FROM ops.pipeline_runs ORDER BY run_id"));
    assertTrue(history.find("p-dead").orElseThrow().error().contains("its process ended"));
    assertEquals(RunStatus.ABANDONED, history.find("p-dead").orElseThrow().status());
  }

  @Test
  public void underTheRunLockEveryRunStillRunningIsAbandonedWhereverItRan() {
    recorder.started(
        "p-fresh-elsewhere", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "FlinkRunner", false);
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET host = 'worker-8' WHERE run_id = 'p-fresh-elsewhere'");
    recorder.started(
        "q-fresh-elsewhere", "q", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "FlinkRunner", false);
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET host = 'worker-8' WHERE run_id = 'q-fresh-elsewhere'");

    // Its heartbeat is fresh, but the caller holds p's lock, which every live run of p holds.
    assertEquals(List.of(), recorder.markAbandoned("p"));
    assertEquals(List.of("p-fresh-elsewhere"), recorder.markAbandoned("p", true));
    assertEquals(
        List.of("p-fresh-elsewhere|abandoned", "q-fresh-elsewhere|running"),
        TestDatabase.rows("SELECT run_id, status FROM ops.pipeline_runs ORDER BY run_id"));
  }

  @Test
  public void aRunRecordsTheHighestBoundItReadUpTo() {
    recorder.started("r1", "p", Mode.INCREMENTAL, EnumSet.of(Layer.GOLD), "DirectRunner", false);
    recorder.readWatermark("r1", 42);
    recorder.readWatermark("r1", 17);
    assertEquals(
        List.of("42"),
        TestDatabase.rows("SELECT read_watermark FROM ops.pipeline_runs WHERE run_id = 'r1'"));
  }

  @Test
  public void aFinishedRunKeepsItsStatusCountsAndLayerMetrics() {
    recorder.started(
        "r1", "p", Mode.FULL, EnumSet.of(Layer.BRONZE, Layer.SILVER), "DirectRunner", true);
    recorder.finished(
        "r1", RunStatus.STOPPED, Map.of(Layer.BRONZE, new LayerStats(5, 4, 1, 2048, 300)), null);

    RunRecord run = history.find("r1").orElseThrow();
    assertEquals(RunStatus.STOPPED, run.status());
    assertEquals(Mode.FULL, run.mode());
    assertTrue(run.continuous());
    assertEquals(
        "{\"bronze\": {\"in\": 5, \"out\": 4, \"quarantined\": 1}}", run.layerRecordsJson());
    assertEquals(
        "{\"bronze\": {\"bytes_read\": 2048, \"duration_ms\": 300}}", run.layerMetricsJson());
    assertEquals(List.of(), recorder.markAbandoned("p"));
    assertEquals(1, history.recent("p", RunStatus.STOPPED, 10).size());
    assertEquals(0, history.recent("p", RunStatus.FAILED, 10).size());
  }
}

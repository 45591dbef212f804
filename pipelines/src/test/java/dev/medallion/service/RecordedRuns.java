package dev.medallion.service;

import dev.medallion.ops.Layer;
import dev.medallion.ops.LayerStats;
import dev.medallion.ops.Mode;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.testing.TestDatabase;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run history written the way the runner writes it ({@link RunRecorder}), then moved to chosen
 * times, and quarantine rows of those runs: what the service reads, without running pipelines.
 */
final class RecordedRuns {
  private final RunRecorder recorder;

  RecordedRuns(JdbcTarget target) {
    this.recorder = new RunRecorder(target);
  }

  /** One finished run; {@code stats} are the layers it ran, in, out, quarantined, bytes, ms. */
  void run(
      String runId,
      String pipeline,
      RunStatus status,
      Instant started,
      long durationMillis,
      String error,
      Map<Layer, LayerStats> stats) {
    recorder.started(
        runId, pipeline, Mode.INCREMENTAL, EnumSet.copyOf(stats.keySet()), "DirectRunner", false);
    recorder.finished(runId, status, stats, error);
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET started_at = '"
            + started
            + "', completed_at = '"
            + started.plusMillis(durationMillis)
            + "' WHERE run_id = '"
            + runId
            + "'");
  }

  /** {@code count} quarantine rows of a run, of one layer and error class. */
  static void quarantined(
      String runId, String pipeline, Layer layer, String errorClass, int count, String reason) {
    for (int i = 0; i < count; i++) {
      TestDatabase.execute(
          "INSERT INTO ops.quarantine (pipeline, layer, source, record_index, reason, error_class, run_id)"
              + " VALUES ('"
              + pipeline
              + "', '"
              + layer.label()
              + "', 'landing/"
              + runId
              + ".json', "
              + i
              + ", '"
              + reason
              + "', '"
              + errorClass
              + "', '"
              + runId
              + "')");
    }
  }

  static Map<Layer, LayerStats> layers(Object... perLayer) {
    Map<Layer, LayerStats> stats = new LinkedHashMap<>();
    for (int i = 0; i < perLayer.length; i += 2) {
      long[] n = (long[]) perLayer[i + 1];
      stats.put((Layer) perLayer[i], new LayerStats(n[0], n[1], n[2], n[3], n[4]));
    }
    return stats;
  }

  static long[] n(long in, long out, long quarantined, long bytes, long millis) {
    return new long[] {in, out, quarantined, bytes, millis};
  }
}

package dev.medallion.pipelines;

import dev.medallion.io.jdbc.JdbcTarget;
import dev.medallion.io.jdbc.PooledDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Writes ops.pipeline_runs and ops.processing_status: one row per run, one per table and layer. */
public final class RunRecorder {
  private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final JdbcTarget target;

  public RunRecorder(JdbcTarget target) {
    this.target = target;
  }

  public static String newRunId(String pipeline) {
    return pipeline + "-" + RUN_STAMP.format(Instant.now()) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
  }

  public void started(String runId, String pipeline, Mode mode, Set<Layer> layers, String runner) {
    update("INSERT INTO ops.pipeline_runs (run_id, pipeline, mode, layers, runner, status) VALUES (?, ?, ?, ?, ?, 'running')",
        runId, pipeline, mode.name().toLowerCase(java.util.Locale.ROOT), labels(layers), runner);
  }

  public void finished(String runId, boolean succeeded, String layerRecordsJson, String error) {
    update("UPDATE ops.pipeline_runs SET status = ?, completed_at = now(), layer_records = CAST(? AS jsonb), error = ?"
        + " WHERE run_id = ?", succeeded ? "succeeded" : "failed", layerRecordsJson, error, runId);
  }

  /** One row per table: table name to (layer, records processed). */
  public void tableStatus(String runId, Map<String, Map.Entry<Layer, Long>> tables, boolean succeeded, String error) {
    for (Map.Entry<String, Map.Entry<Layer, Long>> table : tables.entrySet()) {
      tableStatus(runId, table.getKey(), table.getValue().getKey(), table.getValue().getValue(), succeeded, error);
    }
  }

  /** The row of one table and layer: records processed in this run, and the error when it failed. */
  public void tableStatus(String runId, String table, Layer layer, long records, boolean succeeded, String error) {
    update("INSERT INTO ops.processing_status (table_name, layer, status, records_processed, error_message, run_id, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (table_name, layer) DO UPDATE SET status = EXCLUDED.status,"
            + " records_processed = EXCLUDED.records_processed, error_message = EXCLUDED.error_message,"
            + " run_id = EXCLUDED.run_id, updated_at = now()",
        table, layer.label(), succeeded ? "completed" : "failed", records, error, runId);
  }

  private static String labels(Set<Layer> layers) {
    return String.join(",", layers.stream().sorted().map(Layer::label).toList());
  }

  private void update(String sql, Object... values) {
    try (Connection c = PooledDataSource.forTarget(target).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not record the run in ops: " + e.getMessage(), e);
    }
  }
}

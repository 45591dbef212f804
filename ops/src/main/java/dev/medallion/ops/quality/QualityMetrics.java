package dev.medallion.ops.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.ops.Layer;
import dev.medallion.ops.LayerStats;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.events.Outbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/**
 * A run's quality numbers per layer in ops.data_quality_metrics: records in, out and quarantined
 * (from the run's counters), and the quarantined records by error class (from ops.quarantine, with
 * up to three of their reasons as examples, in source order), which the service's quality score
 * counts.
 */
public final class QualityMetrics {
  private final JdbcTarget target;

  public QualityMetrics(JdbcTarget target) {
    this.target = target;
  }

  /** Writes the run's metrics in one transaction. */
  public void record(String pipeline, String runId, Map<Layer, LayerStats> layers) {
    new RunRecorder(target)
        .transaction(
            "quality metrics to ops.data_quality_metrics",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO ops.data_quality_metrics (pipeline, execution_id, layer, metric_type, count,"
                          + " severity, details) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb))")) {
                for (Map.Entry<Layer, LayerStats> layer : layers.entrySet()) {
                  LayerStats stats = layer.getValue();
                  String label = layer.getKey().label();
                  add(ps, pipeline, runId, label, "records_in", stats.in(), "info", "{}");
                  add(ps, pipeline, runId, label, "records_out", stats.out(), "info", "{}");
                  add(
                      ps,
                      pipeline,
                      runId,
                      label,
                      "records_quarantined",
                      stats.quarantined(),
                      stats.quarantined() > 0 ? "warning" : "info",
                      "{}");
                }
                try (PreparedStatement byClass =
                    c.prepareStatement(
                        "SELECT layer, error_class, count(*), (array_agg(reason ORDER BY source, record_index, id))[1:3]"
                            + " FROM ops.quarantine WHERE run_id = ? AND pipeline = ? GROUP BY 1, 2 ORDER BY 1, 2")) {
                  byClass.setString(1, runId);
                  byClass.setString(2, pipeline);
                  try (ResultSet rs = byClass.executeQuery()) {
                    while (rs.next()) {
                      ObjectNode details = Outbox.payload();
                      ArrayNode examples = details.putArray("examples");
                      for (Object reason : (Object[]) rs.getArray(4).getArray()) {
                        examples.add(String.valueOf(reason));
                      }
                      add(
                          ps,
                          pipeline,
                          runId,
                          rs.getString(1),
                          rs.getString(2),
                          rs.getLong(3),
                          "warning",
                          details.toString());
                    }
                  }
                }
                ps.executeBatch();
              }
            });
  }

  private static void add(
      PreparedStatement ps,
      String pipeline,
      String runId,
      String layer,
      String type,
      long count,
      String severity,
      String details)
      throws java.sql.SQLException {
    ps.setString(1, pipeline);
    ps.setString(2, runId);
    ps.setString(3, layer);
    ps.setString(4, type);
    ps.setLong(5, count);
    ps.setString(6, severity);
    ps.setString(7, details);
    ps.addBatch();
  }
}

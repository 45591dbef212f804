package dev.medallion.ops.quality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.ops.LogText;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.events.EventType;
import dev.medallion.ops.events.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pipeline's checks after one of its runs and keeps each outcome in ops.data_quality_checks;
 * a check that does not pass writes a {@code quality.issue_detected} event in the same transaction
 * as its row. A query that cannot run is a failed check saying why, never a failed run.
 */
public final class QualityChecks {
  /** How long one check's query may take. */
  static final int TIMEOUT_SECONDS = 60;

  private final JdbcTarget target;

  public QualityChecks(JdbcTarget target) {
    this.target = target;
  }

  /** One check's outcome. */
  public record Result(QualityCheck check, String actual, boolean passed) {}

  public List<Result> run(String pipeline, String runId, List<QualityCheck> checks) {
    List<Result> results = new ArrayList<>();
    RunRecorder recorder = new RunRecorder(target);
    for (QualityCheck check : checks) {
      String query = check.queryFor(runId);
      String actual = evaluate(query);
      boolean passed = check.expected().equals(actual);
      Result result = new Result(check, actual, passed);
      results.add(result);
      recorder.transaction(
          "a quality check to ops.data_quality_checks",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO ops.data_quality_checks (pipeline, run_id, check_name, table_name, check_query,"
                        + " expected_result, actual_result, passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
              ps.setString(1, pipeline);
              ps.setString(2, runId);
              ps.setString(3, check.name());
              ps.setString(4, check.table());
              ps.setString(5, query);
              ps.setString(6, check.expected());
              ps.setString(7, actual);
              ps.setBoolean(8, passed);
              ps.executeUpdate();
            }
            if (!passed) {
              ObjectNode payload = Outbox.payload();
              payload.put("check_name", check.name());
              payload.put("layer", check.layer().label());
              payload.put("table_name", check.table());
              payload.put("check_query", query);
              payload.put("expected_result", check.expected());
              payload.put("actual_result", actual);
              Outbox.write(c, EventType.QUALITY_ISSUE_DETECTED, pipeline, runId, payload);
            }
          });
    }
    return results;
  }

  /**
   * The query's one value as text ({@code true}/{@code false} for booleans, "null"), or why not.
   */
  private String evaluate(String query) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery(query)) {
        if (!rs.next()) {
          return "no row";
        }
        Object value = rs.getObject(1);
        return String.valueOf(value);
      }
    } catch (SQLException e) {
      return LogText.bounded("error: " + e.getMessage());
    }
  }
}

package dev.medallion.ops.quality;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.annotation.Nullable;

/** The outcomes of the data-quality checks (ops.data_quality_checks), newest first. */
public final class CheckResults {
  /** One check's outcome after one run. */
  public record CheckResult(
      String pipeline,
      String runId,
      String checkName,
      String tableName,
      String checkQuery,
      @Nullable String expected,
      @Nullable String actual,
      @Nullable Boolean passed,
      @Nullable Instant executedAt) {}

  private final JdbcTarget target;

  public CheckResults(JdbcTarget target) {
    this.target = target;
  }

  /** The latest {@code limit} outcomes. */
  public List<CheckResult> recent(int limit) {
    return Queries.list(
        target,
        "the data-quality checks in ops.data_quality_checks",
        "SELECT pipeline, run_id, check_name, table_name, check_query, expected_result,"
            + " actual_result, passed, executed_at FROM ops.data_quality_checks"
            + " ORDER BY executed_at DESC, check_name LIMIT ?",
        rs -> {
          Timestamp at = rs.getTimestamp(9);
          return new CheckResult(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              rs.getString(6),
              rs.getString(7),
              (Boolean) rs.getObject(8),
              at == null ? null : at.toInstant());
        },
        limit);
  }
}

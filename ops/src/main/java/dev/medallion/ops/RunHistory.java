package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.annotation.Nullable;

/** The read side of ops.pipeline_runs, shared by the CLI, the tests and the operations service. */
public final class RunHistory {
  private static final String COLUMNS =
      "run_id, pipeline, mode, layers, runner, status, continuous, started_at, completed_at,"
          + " layer_records::text, layer_metrics::text, error";

  private final JdbcTarget target;

  public RunHistory(JdbcTarget target) {
    this.target = target;
  }

  /** The newest runs first, optionally of one pipeline and in one status. */
  public List<RunRecord> recent(@Nullable String pipeline, @Nullable RunStatus status, int limit) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM ops.pipeline_runs WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR status = ?)"
            + " ORDER BY started_at DESC, run_id DESC LIMIT ?",
        pipeline,
        pipeline,
        label(status),
        label(status),
        limit);
  }

  public Optional<RunRecord> find(String runId) {
    return query("SELECT " + COLUMNS + " FROM ops.pipeline_runs WHERE run_id = ?", runId).stream()
        .findFirst();
  }

  private static String label(@Nullable RunStatus status) {
    return status == null ? null : status.label();
  }

  private List<RunRecord> query(String sql, Object... values) {
    return Queries.list(
        target,
        "ops.pipeline_runs",
        sql,
        rs ->
            new RunRecord(
                rs.getString(1),
                rs.getString(2),
                Mode.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                rs.getString(4),
                rs.getString(5),
                RunStatus.parse(rs.getString(6)),
                rs.getBoolean(7),
                rs.getObject(8, OffsetDateTime.class),
                rs.getObject(9, OffsetDateTime.class),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12)),
        values);
  }
}

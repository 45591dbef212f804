package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.LocalDate;
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

  /**
   * Which runs a search wants: a pipeline, statuses, and the UTC days their start falls in (both
   * ends included); null means any.
   */
  public record Filter(
      @Nullable String pipeline,
      @Nullable List<RunStatus> statuses,
      @Nullable LocalDate from,
      @Nullable LocalDate to) {
    public static final Filter ALL = new Filter(null, null, null, null);
  }

  /** The runs a filter wants, newest first, skipping {@code offset} and at most {@code limit}. */
  public List<RunRecord> search(Filter filter, int offset, int limit) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM ops.pipeline_runs WHERE "
            + WHERE
            + " ORDER BY started_at DESC, run_id DESC OFFSET ? LIMIT ?",
        filterValues(filter, offset, limit));
  }

  /** How many runs a filter wants. */
  public long count(Filter filter) {
    return Queries.list(
            target,
            "ops.pipeline_runs",
            "SELECT count(*) FROM ops.pipeline_runs WHERE " + WHERE,
            rs -> rs.getLong(1),
            filterValues(filter))
        .get(0);
  }

  private static final String WHERE =
      "(?::text IS NULL OR pipeline = ?) AND (?::text IS NULL OR status = ANY (string_to_array(?, ',')))"
          + " AND (?::date IS NULL OR started_at >= (?::date)::timestamp AT TIME ZONE 'UTC')"
          + " AND (?::date IS NULL OR started_at < (?::date + 1)::timestamp AT TIME ZONE 'UTC')";

  private static Object[] filterValues(Filter filter, Object... more) {
    String statuses =
        filter.statuses() == null || filter.statuses().isEmpty()
            ? null
            : String.join(",", filter.statuses().stream().map(RunStatus::label).toList());
    String from = filter.from() == null ? null : filter.from().toString();
    String to = filter.to() == null ? null : filter.to().toString();
    List<Object> values = new java.util.ArrayList<>();
    values.addAll(
        java.util.Arrays.asList(
            filter.pipeline(), filter.pipeline(), statuses, statuses, from, from, to, to));
    values.addAll(java.util.Arrays.asList(more));
    return values.toArray();
  }

  /** The pipelines that have runs, by name. */
  public List<String> pipelines() {
    return Queries.list(
        target,
        "ops.pipeline_runs",
        "SELECT DISTINCT pipeline FROM ops.pipeline_runs ORDER BY pipeline",
        rs -> rs.getString(1));
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

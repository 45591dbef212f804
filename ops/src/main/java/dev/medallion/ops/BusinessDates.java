package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each business date of a pipeline stands in its run history
 * (ops.pipeline_runs.business_date): what a backfill plans from.
 */
public final class BusinessDates {
  /** One date's runs: whether one succeeded, and the latest one's status. */
  public record DateRuns(LocalDate date, boolean succeeded, RunStatus latest, int runs) {}

  private final JdbcTarget target;

  public BusinessDates(JdbcTarget target) {
    this.target = target;
  }

  /** The dates between {@code from} and {@code to} (inclusive) that have runs, in date order. */
  public Map<LocalDate, DateRuns> between(String pipeline, LocalDate from, LocalDate to) {
    Map<LocalDate, DateRuns> dates = new LinkedHashMap<>();
    Queries.list(
            target,
            "the business dates of " + pipeline + " in ops.pipeline_runs",
            "SELECT business_date, bool_or(status = 'succeeded'),"
                + " (array_agg(status ORDER BY started_at DESC, run_id DESC))[1], count(*)"
                + " FROM ops.pipeline_runs WHERE pipeline = ? AND business_date BETWEEN ? AND ?"
                + " GROUP BY 1 ORDER BY 1",
            rs ->
                new DateRuns(
                    rs.getObject(1, LocalDate.class),
                    rs.getBoolean(2),
                    RunStatus.parse(rs.getString(3)),
                    rs.getInt(4)),
            pipeline,
            Date.valueOf(from),
            Date.valueOf(to))
        .forEach(d -> dates.put(d.date(), d));
    return dates;
  }

  /** The rows a count query (one date parameter) finds for a date. */
  public long rows(String countQuery, LocalDate date) {
    return Queries.list(
            target, "the rows of " + date, countQuery, rs -> rs.getLong(1), Date.valueOf(date))
        .stream()
        .findFirst()
        .orElse(0L);
  }

  /** Convenience for one date. */
  public Optional<DateRuns> of(String pipeline, LocalDate date) {
    return Optional.ofNullable(between(pipeline, date, date).get(date));
  }
}

package dev.medallion.ops.events;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.Instant;
import java.util.List;
import javax.annotation.Nullable;

/** The events outbox (ops.events) with each event's deliveries, newest first. */
public final class EventLog {
  /**
   * One event and where its deliveries stand: one "webhook: status (attempts, last HTTP status)"
   * per webhook, joined with "; "; empty when no webhook is configured.
   */
  public record Event(
      long id,
      String type,
      String pipeline,
      @Nullable String runId,
      Instant createdAt,
      String deliveries,
      @Nullable String lastError) {}

  private final JdbcTarget target;

  public EventLog(JdbcTarget target) {
    this.target = target;
  }

  /** The latest {@code limit} events. */
  public List<Event> recent(int limit) {
    return Queries.list(
        target,
        "the events in ops.events",
        "SELECT e.id, e.event_type, e.pipeline, e.run_id, e.created_at,"
            + " coalesce(string_agg(d.webhook || ': ' || d.status || ' (' || d.attempts"
            + " || ' attempt(s)' || coalesce(', HTTP ' || d.last_http_status, '') || ')', '; '"
            + " ORDER BY d.webhook), ''),"
            + " max(d.last_error) FILTER (WHERE d.status IN ('pending', 'failed'))"
            + " FROM ops.events e LEFT JOIN ops.event_deliveries d ON d.event_id = e.id"
            + " GROUP BY e.id ORDER BY e.id DESC LIMIT ?",
        rs ->
            new Event(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getString(6),
                rs.getString(7)),
        limit);
  }
}

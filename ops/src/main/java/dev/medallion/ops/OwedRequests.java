package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The API requests a pipeline still owes (ops.owed_requests): each failed in some run and has not
 * succeeded since. A run plans them again, and an incremental watermark stays before them, so a day
 * whose request failed is never skipped; a request leaves the table when it succeeds.
 */
public final class OwedRequests {
  /** One owed request. */
  public record Owed(
      String stream,
      String path,
      String query,
      String state,
      String failureType,
      String reason,
      int failures,
      String firstFailedRun,
      String lastFailedRun,
      OffsetDateTime firstFailedAt) {
    /** Left for the next run on purpose (a spent quota), not failed: the run still succeeds. */
    public boolean deferred() {
      return DEFERRED.equals(failureType);
    }

    /** "setlists /setlists/showdate/2024-06-21.json", as the quarantine names a request. */
    public String describe() {
      return stream + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
  }

  /**
   * The failure type of a request a connector left for the next run on purpose (its quota was
   * spent): the next run resumes there, and this run is not failed for it.
   */
  public static final String DEFERRED = "DEFERRED";

  /** Adds a failed request, or counts one more failure of an owed one. */
  public static final String FAILED =
      "INSERT INTO ops.owed_requests AS o (pipeline, stream, path, query, state, failure_type,"
          + " reason, first_failed_run, last_failed_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (pipeline, stream, path, query) DO UPDATE SET state = excluded.state,"
          + " failure_type = excluded.failure_type, reason = excluded.reason,"
          + " failures = o.failures + CASE WHEN o.last_failed_run = excluded.last_failed_run"
          + " THEN 0 ELSE 1 END, last_failed_run = excluded.last_failed_run, last_failed_at = now()";

  /** A request that succeeded is owed no more. */
  public static final String PAID =
      "DELETE FROM ops.owed_requests WHERE pipeline = ? AND stream = ? AND path = ? AND query = ?";

  private final JdbcTarget target;

  public OwedRequests(JdbcTarget target) {
    this.target = target;
  }

  /** The requests a pipeline owes, oldest failure first. */
  public List<Owed> owed(String pipeline) {
    return Queries.list(
        target,
        "the owed requests of " + pipeline,
        "SELECT stream, path, query, state, failure_type, reason, failures, first_failed_run,"
            + " last_failed_run, first_failed_at FROM ops.owed_requests WHERE pipeline = ?"
            + " ORDER BY first_failed_at, stream, path, query",
        rs ->
            new Owed(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(7),
                rs.getString(8),
                rs.getString(9),
                rs.getObject(10, OffsetDateTime.class)),
        pipeline);
  }
}

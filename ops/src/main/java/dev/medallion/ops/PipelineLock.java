package dev.medallion.ops;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of a pipeline at a time: a PostgreSQL session advisory lock per pipeline, held on a
 * connection of its own for the whole run. Two runs writing the same tables at once deadlocked in
 * bronze; with the lock the second waits (or, when told not to wait, does not start). The database
 * releases the lock when the holder's connection ends, so a killed run never leaves it behind.
 */
public final class PipelineLock implements AutoCloseable {
  /** The first half of the lock's two-part key: medallion's pipeline runs, not another tool's. */
  private static final String KEY_SPACE = "medallion.pipeline_runs";

  /** Another run holds the lock and the caller chose not to wait. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message);
    }
  }

  private final Connection connection;
  private final String pipeline;

  private PipelineLock(Connection connection, String pipeline) {
    this.connection = connection;
    this.pipeline = pipeline;
  }

  /**
   * Takes the pipeline's lock. When another run holds it: with {@code wait}, tells {@code onWait}
   * which run it waits for and blocks until that run ends; without, throws {@link Busy} naming that
   * run.
   */
  public static PipelineLock acquire(
      JdbcTarget target, String pipeline, boolean wait, Consumer<String> onWait) {
    Connection connection = null;
    try {
      connection = ConnectionPool.dedicated(target);
      if (!lock(connection, "pg_try_advisory_lock", pipeline)) {
        String holder = holder(target, pipeline);
        if (!wait) {
          throw new Busy(
              holder
                  + " is still going and only one run of a pipeline writes at a time; not started"
                  + " (--no-wait). Run it again once that run has ended, or leave out --no-wait to"
                  + " wait for it.");
        }
        onWait.accept(
            "Waiting for "
                + holder
                + " to end: only one run of a pipeline writes at a time (--no-wait exits instead).");
        lock(connection, "pg_advisory_lock", pipeline);
      }
      return new PipelineLock(connection, pipeline);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IllegalStateException(
          "Could not take the run lock of " + pipeline + " at " + target + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /** Whether this lock's connection still holds it (false once the database dropped it). */
  public boolean held() {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND classid::int = hashtext(?) AND objid::int = hashtext(?)")) {
      ps.setString(1, KEY_SPACE);
      ps.setString(2, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** Releases the lock by ending its session (a lost connection has released it already). */
  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static boolean lock(Connection connection, String function, String pipeline)
      throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT " + function + "(hashtext(?), hashtext(?))::text")) {
      ps.setString(1, KEY_SPACE);
      ps.setString(2, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        // pg_advisory_lock returns void (an empty text): reaching here means it was granted.
        return !"false".equals(rs.getString(1));
      }
    }
  }

  /** The run recorded as running, with its process and start, or a general phrase. */
  private static String holder(JdbcTarget target, String pipeline) {
    List<String> running =
        Queries.list(
            target,
            "the running runs in ops.pipeline_runs",
            "SELECT run_id || ' (process ' || coalesce(pid::text, '?') || ' on ' || coalesce(host, '?')"
                + " || ', started ' || to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC)'"
                + " FROM ops.pipeline_runs WHERE pipeline = ? AND status = 'running'"
                + " ORDER BY started_at DESC LIMIT 1",
            rs -> rs.getString(1),
            pipeline);
    return running.isEmpty()
        ? "another run of " + pipeline
        : "run " + running.get(0) + " of " + pipeline;
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // The session is gone either way, and with it the lock.
    }
  }
}

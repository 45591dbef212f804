package dev.medallion.platform;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Tells a failure caused by losing the database connection (PostgreSQL restarted or unreachable
 * mid-run) from one the data or the code caused: only the first is cured by simply running again.
 * Flink hands back its workers' exceptions as copies that keep the text but not the class, so the
 * text counts too.
 */
final class LostConnection {
  /** What PostgreSQL, its driver and the pool say when the connection is gone. */
  private static final List<String> SIGNS =
      List.of(
          "connection is closed",
          "this connection has been closed",
          "terminating connection due to administrator command",
          "an i/o error occurred while sending to the backend",
          "connection refused",
          "the database system is shutting down",
          "the database system is starting up",
          "connection is not available, request timed out");

  private LostConnection() {}

  /** True when some cause in the chain is a lost or refused database connection. */
  static boolean causedIt(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // Class 08: connection exception; 57P01-57P03: the server shut down or is starting up.
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      String text = String.valueOf(t).toLowerCase(Locale.ROOT);
      if (SIGNS.stream().anyMatch(text::contains)) {
        return true;
      }
    }
    return false;
  }

  /** The run's error when the connection was lost: what happened and that re-running is safe. */
  static String describe(Throwable failure) {
    return "the database connection was lost ("
        + JobRunner.rootMessage(failure)
        + "); nothing this run left half-written counts as done, so once the database is back,"
        + " running the same command again is safe: it neither loses nor duplicates rows";
  }
}

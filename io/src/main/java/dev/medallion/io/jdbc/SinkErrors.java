package dev.medallion.io.jdbc;

import dev.medallion.ops.LogText;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import javax.annotation.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a failed write tells: whether the database refused the data (a row to set aside) or the
 * write could not happen (to fail and retry), and a message short enough for a log line. PostgreSQL
 * quotes the refused row in its error (a COPY line, a batch entry with every bound value), so a
 * message passes through {@link LogText#bounded} before it reaches a log, a terminal or the
 * quarantine.
 */
public final class SinkErrors {
  private SinkErrors() {}

  /**
   * True when the database refused the rows themselves, so another try of the same rows fails the
   * same way: data exceptions (SQLState class 22: a value too long, out of range, not valid text),
   * integrity violations (23: not null, check, foreign key, a unique index other than the key the
   * merge handles) and program limits (54: "index row requires N bytes"). Everything else (a lost
   * connection 08, serialization failures and deadlocks 40, an administrator shutdown 57P01) is
   * about the attempt, not the rows.
   */
  public static boolean isDataError(SQLException e) {
    String state = sqlState(e);
    return state != null
        && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
  }

  /** The SQLState of the error, or of the first batch entry that failed. */
  @Nullable
  public static String sqlState(SQLException e) {
    for (SQLException current = e; current != null; current = current.getNextException()) {
      if (current.getSQLState() != null) {
        return current.getSQLState();
      }
    }
    return null;
  }

  /**
   * The database's own words about the refused rows, bounded: its message and detail with the
   * SQLState, without the statement text a batch error repeats.
   */
  public static String databaseMessage(SQLException e) {
    SQLException server = e;
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      server = e.getNextException();
    }
    String text = server.getMessage();
    if (server instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage message = psql.getServerErrorMessage();
      text =
          message.getMessage()
              + (message.getDetail() == null ? "" : " (" + message.getDetail() + ")");
    }
    String state = sqlState(e);
    return LogText.bounded(
        (text == null ? e.getClass().getSimpleName() : text)
            + (state == null ? "" : " [SQLState " + state + "]"));
  }

  /**
   * The same error with a message fit for a log line ({@link LogText#bounded}) and without the
   * cause that carries the whole message; the SQLState and the stack trace stay.
   */
  public static SQLException withBoundedMessage(SQLException e) {
    SQLException bounded =
        new SQLException(LogText.bounded(e.getMessage()), sqlState(e), e.getErrorCode());
    bounded.setStackTrace(e.getStackTrace());
    return bounded;
  }
}

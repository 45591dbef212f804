package dev.medallion.platform;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.Test;

/**
 * A failure caused by losing the database connection is told from others, with real exceptions from
 * a real PostgreSQL whose server ends the session (as a restart does).
 */
public class LostConnectionTest {
  @Test
  public void aSessionEndedByTheServerIsALostConnectionAndSaysReRunningIsSafe() throws Exception {
    SQLException ended;
    try (Connection victim = connect();
        Connection admin = connect();
        Statement adminStatement = admin.createStatement();
        Statement victimStatement = victim.createStatement()) {
      victimStatement.execute("SELECT 1");
      adminStatement.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
              + " AND application_name = 'lost-connection-victim'");
      ended = assertThrows(SQLException.class, () -> victimStatement.execute("SELECT 1"));
    }
    RuntimeException inPipeline = new RuntimeException("bundle failed", ended);
    assertTrue(LostConnection.causedIt(inPipeline));
    String message = LostConnection.describe(inPipeline);
    assertThat(message, containsString("the database connection was lost"));
    assertThat(message, containsString("terminating connection due to administrator command"));
    assertThat(message, containsString("running the same command again is safe"));
  }

  @Test
  public void flinksCopyOfAClosedPoolConnectionIsALostConnection() {
    // Flink returns a worker's exception as a copy keeping only its text.
    RuntimeException copy =
        new RuntimeException(
            "org.apache.flink.util.SerializedThrowable: java.sql.SQLException: Connection is closed");
    assertTrue(LostConnection.causedIt(new RuntimeException("job failed", copy)));
  }

  @Test
  public void anErrorInTheStatementIsNotALostConnection() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> s.execute("SELEC 1"));
      assertFalse(LostConnection.causedIt(new RuntimeException(syntax)));
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        TestDatabase.target().url() + "?ApplicationName=lost-connection-victim",
        "postgres",
        "postgres");
  }
}

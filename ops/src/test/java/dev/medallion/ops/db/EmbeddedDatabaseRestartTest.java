package dev.medallion.ops.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.HoldEmbeddedDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A run killed with SIGKILL leaves its embedded PostgreSQL running on the data folder; the next run
 * must still start, and find every row the killed run committed.
 */
public class EmbeddedDatabaseRestartTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void thePostgresOfAKilledRunIsStoppedAndItsRowsAreKept() throws Exception {
    Path data = folder.getRoot().toPath().resolve("pgdata");
    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                HoldEmbeddedDatabase.class.getName(),
                data.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long leftOver;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      while (line != null && !line.startsWith("ready ")) {
        line = out.readLine();
      }
      assertTrue("the child never said ready", line != null);
      run.destroyForcibly(); // SIGKILL: the run cannot stop its PostgreSQL
      assertTrue(run.waitFor(30, TimeUnit.SECONDS));
    }
    leftOver = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    assertTrue(
        "PostgreSQL outlives the killed run",
        ProcessHandle.of(leftOver).map(ProcessHandle::isAlive).orElse(false));

    try (EmbeddedDatabase next = EmbeddedDatabase.start(data);
        Connection c = ConnectionPool.forTarget(next.target()).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT note FROM kept")) {
      assertFalse(
          "the left-over PostgreSQL was stopped",
          ProcessHandle.of(leftOver).map(ProcessHandle::isAlive).orElse(false));
      assertTrue(rs.next());
      assertEquals(List.of("written before the kill"), List.of(rs.getString(1)));
      assertFalse(rs.next());
    } finally {
      ConnectionPool.closeAll();
    }
  }
}

package dev.medallion.testing;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A process that starts the embedded PostgreSQL on a folder, writes one row, says "ready" and waits
 * to be killed: what a medallion run looks like to the next one when it is killed with SIGKILL.
 */
public final class HoldEmbeddedDatabase {
  private HoldEmbeddedDatabase() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
    try (Connection c = ConnectionPool.forTarget(database.target()).getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS kept (note TEXT)");
      s.execute("INSERT INTO kept VALUES ('written before the kill')");
    }
    System.out.println("ready " + database.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}

package dev.medallion.testing;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.EmbeddedDatabase;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One real PostgreSQL per test JVM, migrated once; tests clean the tables they use with {@link
 * #truncate(String...)}.
 */
public final class TestDatabase {
  private static EmbeddedDatabase database;
  private static JdbcTarget target;

  private TestDatabase() {}

  public static synchronized JdbcTarget target() {
    if (database == null) {
      try {
        Path dir = Files.createTempDirectory("medallion-test-pg");
        database = EmbeddedDatabase.startDisposable(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      target = database.target();
      Migrations.apply(target);
      Runtime.getRuntime().addShutdownHook(new Thread(database::close));
    }
    return target;
  }

  /**
   * Empties the tables. A view (the pipelines' quarantine views over ops.quarantine) empties the
   * table it shows instead.
   */
  public static void truncate(String... tables) {
    java.util.Set<String> targets = new java.util.LinkedHashSet<>();
    for (String table : tables) {
      List<String> base =
          rows(
              "SELECT DISTINCT d.refobjid::regclass::text FROM pg_rewrite r JOIN pg_depend d ON d.objid = r.oid"
                  + " WHERE r.ev_class = to_regclass('"
                  + table
                  + "') AND d.refobjid <> r.ev_class AND d.classid = 'pg_rewrite'::regclass"
                  + " AND d.refclassid = 'pg_class'::regclass");
      targets.addAll(base.isEmpty() ? List.of(table) : base);
    }
    execute("TRUNCATE " + String.join(", ", targets));
  }

  public static void execute(String sql) {
    try (Connection c = ConnectionPool.forTarget(target()).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Each row of a query as its columns' text, joined by '|'. */
  public static List<String> rows(String sql) {
    List<String> rows = new ArrayList<>();
    try (Connection c = ConnectionPool.forTarget(target()).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          if (i > 1) {
            row.append('|');
          }
          row.append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    return rows;
  }

  public static long count(String sql) {
    return Long.parseLong(rows(sql).get(0));
  }
}

package dev.medallion.testing;

import dev.medallion.io.jdbc.EmbeddedDatabase;
import dev.medallion.io.jdbc.JdbcTarget;
import dev.medallion.io.jdbc.Migrations;
import dev.medallion.io.jdbc.PooledDataSource;
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
 * One real PostgreSQL per test JVM, migrated once; tests clean the tables they use with
 * {@link #truncate(String...)}.
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

  public static void truncate(String... tables) {
    execute("TRUNCATE " + String.join(", ", tables));
  }

  public static void execute(String sql) {
    try (Connection c = PooledDataSource.forTarget(target()).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Each row of a query as its columns' text, joined by '|'. */
  public static List<String> rows(String sql) {
    List<String> rows = new ArrayList<>();
    try (Connection c = PooledDataSource.forTarget(target()).getConnection();
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

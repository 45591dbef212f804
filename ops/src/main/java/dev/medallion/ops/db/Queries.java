package dev.medallion.ops.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Small statements of the ops tables on a target's pool: the placeholders bound in order, nulls as
 * SQL NULL.
 */
public final class Queries {
  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private Queries() {}

  /** Every row of a query; {@code about} says what was being read, for the error. */
  public static <T> List<T> list(
      JdbcTarget target, String about, String sql, RowReader<T> reader, Object... values) {
    List<T> rows = new ArrayList<>();
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, values);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not read " + about + " at " + target + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** Runs one statement; {@code about} says what was being written, for the error. */
  public static int update(JdbcTarget target, String about, String sql, Object... values) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, values);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not write " + about + " at " + target + ": " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        ps.setObject(i + 1, values[i]);
      }
    }
  }
}

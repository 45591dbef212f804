package dev.medallion.platform;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Prints query results as an aligned text table. */
public final class TablePrinter {
  private TablePrinter() {}

  public static void print(PrintStream out, JdbcTarget target, String title, String sql)
      throws SQLException {
    List<String[]> rows = new ArrayList<>();
    String[] header;
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      header = new String[meta.getColumnCount()];
      for (int i = 0; i < header.length; i++) {
        header[i] = meta.getColumnLabel(i + 1);
      }
      while (rs.next()) {
        String[] row = new String[header.length];
        for (int i = 0; i < row.length; i++) {
          String value = rs.getString(i + 1);
          row[i] = value == null ? "" : value;
        }
        rows.add(row);
      }
    }
    print(out, title, header, rows);
  }

  public static void print(PrintStream out, String title, String[] header, List<String[]> rows) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    out.println();
    out.println(title);
    out.println(line(header, widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] row : rows) {
      out.println(line(row, widths));
    }
    out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells[i]));
    }
    return line.toString().stripTrailing();
  }
}

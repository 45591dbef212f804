package dev.medallion.transforms.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes one date's snapshot so that no reader sees half a day: every CSV is written under a
 * temporary name in the output folder, the date's table rows are replaced in one transaction, and
 * only after the commit are the CSVs renamed over the old ones (an atomic rename on the same file
 * system). A failure before the commit removes the temporary files and rolls back, leaving the
 * previous snapshot (CSVs and rows) as it was.
 */
public final class SnapshotPublisher {
  /** The table work of one snapshot, on a connection whose transaction the publisher owns. */
  @FunctionalInterface
  public interface TableWork {
    void replace(Connection connection) throws SQLException;
  }

  private final Path outputDir;
  private final Map<String, List<List<Object>>> files = new LinkedHashMap<>();
  private final Map<String, List<String>> headers = new LinkedHashMap<>();

  public SnapshotPublisher(Path outputDir) {
    this.outputDir = outputDir;
  }

  /** Adds a CSV file (name within the output folder) with its header and rows. */
  public SnapshotPublisher csv(String name, List<String> header, List<List<Object>> rows) {
    headers.put(name, header);
    files.put(name, rows);
    return this;
  }

  /** Writes the CSVs and the tables, or nothing. */
  public void publish(Connection connection, TableWork work) throws SQLException, IOException {
    Files.createDirectories(outputDir);
    Map<Path, Path> staged = new LinkedHashMap<>();
    boolean autoCommit = connection.getAutoCommit();
    boolean committed = false;
    try {
      for (Map.Entry<String, List<List<Object>>> file : files.entrySet()) {
        Path target = outputDir.resolve(file.getKey());
        Path temp = outputDir.resolve("." + file.getKey() + ".tmp-" + UUID.randomUUID());
        staged.put(temp, target);
        write(temp, headers.get(file.getKey()), file.getValue());
      }
      connection.setAutoCommit(false);
      work.replace(connection);
      connection.commit();
      committed = true;
      for (Map.Entry<Path, Path> move : staged.entrySet()) {
        rename(move.getKey(), move.getValue());
      }
    } finally {
      if (!committed) {
        try {
          connection.rollback();
        } catch (SQLException e) {
          // the connection is lost; the transaction dies with it
        }
      }
      for (Path temp : staged.keySet()) {
        Files.deleteIfExists(temp);
      }
      connection.setAutoCommit(autoCommit);
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void write(Path file, List<String> header, List<List<Object>> rows) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(line(new ArrayList<>(header)));
      for (List<Object> row : rows) {
        out.write(line(row));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** One CSV line (RFC 4180): a value with a comma, quote or line break is quoted. */
  static String line(List<?> values) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Object v = values.get(i);
      String text = v == null ? "" : v.toString();
      if (text.indexOf(',') >= 0
          || text.indexOf('"') >= 0
          || text.indexOf('\n') >= 0
          || text.indexOf('\r') >= 0) {
        out.append('"').append(text.replace("\"", "\"\"")).append('"');
      } else {
        out.append(text);
      }
    }
    return out.append('\n').toString();
  }
}

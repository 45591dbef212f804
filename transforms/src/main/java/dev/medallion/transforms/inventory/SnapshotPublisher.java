package dev.medallion.transforms.inventory;

import java.io.IOException;
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
  /**
   * One snapshot's work, on a connection whose transaction the publisher owns: the table rows
   * replaced and the CSVs written through {@code csvs}, row by row, so a large day never sits in
   * memory whole.
   */
  @FunctionalInterface
  public interface Work {
    void write(Connection connection, Csvs csvs) throws SQLException, IOException;
  }

  /** Opens the snapshot's CSV files (names within the output folder) under temporary names. */
  @FunctionalInterface
  public interface Csvs {
    CsvFile open(String name, List<String> header) throws IOException;
  }

  /** One CSV being written. */
  public static final class CsvFile {
    private final Writer out;

    private CsvFile(Writer out) {
      this.out = out;
    }

    public void row(List<?> values) throws IOException {
      out.write(line(values));
    }
  }

  private final Path outputDir;

  public SnapshotPublisher(Path outputDir) {
    this.outputDir = outputDir;
  }

  /** Writes the CSVs and the tables, or nothing. */
  public void publish(Connection connection, Work work) throws SQLException, IOException {
    Files.createDirectories(outputDir);
    Map<Path, Path> staged = new LinkedHashMap<>();
    List<Writer> open = new ArrayList<>();
    boolean autoCommit = connection.getAutoCommit();
    boolean committed = false;
    try {
      connection.setAutoCommit(false);
      work.write(
          connection,
          (name, header) -> {
            Path temp = outputDir.resolve("." + name + ".tmp-" + UUID.randomUUID());
            staged.put(temp, outputDir.resolve(name));
            Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
            open.add(out);
            CsvFile file = new CsvFile(out);
            file.row(header);
            return file;
          });
      closeAll(open);
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
      closeAll(open);
      for (Path temp : staged.keySet()) {
        Files.deleteIfExists(temp);
      }
      connection.setAutoCommit(autoCommit);
    }
  }

  private static void closeAll(List<Writer> open) throws IOException {
    IOException first = null;
    for (Writer out : open) {
      try {
        out.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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

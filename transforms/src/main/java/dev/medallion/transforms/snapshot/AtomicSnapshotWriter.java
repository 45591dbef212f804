package dev.medallion.transforms.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes snapshot files so that a reader sees the old file or the new one, never half of one: the
 * content goes to a temporary file beside the target (same folder, so the same file system), is
 * forced to disk, and is renamed over the target with {@code ATOMIC_MOVE}. A failure while writing
 * deletes the temporary file and leaves the previous snapshot as it was. Temporary names start with
 * "." and end with ".tmp", which landing zones ignore ({@code FolderLayout.isLandedName}).
 *
 * <p>Several files of one snapshot (a day's complete, order-draft and emergency CSVs) are written
 * with {@link #writeAll}: every temporary file first, then the renames, so a failure while
 * producing any of them changes none. The renames themselves are atomic one by one, not together.
 */
public final class AtomicSnapshotWriter {

  /** Writes one file's content to the stream it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicSnapshotWriter() {}

  /** Replaces {@code target} with {@code content}, atomically. */
  public static void write(Path target, Content content) throws IOException {
    writeAll(Map.of(target, content));
  }

  /**
   * Writes every file to a temporary name, then renames each over its target; when producing any of
   * them fails, no target changes and no temporary file stays.
   */
  public static void writeAll(Map<Path, Content> files) throws IOException {
    Map<Path, Path> staged = new LinkedHashMap<>();
    try {
      for (Map.Entry<Path, Content> file : files.entrySet()) {
        Path target = file.getKey().toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary =
            target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        staged.put(temporary, target);
        try (OutputStream out = Files.newOutputStream(temporary)) {
          file.getValue().writeTo(out);
        }
        try (java.nio.channels.FileChannel channel =
            java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true); // the bytes are on disk before the name points at them
        }
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(staged.keySet(), e);
      throw e;
    }
    List<Path> renamed = new ArrayList<>();
    for (Map.Entry<Path, Path> move : staged.entrySet()) {
      try {
        Files.move(
            move.getKey(),
            move.getValue(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        renamed.add(move.getKey());
      } catch (IOException e) {
        List<Path> left = new ArrayList<>(staged.keySet());
        left.removeAll(renamed);
        deleteQuietly(left, e);
        if (e instanceof AtomicMoveNotSupportedException) {
          throw new IOException(
              "Cannot replace "
                  + move.getValue()
                  + " atomically: the file system does not support an atomic rename there",
              e);
        }
        throw e;
      }
    }
  }

  private static void deleteQuietly(Iterable<Path> paths, Exception cause) {
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }
}

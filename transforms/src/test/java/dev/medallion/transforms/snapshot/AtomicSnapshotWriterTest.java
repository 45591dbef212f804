package dev.medallion.transforms.snapshot;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AtomicSnapshotWriterTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static AtomicSnapshotWriter.Content text(String text) {
    return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  public void replacesTheFileAndLeavesNoTemporaryFile() throws IOException {
    Path day = folder.getRoot().toPath().resolve("stock_health/20241204.csv");
    AtomicSnapshotWriter.write(day, text("v1\n"));
    AtomicSnapshotWriter.write(day, text("v2\n"));
    assertEquals("v2\n", Files.readString(day));
    assertEquals(List.of("20241204.csv"), names(day.getParent()));
  }

  @Test
  public void aFailureHalfwayLeavesThePreviousSnapshotsIntact() throws IOException {
    Path dir = folder.getRoot().toPath();
    Path complete = dir.resolve("20241204.csv");
    Path m2 = dir.resolve("20241204_m2.csv");
    AtomicSnapshotWriter.writeAll(Map.of(complete, text("old complete\n"), m2, text("old m2\n")));

    Map<Path, AtomicSnapshotWriter.Content> next = new LinkedHashMap<>();
    next.put(complete, text("new complete\n"));
    next.put(
        m2,
        out -> {
          out.write("half a li".getBytes(StandardCharsets.UTF_8));
          throw new IOException("disk full");
        });
    IOException failure =
        assertThrows(IOException.class, () -> AtomicSnapshotWriter.writeAll(next));
    assertEquals("disk full", failure.getMessage());

    // neither file changed (the complete CSV was staged but not renamed), no temporary left
    assertEquals("old complete\n", Files.readString(complete));
    assertEquals("old m2\n", Files.readString(m2));
    assertEquals(List.of("20241204.csv", "20241204_m2.csv"), names(dir));
  }
}

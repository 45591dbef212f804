package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.medallion.core.files.FolderLayout;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The fault suite's bad-input corpus (src/test/resources/bad-input-corpus): every bad file of its
 * MANIFEST.txt lands in one landing zone with good files, one edge run takes them all, and each
 * file's outcome is checked against the manifest: how many of its records are in silver, which rows
 * (layer and error class) it has in ops.quarantine, and what their reason says. Subclasses choose
 * the runner profile, so the corpus runs on DirectRunner and on Flink.
 */
public abstract class BadInputCorpusTestBase {
  private static final String CORPUS = "bad-input-corpus/";
  private static final Instant LANDED = Instant.parse("2024-06-24T12:00:00Z");

  /** Lands after the good files, so its transaction G1 is the duplicate. */
  private static final String LANDS_LAST = "duplicate-id.jsonl";

  /** One manifest line: a file and what must become of it. */
  record Expected(String file, String status, int silver, List<String> quarantine, String reason) {
    static Expected parse(String line) {
      String[] cells = line.split("\\|", -1);
      List<String> quarantine =
          cells[3].isBlank() || cells[3].strip().equals("-")
              ? List.of()
              : List.of(cells[3].strip().split("\\s*,\\s*"));
      return new Expected(
          cells[0].strip(),
          cells[1].strip(),
          Integer.parseInt(cells[2].strip()),
          quarantine,
          cells[4].strip());
    }

    boolean inThisRun() {
      return status.equals("now");
    }
  }

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  protected abstract String profile();

  static List<Expected> manifest() throws IOException {
    List<Expected> expected = new ArrayList<>();
    for (String line : resourceText(CORPUS + "MANIFEST.txt").split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        expected.add(Expected.parse(line));
      }
    }
    return expected;
  }

  private static String resourceText(String path) throws IOException {
    return new String(resource(path), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = BadInputCorpusTestBase.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull("missing corpus file " + path, in);
      return in.readAllBytes();
    }
  }

  @Before
  public void landTheCorpus() throws IOException {
    TestDatabase.truncate(dev.medallion.pipelines.EdgeEndToEndTables.ALL);
    TestDatabase.truncate("ops.quarantine");
    landing = folder.newFolder("landing").toPath();
    for (Expected file : manifest()) {
      if (file.inThisRun()) {
        Path landed = landing.resolve(file.file());
        Files.write(landed, resource(CORPUS + file.file()));
        Instant at = file.file().equals(LANDS_LAST) ? LANDED.plusSeconds(300) : LANDED;
        Files.setLastModifiedTime(landed, FileTime.from(at));
      }
    }
  }

  @Test
  public void everyGoodRecordLandsAndEveryBadOneIsQuarantinedWithItsReason() throws IOException {
    CapturedRun.Result run =
        EdgeEndToEndTestBase.withPassword(
            EdgeEndToEndTestBase.edgeArgs(
                landing, profile(), "--as-of", "2024-06-24", "--max-record-bytes", "2000"));
    assertEquals(run.output(), 0, run.exitCode());

    List<Expected> corpus =
        manifest().stream().filter(Expected::inThisRun).collect(Collectors.toList());
    Map<String, Integer> silverByFile = new TreeMap<>();
    for (String row :
        TestDatabase.rows(
            "SELECT regexp_replace(file_path, '^.*/', '') || '|' || count(*)"
                + " FROM silver.edge_transactions GROUP BY file_path")) {
      String[] cells = row.split("\\|");
      silverByFile.put(cells[0], Integer.parseInt(cells[1]));
    }
    Map<String, List<String>> quarantineByFile = new TreeMap<>();
    Map<String, List<String>> reasonsByFile = new TreeMap<>();
    for (String row :
        TestDatabase.rows(
            "SELECT regexp_replace(source, '^.*/', '') || '|' || layer || ':' || error_class || '|' || reason"
                + " FROM ops.quarantine ORDER BY source, layer, error_class, record_index")) {
      String[] cells = row.split("\\|", 3);
      quarantineByFile.computeIfAbsent(cells[0], f -> new ArrayList<>()).add(cells[1]);
      reasonsByFile.computeIfAbsent(cells[0], f -> new ArrayList<>()).add(cells[2]);
    }

    int goodRecords = 0;
    int quarantined = 0;
    // Every file's differences from the manifest, so one run reports them all.
    List<String> differences = new ArrayList<>();
    for (Expected file : corpus) {
      int silver = silverByFile.getOrDefault(file.file(), 0);
      if (silver != file.silver()) {
        differences.add(
            file.file() + ": " + silver + " records in silver, expected " + file.silver());
      }
      List<String> rows = quarantineByFile.getOrDefault(file.file(), List.of());
      if (!rows.equals(file.quarantine())) {
        differences.add(
            file.file() + ": quarantined as " + rows + ", expected " + file.quarantine());
      }
      for (String reason : reasonsByFile.getOrDefault(file.file(), List.of())) {
        if (!reason.contains(file.reason())) {
          differences.add(
              file.file() + ": reason \"" + reason + "\" lacks \"" + file.reason() + "\"");
        }
      }
      boolean landed = FolderLayout.isLandedName(file.file());
      if (landed == Files.exists(landing.resolve(file.file()))) {
        differences.add(
            file.file() + (landed ? " is still in the landing folder" : " was taken as landed"));
      }
      goodRecords += file.silver();
      quarantined += file.quarantine().size();
    }
    assertEquals(List.of(), differences);
    // Nothing else anywhere: no record of a file outside the manifest, none counted twice.
    assertEquals(goodRecords, TestDatabase.count("SELECT count(*) FROM silver.edge_transactions"));
    assertEquals(quarantined, TestDatabase.count("SELECT count(*) FROM ops.quarantine"));
    // The hand count of the manifest: 25 good records, 28 quarantine rows over 36 files.
    assertEquals(36, corpus.size());
    assertEquals(25, goodRecords);
    assertEquals(28, quarantined);
    assertTrue(
        "every bronze row is processed or quarantined",
        TestDatabase.rows("SELECT DISTINCT processing_status FROM bronze.edge_raw ORDER BY 1")
            .stream()
            .allMatch(s -> s.equals("processed") || s.equals("quarantined")));
  }
}

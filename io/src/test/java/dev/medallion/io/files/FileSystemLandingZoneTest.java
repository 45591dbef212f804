package dev.medallion.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.core.files.FolderLayout;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileSystemLandingZoneTest {
  private static final Instant A_LANDED = Instant.parse("2024-06-18T23:59:58Z");
  private static final Instant B_LANDED = Instant.parse("2024-01-02T00:00:01Z");
  private static final byte[] A_CONTENT =
      "[{\"device_id\":\"pi5-a\",\"amount\":1.5}]\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] B_CONTENT =
      "device_id,amount\r\npi5-b,2.25\r\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OLD_CONTENT = "{\"old\":true}".getBytes(StandardCharsets.UTF_8);

  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private Path root;
  private String prefix;

  @Before
  public void landFiles() throws IOException {
    root = folder.getRoot().toPath();
    prefix = root.toString() + "/";
    write(root.resolve("a.json"), A_CONTENT, A_LANDED);
    write(root.resolve("b.csv"), B_CONTENT, B_LANDED);
    write(
        root.resolve("notes.txt"), "not a record file".getBytes(StandardCharsets.UTF_8), A_LANDED);
    write(
        root.resolve(".hidden.json"),
        "{\"hidden\":true}".getBytes(StandardCharsets.UTF_8),
        A_LANDED);
    Files.createDirectories(root.resolve("processed/20240101"));
    write(root.resolve("processed/20240101/old.json"), OLD_CONTENT, B_LANDED);
  }

  private static void write(Path file, byte[] content, Instant lastModified) throws IOException {
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.from(lastModified));
  }

  private static String md5(byte[] content) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
  }

  private List<String> tree() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  public void prefixAlwaysEndsWithASlash() {
    assertEquals(prefix, FileSystemLandingZone.at(root.toString()).prefix());
    assertEquals(prefix, FileSystemLandingZone.at(prefix).prefix());
    assertEquals(prefix, FileSystemLandingZone.at(root.toString()).describe());
  }

  @Test
  public void readYieldsEveryLandedFileDirectlyUnderThePrefix() throws Exception {
    LandedFile a =
        LandedFile.create(
            prefix, "a.json", A_CONTENT, A_CONTENT.length, md5(A_CONTENT), A_LANDED.toEpochMilli());
    LandedFile b =
        LandedFile.create(
            prefix, "b.csv", B_CONTENT, B_CONTENT.length, md5(B_CONTENT), B_LANDED.toEpochMilli());
    byte[] notesContent = "not a record file".getBytes(StandardCharsets.UTF_8);
    LandedFile notes =
        LandedFile.create(
            prefix,
            "notes.txt",
            notesContent,
            notesContent.length,
            md5(notesContent),
            A_LANDED.toEpochMilli());
    // Independent checks on the helper-built expectations.
    assertEquals(32, a.checksum().length());
    assertEquals(37, a.sizeBytes());
    assertEquals(prefix + "a.json", a.path());
    assertEquals(prefix + "processed/20240618/a.json", a.processedPath());
    assertEquals(prefix + "processed/20240102/b.csv", b.processedPath());
    assertEquals(prefix + "quarantine/20240618/notes.txt", notes.quarantinePath());

    // notes.txt is landed too: whether a reader takes it is for the record readers to say (the run
    // records it as skipped); the hidden file and processed/ are not read.
    PCollection<LandedFile> files =
        pipeline.apply(FileSystemLandingZone.at(root.toString()).read());
    PAssert.that(files).containsInAnyOrder(a, b, notes);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void landedFileCreateDerivesPathSizeChecksumAndProcessedPath() throws Exception {
    LandedFile file = LandedFile.create(prefix, "a.json", A_CONTENT, A_LANDED.toEpochMilli());
    assertEquals(prefix + "a.json", file.path());
    assertEquals("a.json", file.name());
    assertEquals(prefix + "processed/20240618/a.json", file.processedPath());
    assertEquals(A_CONTENT.length, file.sizeBytes());
    assertEquals(md5(A_CONTENT), file.checksum());
    assertArrayEquals(A_CONTENT, file.content());
    assertEquals(A_LANDED.toEpochMilli(), file.landedAtMillis());
  }

  @Test
  public void moveMovesTheFileAndCreatesFolders() throws IOException {
    FileSystemLandingZone zone = FileSystemLandingZone.at(root.toString());
    String source = prefix + "a.json";
    String destination = prefix + "processed/20240618/a.json";

    zone.move(source, destination);

    assertFalse(Files.exists(root.resolve("a.json")));
    assertTrue(Files.isDirectory(root.resolve("processed/20240618")));
    assertArrayEquals(A_CONTENT, Files.readAllBytes(root.resolve("processed/20240618/a.json")));
    assertEquals(
        List.of(
            ".hidden.json",
            "b.csv",
            "notes.txt",
            "processed/20240101/old.json",
            "processed/20240618/a.json"),
        tree());
  }

  @Test
  public void movingAgainAfterTheMoveIsANoOp() throws IOException {
    FileSystemLandingZone zone = FileSystemLandingZone.at(root.toString());
    String source = prefix + "a.json";
    String destination = prefix + "processed/20240618/a.json";
    zone.move(source, destination);
    List<String> afterFirstMove = tree();

    zone.move(source, destination);

    assertEquals(afterFirstMove, tree());
    assertArrayEquals(A_CONTENT, Files.readAllBytes(root.resolve("processed/20240618/a.json")));
  }

  @Test
  public void movingAMissingFileWithoutDestinationFails() throws IOException {
    FileSystemLandingZone zone = FileSystemLandingZone.at(root.toString());
    String source = prefix + "missing.json";
    String destination = prefix + "processed/20240618/missing.json";
    List<String> before = tree();

    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> zone.move(source, destination));

    assertThat(e.getMessage(), containsString(source));
    assertThat(e.getMessage(), containsString(destination));
    assertEquals(before, tree());
    assertFalse(Files.exists(root.resolve("processed/20240618")));
  }

  @Test
  public void checkReadablePassesForAnExistingFolder() throws IOException {
    FileSystemLandingZone.at(root.toString()).checkReadable();
    FileSystemLandingZone.at(folder.newFolder("empty").toString()).checkReadable();
  }

  @Test
  public void checkReadableOnAMissingFolderSaysItDoesNotExist() {
    Path missing = root.resolve("no-such-folder");
    IOException e =
        assertThrows(
            IOException.class, () -> FileSystemLandingZone.at(missing.toString()).checkReadable());
    assertThat(e.getMessage(), containsString("does not exist"));
    assertThat(e.getMessage(), containsString(missing.toString()));
    assertThat(e.getMessage(), containsString("--source"));
  }

  @Test
  public void defaultCoderKeepsEveryField() throws Exception {
    LandedFile file = LandedFile.create(prefix, "a.json", A_CONTENT, A_LANDED.toEpochMilli());
    Coder<LandedFile> coder =
        CoderRegistry.createDefault().getCoder(TypeDescriptor.of(LandedFile.class));

    LandedFile copy = CoderUtils.clone(coder, file);

    assertEquals(file, copy);
    assertEquals(prefix + "a.json", copy.path());
    assertEquals(prefix + "processed/20240618/a.json", copy.processedPath());
    assertArrayEquals(A_CONTENT, copy.content());
    assertEquals(md5(A_CONTENT), copy.checksum());
    assertEquals(A_LANDED.toEpochMilli(), copy.landedAtMillis());
  }

  @Test
  public void landedNamesAndReadableFormats() {
    // What a zone reads: every landed name, but not hidden files or uploads in progress.
    assertTrue(FolderLayout.isLandedName("a.json"));
    assertTrue(FolderLayout.isLandedName("notes.txt"));
    assertFalse(FolderLayout.isLandedName(".hidden.json"));
    assertFalse(FolderLayout.isLandedName(".emptyFolderPlaceholder"));
    assertFalse(FolderLayout.isLandedName("a.json.tmp"));
    assertFalse(FolderLayout.isLandedName("a.csv.part"));
    // What the standard readers take.
    RecordReaders readers = RecordReaders.standard();
    assertTrue(readers.readerFor("a.json").isPresent());
    assertTrue(readers.readerFor("A.JSON").isPresent());
    assertTrue(readers.readerFor("a.jsonl").isPresent());
    assertTrue(readers.readerFor("a.ndjson").isPresent());
    assertTrue(readers.readerFor("b.csv").isPresent());
    assertFalse(readers.readerFor("notes.txt").isPresent());
    assertFalse(readers.readerFor("book.xlsx").isPresent());
    assertEquals(
        "no record reader for notes.txt (readers: csv, json, jsonl, ndjson)",
        readers.noReaderReason("notes.txt"));
  }

  /** The names a poll of the watch takes from the landing folder, now. */
  private List<String> polledNames(long settleMillis) throws IOException {
    return new FileSystemLandingZone.PollSettledFiles(settleMillis)
        .settled(prefix).stream()
            .map(file -> file.resourceId().getFilename())
            .sorted()
            .collect(Collectors.toList());
  }

  @Test
  public void theWatchLeavesAFileStillBeingWrittenForALaterPoll() throws Exception {
    List<String> landedBefore = polledNames(60_000L);
    assertTrue(landedBefore.contains("a.json"));
    Path copying = root.resolve("c.json");
    // A copy in progress: written a moment ago, its last write 2 s old at most.
    write(copying, "[{\"device_id\":\"pi5-c\",".getBytes(StandardCharsets.UTF_8), Instant.now());
    assertEquals(landedBefore, polledNames(60_000L));
    // The copy ends, and nothing touches the file for the settle time.
    write(copying, A_CONTENT, Instant.now().minusSeconds(61));
    List<String> landedAfter = polledNames(60_000L);
    assertTrue(landedAfter.contains("c.json"));
    assertEquals(landedBefore.size() + 1, landedAfter.size());
  }

  @Test
  public void aWatchWaitsOnePollIntervalForAFileToSettleAndAtMostAMinute() {
    assertEquals(5_000L, SettledFiles.settleMillis(5_000L));
    assertEquals(60_000L, SettledFiles.settleMillis(3_600_000L));
    assertTrue(SettledFiles.hasSettled(1_000L, 6_000L, 5_000L));
    assertFalse(SettledFiles.hasSettled(1_001L, 6_000L, 5_000L));
    // A file system that gives no modification time (0) has nothing to wait for.
    assertTrue(SettledFiles.hasSettled(0L, 6_000L, 5_000L));
  }
}

package dev.medallion.transforms.edge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.medallion.core.LayerCounts;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.io.files.Checksums;
import dev.medallion.io.files.FileLimits;
import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.io.files.RecordReader;
import dev.medallion.io.files.RecordReaders;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.QuarantineStore;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.ingest.BronzeFiles;
import dev.medallion.transforms.ingest.FileStatus;
import dev.medallion.transforms.ingest.IngestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The file to bronze skeleton with the edge tables, against a real PostgreSQL: the file ledger
 * decides what is ingested, unsupported formats are recorded, readers are registered by format,
 * quarantined files are put back for a replay, and an old database gets its ledger from bronze.
 */
public class EdgeFileIngestionTest {
  private static final Instant JUNE_18 = Instant.parse("2024-06-18T10:00:00Z");
  private static final String THREE_SALES =
      "{\"transaction_id\":\"r1\"}\n{\"transaction_id\":\"r2\"}\n{\"transaction_id\":\"r3\"}\n";
  private static final String LEDGER =
      "SELECT regexp_replace(path, '^.*/', '') || '|' || records || '|' || quarantined || '|'"
          + " || status || '|' || coalesce(reason, '') || '|' || coalesce(run_id, '') FROM ops.landed_files ORDER BY path";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final JdbcTarget target = TestDatabase.target();
  private Path landing;
  private FileSystemLandingZone zone;

  @Before
  public void cleanTables() throws IOException {
    TestDatabase.truncate("bronze.edge_raw", "ops.quarantine", "ops.landed_files");
    landing = folder.newFolder("landing").toPath();
    zone = FileSystemLandingZone.at(landing.toString());
  }

  private Path land(String name, String text) throws IOException {
    Path file = landing.resolve(name);
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(file, FileTime.from(JUNE_18));
    return file;
  }

  private LandedFile landedFile(String name, String text) {
    return LandedFile.create(
        zone.prefix(), name, text.getBytes(StandardCharsets.UTF_8), JUNE_18.toEpochMilli());
  }

  private LayerCounts ingest(BronzeFiles<BronzeRecord> files, String runId) {
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline.apply("IngestFiles", IngestFiles.from(zone, files, target, runId));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return LayerCounts.of(result);
  }

  private static List<String> bronze() {
    return TestDatabase.rows(
        "SELECT regexp_replace(file_path, '^.*/', '') || '|' || record_index || '|' || raw_data::text"
            + " FROM bronze.edge_raw ORDER BY file_path, record_index");
  }

  @Test
  public void aFileWhoseBronzeWriteWasInterruptedIsRedoneAndLandsExactlyOnce() throws Exception {
    land("pi5-a_1.json", THREE_SALES);
    // A run killed mid-bronze: two of the file's three rows committed, no ledger row. (The old
    // rule,
    // "a bronze row carries the checksum", would skip this file for good and lose r3.)
    BronzeFiles.Split<BronzeRecord> split =
        EdgeSchema.BRONZE_FILES.split(landedFile("pi5-a_1.json", THREE_SALES), "killed");
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      EdgeSchema.BRONZE_FILES.write(c, split.records().subList(0, 2));
    }
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM bronze.edge_raw"));

    LayerCounts counts = ingest(EdgeSchema.BRONZE_FILES, "run-2");

    assertEquals(
        List.of(
            "pi5-a_1.json|0|{\"transaction_id\": \"r1\"}",
            "pi5-a_1.json|1|{\"transaction_id\": \"r2\"}",
            "pi5-a_1.json|2|{\"transaction_id\": \"r3\"}"),
        bronze());
    assertEquals(List.of("pi5-a_1.json|3|0|ingested||run-2"), TestDatabase.rows(LEDGER));
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-a_1.json")));
    assertFalse(Files.exists(landing.resolve("pi5-a_1.json")));
    assertEquals(1, counts.get(RunMetric.FILES_READ));
    assertEquals(0, counts.get(RunMetric.FILES_ALREADY_INGESTED));
    assertEquals(new LayerCounts.Count(3, 3, 0), counts.layer(Layer.BRONZE));

    // The same bytes landed again under another name: in the ledger, so only moved.
    land("pi5-a_1-again.json", THREE_SALES);
    LayerCounts again = ingest(EdgeSchema.BRONZE_FILES, "run-3");
    assertEquals(3, bronze().size());
    assertEquals(1, again.get(RunMetric.FILES_ALREADY_INGESTED));
    assertEquals(new LayerCounts.Count(0, 0, 0), again.layer(Layer.BRONZE));
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-a_1-again.json")));
  }

  @Test
  public void aFileWhoseFormatHasNoReaderIsRecordedAsSkippedWithItsReason() throws Exception {
    land("notes.txt", "not a record file");
    land("pi5-a_1.json", THREE_SALES);

    LayerCounts counts = ingest(EdgeSchema.BRONZE_FILES, "run-1");

    String reason = "no record reader for notes.txt (readers: csv, json, jsonl, ndjson)";
    assertEquals(
        List.of("notes.txt|0|1|skipped|" + reason + "|run-1", "pi5-a_1.json|3|0|ingested||run-1"),
        TestDatabase.rows(LEDGER));
    assertEquals(
        List.of("edge|bronze|notes.txt|-1|unsupported_format|" + reason + "|run-1"),
        TestDatabase.rows(
            "SELECT pipeline || '|' || layer || '|' || regexp_replace(source, '^.*/', '') || '|' || record_index"
                + " || '|' || error_class || '|' || reason || '|' || run_id FROM ops.quarantine"));
    assertEquals(3, bronze().size());
    assertTrue(Files.exists(landing.resolve("quarantine/20240618/notes.txt")));
    assertFalse(Files.exists(landing.resolve("notes.txt")));
    assertEquals(2, counts.get(RunMetric.FILES_READ));
    assertEquals(1, counts.get(RunMetric.FILES_SKIPPED));
    // in: 3 records + the skipped file's one quarantine row.
    assertEquals(new LayerCounts.Count(4, 3, 1), counts.layer(Layer.BRONZE));
  }

  /** Tab-separated "id<TAB>amount" lines: a format of a pipeline's own, registered by extension. */
  static final RecordReader TSV =
      content -> {
        List<ParsedFile.Record> records = new ArrayList<>();
        String[] lines = RecordReader.text(content).strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
          String[] cells = lines[i].split("\t");
          records.add(
              new ParsedFile.Record(
                  i, "{\"transaction_id\":\"" + cells[0] + "\",\"amount\":\"" + cells[1] + "\"}"));
        }
        return ParsedFile.of(records, List.of());
      };

  @Test
  public void aReaderRegisteredForANewExtensionIsUsedWithoutTouchingTheZone() throws Exception {
    land("pi5-t_1.tsv", "t1\t2.50\nt2\t3.00\n");

    ingest(EdgeSchema.BRONZE_FILES.withReaders(RecordReaders.standard().with("tsv", TSV)), "run-1");

    assertEquals(
        List.of(
            "pi5-t_1.tsv|0|{\"amount\": \"2.50\", \"transaction_id\": \"t1\"}",
            "pi5-t_1.tsv|1|{\"amount\": \"3.00\", \"transaction_id\": \"t2\"}"),
        bronze());
    assertEquals(List.of("pi5-t_1.tsv|2|0|ingested||run-1"), TestDatabase.rows(LEDGER));
    assertEquals(
        List.of("pi5-t"), TestDatabase.rows("SELECT DISTINCT device_id FROM bronze.edge_raw"));
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-t_1.tsv")));
  }

  @Test
  public void aQuarantinedWholeFileIsPutBackForAReplayAndLandsOnceTheReaderIsFixed()
      throws Exception {
    String truncated = "[{\"transaction_id\":\"q1\"},{\"transaction_id\":";
    land("pi5-b_1.json", truncated);
    ingest(EdgeSchema.BRONZE_FILES, "run-1");
    assertTrue(Files.exists(landing.resolve("quarantine/20240618/pi5-b_1.json")));
    // The text is 44 characters long and stops after "transaction_id":, inside the second object.
    assertEquals(
        List.of(
            "pi5-b_1.json|0|1|quarantined|malformed JSON at line 1, column 44: Unexpected end-of-input"
                + " within/between Object entries|run-1"),
        TestDatabase.rows(LEDGER));
    assertEquals(
        List.of("malformed_file|-1"),
        TestDatabase.rows("SELECT error_class || '|' || record_index FROM ops.quarantine"));

    List<QuarantineEntry> waiting =
        new QuarantineStore(target).waitingForReplay(EdgeSchema.PIPELINE, null);
    assertEquals(1, waiting.size());
    List<QuarantineEntry> requeued = EdgeSchema.requeue(target, () -> zone, Layer.BRONZE, waiting);

    assertEquals(waiting, requeued);
    assertTrue(Files.exists(landing.resolve("pi5-b_1.json")));
    assertFalse(Files.exists(landing.resolve("quarantine/20240618/pi5-b_1.json")));
    assertEquals(List.of("requeued"), TestDatabase.rows("SELECT status FROM ops.landed_files"));

    // The "parser fix": a JSON reader that takes what the file holds.
    RecordReader fixed =
        content ->
            ParsedFile.of(
                List.of(new ParsedFile.Record(0, "{\"transaction_id\":\"q1\"}")), List.of());
    ingest(
        EdgeSchema.BRONZE_FILES.withReaders(RecordReaders.standard().with("json", fixed)),
        "replay-1");

    assertEquals(List.of("pi5-b_1.json|0|{\"transaction_id\": \"q1\"}"), bronze());
    assertEquals(List.of("pi5-b_1.json|1|0|ingested||replay-1"), TestDatabase.rows(LEDGER));
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-b_1.json")));
  }

  @Test
  public void aDatabaseWithBronzeButNoLedgerGetsItsLedgerFromBronze() throws Exception {
    LandedFile old = landedFile("pi5-o_1.json", THREE_SALES);
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      EdgeSchema.BRONZE_FILES.write(c, EdgeSchema.BRONZE_FILES.split(old, null).records());
    }
    TestDatabase.execute(
        "INSERT INTO ops.quarantine (pipeline, layer, source, record_index, reason, error_class)"
            + " VALUES ('edge', 'bronze', '"
            + old.path()
            + "', 7, 'line 8 is not a JSON object', 'malformed_record')");

    TestDatabase.execute(migration("db/migration/V7__file_ledger.sql"));

    assertEquals(List.of("pi5-o_1.json|3|1|ingested||"), TestDatabase.rows(LEDGER));
    assertEquals(
        List.of(old.checksum() + "|" + old.sizeBytes() + "|2024-06-18 10:00:00+00"),
        TestDatabase.rows(
            "SELECT checksum || '|' || size_bytes || '|' || (landed_at AT TIME ZONE 'UTC')::text || '+00' FROM ops.landed_files"));

    // The old file landed again is not taken for a new one.
    land("pi5-o_1.json", THREE_SALES);
    LayerCounts counts = ingest(EdgeSchema.BRONZE_FILES, "run-1");
    assertEquals(1, counts.get(RunMetric.FILES_ALREADY_INGESTED));
    assertEquals(3, bronze().size());
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-o_1.json")));
  }

  private static final String QUARANTINE =
      "SELECT regexp_replace(source, '^.*/', '') || '|' || record_index || '|' || error_class || '|' || reason"
          + " FROM ops.quarantine ORDER BY source, record_index";

  private Path land(String name, byte[] content) throws IOException {
    Path file = landing.resolve(name);
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.from(JUNE_18));
    return file;
  }

  /**
   * A good file, NUL in a JSON string and in a CSV field (each beside a good record), a UTF-16 CSV
   * and 64 random bytes named .csv.
   */
  private void landFilesPostgresCannotStore() throws IOException {
    land("pi5-a_1.json", THREE_SALES);
    land(
        "pi5-n_1.jsonl",
        "{\"transaction_id\":\"n1\",\"store_id\":\"S\\u00009\"}\n{\"transaction_id\":\"n2\"}\n");
    land("pi5-c_1.csv", "transaction_id,store_id\nc1,S\u00009\nc2,S9\n");
    land(
        "pi5-u_1.csv",
        "\uFEFFtransaction_id,store_id\nu1,S1\n".getBytes(StandardCharsets.UTF_16LE));
    byte[] noise = new byte[64];
    new java.util.Random(10).nextBytes(noise);
    land("pi5-r_1.csv", noise);
  }

  /**
   * Text PostgreSQL cannot store and bytes that are not UTF-8 text: each bad record is quarantined
   * at bronze with its file, index and the offending character, the rest of its file lands, and
   * every file gets its ledger row in the first run; a second run over the same files changes
   * nothing.
   */
  @Test
  public void recordsPostgresCannotStoreAreQuarantinedAndTheRestOfTheirFilesLand()
      throws Exception {
    landFilesPostgresCannotStore();

    LayerCounts first = ingest(EdgeSchema.BRONZE_FILES, "run-1");

    // 3 + 1 + 1 records land; two records and two whole files are set aside.
    assertEquals(
        List.of(
            "pi5-a_1.json|0|{\"transaction_id\": \"r1\"}",
            "pi5-a_1.json|1|{\"transaction_id\": \"r2\"}",
            "pi5-a_1.json|2|{\"transaction_id\": \"r3\"}",
            "pi5-c_1.csv|1|{\"store_id\": \"S9\", \"transaction_id\": \"c2\"}",
            "pi5-n_1.jsonl|1|{\"transaction_id\": \"n2\"}"),
        bronze());
    List<String> quarantine = TestDatabase.rows(QUARANTINE);
    assertEquals(4, quarantine.size());
    assertEquals(
        "pi5-c_1.csv|0|invalid_value|field store_id holds the character U+0000 (NUL) at position 2,"
            + " which PostgreSQL text cannot store",
        quarantine.get(0));
    assertEquals(
        "pi5-n_1.jsonl|0|invalid_value|field store_id holds the character U+0000 (NUL) at position 2,"
            + " which PostgreSQL text cannot store",
        quarantine.get(1));
    assertThat(
        quarantine.get(2), startsWith("pi5-r_1.csv|-1|malformed_file|not valid UTF-8: byte 0x"));
    assertThat(quarantine.get(2), containsString(" at offset "));
    assertEquals(
        "pi5-u_1.csv|-1|malformed_file|the file is UTF-16 text (it starts with the byte-order mark"
            + " FF FE); save it as UTF-8",
        quarantine.get(3));
    assertEquals(
        List.of(
            "pi5-a_1.json|3|0|ingested||run-1",
            "pi5-c_1.csv|1|1|ingested||run-1",
            "pi5-n_1.jsonl|1|1|ingested||run-1",
            "pi5-r_1.csv|0|1|quarantined|" + reasonOf(quarantine.get(2)) + "|run-1",
            "pi5-u_1.csv|0|1|quarantined|" + reasonOf(quarantine.get(3)) + "|run-1"),
        TestDatabase.rows(LEDGER));
    // in: 5 + 2 readable records and 2 whole files; out: 5; set aside: 4.
    assertEquals(new LayerCounts.Count(9, 5, 4), first.layer(Layer.BRONZE));
    assertTrue(Files.exists(landing.resolve("processed/20240618/pi5-n_1.jsonl")));
    assertTrue(Files.exists(landing.resolve("quarantine/20240618/pi5-u_1.csv")));

    // The same five files landed again: all in the ledger, nothing new anywhere.
    List<String> ledger = TestDatabase.rows(LEDGER);
    landFilesPostgresCannotStore();
    LayerCounts second = ingest(EdgeSchema.BRONZE_FILES, "run-2");
    assertEquals(5, bronze().size());
    assertEquals(quarantine, TestDatabase.rows(QUARANTINE));
    assertEquals(ledger, TestDatabase.rows(LEDGER));
    // The three ingested files are already in bronze; the two refused ones are refused again (their
    // rows, keyed by path and checksum, stay as they were).
    assertEquals(3, second.get(RunMetric.FILES_ALREADY_INGESTED));
    assertEquals(new LayerCounts.Count(2, 0, 2), second.layer(Layer.BRONZE));
  }

  /**
   * Lineage: a second upload of one name on one day keeps its own processed copy and its own
   * quarantine rows; of two byte-identical empty files each has its quarantine row.
   */
  @Test
  public void everyUploadKeepsItsOwnProcessedCopyAndQuarantineRows() throws Exception {
    String first = "{\"transaction_id\":\"a1\"}\n[1]\n";
    String second = "{\"transaction_id\":\"b1\"}\n\"x\"\n";
    land("pi5-d_1.jsonl", first);
    land("pi5-e_1.json", "");
    land("pi5-f_1.json", "");
    LayerCounts run1 = ingest(EdgeSchema.BRONZE_FILES, "run-1");
    land("pi5-d_1.jsonl", second);
    ingest(EdgeSchema.BRONZE_FILES, "run-2");

    String firstSum = Checksums.md5Hex(first.getBytes(StandardCharsets.UTF_8));
    String secondSum = Checksums.md5Hex(second.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        List.of("a1", "b1"),
        TestDatabase.rows("SELECT raw_data->>'transaction_id' FROM bronze.edge_raw ORDER BY 1"));
    assertEquals(
        List.of(
            "pi5-d_1.jsonl|1|" + firstSum + "|record is a JSON array, not an object|run-1",
            "pi5-d_1.jsonl|1|" + secondSum + "|record is a JSON string, not an object|run-2",
            "pi5-e_1.json|-1|d41d8cd98f00b204e9800998ecf8427e|file is empty|run-1",
            "pi5-f_1.json|-1|d41d8cd98f00b204e9800998ecf8427e|file is empty|run-1"),
        TestDatabase.rows(
            "SELECT regexp_replace(source, '^.*/', '') || '|' || record_index || '|' || source_checksum"
                + " || '|' || reason || '|' || run_id FROM ops.quarantine ORDER BY source, record_index, run_id"));
    Path processed = landing.resolve("processed/20240618");
    assertEquals(first, Files.readString(processed.resolve("pi5-d_1.jsonl")));
    assertEquals(second, Files.readString(processed.resolve("pi5-d_1." + secondSum + ".jsonl")));
    assertTrue(Files.exists(landing.resolve("quarantine/20240618/pi5-e_1.json")));
    assertTrue(Files.exists(landing.resolve("quarantine/20240618/pi5-f_1.json")));
    // in: a1, line 2, and the two empty files; the second empty file is no "already in bronze".
    assertEquals(new LayerCounts.Count(4, 1, 3), run1.layer(Layer.BRONZE));
    assertEquals(0, run1.get(RunMetric.FILES_ALREADY_INGESTED));

    // A replay of the name's bad records puts back the latest upload's own copy, not the first's.
    List<QuarantineEntry> ofName =
        new QuarantineStore(target)
            .waitingForReplay(EdgeSchema.PIPELINE, null).stream()
                .filter(q -> q.source().endsWith("pi5-d_1.jsonl"))
                .toList();
    EdgeSchema.requeue(target, () -> zone, Layer.BRONZE, ofName);
    assertEquals(second, Files.readString(landing.resolve("pi5-d_1.jsonl")));
    assertEquals(first, Files.readString(processed.resolve("pi5-d_1.jsonl")));
  }

  /**
   * The limits are the pipeline's, not the parser's: a record over the record limit is set aside
   * alone with the limit named, a file over the file limit whole, and a record above Jackson's own
   * 20,000,000-character string cap lands when the limit allows it.
   */
  @Test
  public void filesAndRecordsOverTheConfiguredLimitsAreSetAsideWithTheLimitNamed()
      throws IOException {
    // {"transaction_id":"t1"} is 23 bytes; the second line 34, the file 59.
    String twoLines = "{\"transaction_id\":\"t1\"}\n{\"transaction_id\":\"t2\",\"n\":\"long\"}\n";
    BronzeFiles<BronzeRecord> small =
        EdgeSchema.BRONZE_FILES.withLimits(
            FileLimits.defaults().withMaxFileBytes(59).withMaxRecordBytes(30));

    BronzeFiles.Split<BronzeRecord> split = small.split(landedFile("pi5-l_1.jsonl", twoLines), "r");
    assertEquals(1, split.records().size());
    assertEquals(
        List.of(
            "1|invalid_value|the record is 34 bytes of JSON, over the limit of 30 bytes a record"
                + " (--max-record-bytes)"),
        split.failures().stream()
            .map(q -> q.getRecordIndex() + "|" + q.getErrorClass() + "|" + q.getReason())
            .toList());

    BronzeFiles.Split<BronzeRecord> tooBig =
        small.split(landedFile("pi5-l_2.jsonl", twoLines + " "), "r");
    assertEquals(FileStatus.QUARANTINED, tooBig.ledger().status());
    assertEquals(
        "the file is 60 bytes, over the limit of 59 bytes a file (--max-file-bytes)",
        tooBig.failures().get(0).getReason());

    String huge = "{\"transaction_id\":\"h1\",\"note\":\"" + "x".repeat(20_000_001) + "\"}";
    BronzeFiles.Split<BronzeRecord> roomy =
        EdgeSchema.BRONZE_FILES
            .withLimits(FileLimits.defaults().withMaxRecordBytes(32L * 1024 * 1024))
            .split(landedFile("pi5-h_1.json", huge), "r");
    assertEquals(List.of(), roomy.failures());
    assertEquals(1, roomy.records().size());
  }

  /** The reason of a {@link #QUARANTINE} row. */
  private static String reasonOf(String quarantineRow) {
    return quarantineRow.split("\\|", 4)[3];
  }

  @Test
  public void quarantineRowsFromBeforeTheChecksumGetTheChecksumOfTheirFile() throws Exception {
    land("pi5-o_1.json", THREE_SALES);
    ingest(EdgeSchema.BRONZE_FILES, "run-1");
    String path = landing.resolve("pi5-o_1.json").toString();
    String secondRecord =
        TestDatabase.rows("SELECT id FROM bronze.edge_raw WHERE record_index = 1").get(0);
    // Rows as the quarantine held them before V8: no checksum ('').
    TestDatabase.execute(
        "INSERT INTO ops.quarantine (pipeline, layer, source, record_index, record_key, reason, error_class)"
            + " VALUES ('edge', 'bronze', '"
            + path
            + "', 7, NULL, 'line 8 is not a JSON object', 'malformed_record'),"
            + " ('edge', 'silver', '"
            + path
            + "', 1, '"
            + secondRecord
            + "', 'amount is missing or empty', 'missing_field'),"
            + " ('band', 'bronze', 'setlists/showdate/2024-06-18.json', -1, NULL, 'HTTP 500', 'request_failed')");

    TestDatabase.execute(migration("db/migration/V8__quarantine_rows_per_upload.sql"));

    String checksum = Checksums.md5Hex(THREE_SALES.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        List.of("band|bronze|", "edge|bronze|" + checksum, "edge|silver|" + checksum),
        TestDatabase.rows(
            "SELECT pipeline || '|' || layer || '|' || source_checksum FROM ops.quarantine ORDER BY 1"));
  }

  private static String migration(String resource) throws IOException {
    try (InputStream in =
        EdgeFileIngestionTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package dev.medallion.transforms.edge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.LandedFile;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.ingest.SplitFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.Rule;
import org.junit.Test;

public class ToBronzeTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String PREFIX = "landing/";
  private static final long JUNE_18 = Instant.parse("2024-06-18T10:30:00Z").toEpochMilli();
  private static final long JUNE_19 = Instant.parse("2024-06-19T00:00:00Z").toEpochMilli();

  // A JSON array: two objects and one value that is not an object.
  private static final String ARRAY_NAME = "pi5-arr_20240618T103000Z.json";
  private static final String ARRAY_TEXT =
      "[\n"
          + "  {\"transaction_id\": \"a1\", \"device_id\": \"pi5-x\", \"amount\": 10.5},\n"
          + "  {\"transaction_id\": \"a2\", \"amount\": \"2.50\"},\n"
          + "  42\n"
          + "]\n";

  // JSON lines whose second line is cut off.
  private static final String LINES_NAME = "pi5-lines_20240618T110000Z.jsonl";
  private static final String LINES_TEXT =
      "{\"transaction_id\":\"l1\",\"amount\":1}\n"
          + "{\"transaction_id\":\"l2\",\"amount\":\n"
          + "{\"transaction_id\":\"l3\",\"amount\":3}\n";

  // CSV with a UTF-8 byte-order mark and CRLF line ends.
  private static final String CSV_NAME = "pi5-csv_20240618T120000Z.csv";
  private static final String CSV_TEXT =
      "\uFEFFtransaction_id,store_id,amount\r\nc1,s1,5.00\r\nc2,s1,6.50\r\n";

  // A JSON array cut off mid-record: unreadable as a whole.
  private static final String TRUNCATED_NAME = "pi5-trunc_20240619T000000Z.json";
  private static final String TRUNCATED_TEXT =
      "[{\"transaction_id\":\"t1\",\"amount\":1},{\"transaction_id\":\"t2\",\"am";

  private static final String EMPTY_NAME = "pi5-empty_20240618T140000Z.json";

  private static LandedFile file(String name, String text, long landedAt) {
    return LandedFile.create(PREFIX, name, text.getBytes(StandardCharsets.UTF_8), landedAt);
  }

  /**
   * The record the edge split must make: the id comes from BronzeRecord.create(checksum, index).
   */
  private static BronzeRecord expected(LandedFile file, String deviceId, int index, String json) {
    return BronzeRecord.create(
        deviceId,
        file.name(),
        file.path(),
        index,
        json,
        file.sizeBytes(),
        file.checksum(),
        file.landedAtMillis(),
        0L);
  }

  /** The edge pipeline's instance of the file skeleton's split. */
  private static final SplitFiles<BronzeRecord> TO_BRONZE =
      SplitFiles.into(EdgeSchema.BRONZE_FILES, "run-1");

  private static final TupleTag<BronzeRecord> RECORDS = TO_BRONZE.records();

  private static PCollectionTuple run(TestPipeline pipeline, LandedFile... files) {
    return pipeline
        .apply(Create.of(List.of(files)).withCoder(SerializableCoder.of(LandedFile.class)))
        .apply(TO_BRONZE);
  }

  @Test
  public void splitsFilesIntoRecordsFailuresAndMoves() {
    LandedFile array = file(ARRAY_NAME, ARRAY_TEXT, JUNE_18);
    LandedFile lines = file(LINES_NAME, LINES_TEXT, JUNE_18);
    LandedFile csv = file(CSV_NAME, CSV_TEXT, JUNE_18);
    LandedFile truncated = file(TRUNCATED_NAME, TRUNCATED_TEXT, JUNE_19);
    LandedFile empty = file(EMPTY_NAME, "", JUNE_18);

    PCollectionTuple out = run(p, array, lines, csv, truncated, empty);

    PAssert.that(out.get(RECORDS))
        .containsInAnyOrder(
            // Array elements 0 and 1, written back compactly. a1 names its device; a2 does not, so
            // the
            // device is the file-name prefix before '_': "pi5-arr".
            expected(
                array,
                "pi5-x",
                0,
                "{\"transaction_id\":\"a1\",\"device_id\":\"pi5-x\",\"amount\":10.5}"),
            expected(array, "pi5-arr", 1, "{\"transaction_id\":\"a2\",\"amount\":\"2.50\"}"),
            // JSON lines 0 and 2 (line 1 is broken); device "pi5-lines".
            expected(lines, "pi5-lines", 0, "{\"transaction_id\":\"l1\",\"amount\":1}"),
            expected(lines, "pi5-lines", 2, "{\"transaction_id\":\"l3\",\"amount\":3}"),
            // CSV rows 0 and 1: the BOM is not part of the first header, cells stay text; device
            // "pi5-csv".
            expected(
                csv,
                "pi5-csv",
                0,
                "{\"transaction_id\":\"c1\",\"store_id\":\"s1\",\"amount\":\"5.00\"}"),
            expected(
                csv,
                "pi5-csv",
                1,
                "{\"transaction_id\":\"c2\",\"store_id\":\"s1\",\"amount\":\"6.50\"}"));

    PAssert.that(out.get(SplitFiles.FAILURES)).satisfies(ToBronzeTest::checkFailures);

    PAssert.that(out.get(SplitFiles.MOVES))
        .containsInAnyOrder(
            List.of(
                // Readable files (even with bad records) go to processed/<landed day>/.
                KV.of(
                    "landing/pi5-arr_20240618T103000Z.json",
                    "landing/processed/20240618/pi5-arr_20240618T103000Z.json"),
                KV.of(
                    "landing/pi5-lines_20240618T110000Z.jsonl",
                    "landing/processed/20240618/pi5-lines_20240618T110000Z.jsonl"),
                KV.of(
                    "landing/pi5-csv_20240618T120000Z.csv",
                    "landing/processed/20240618/pi5-csv_20240618T120000Z.csv"),
                // Unreadable files go to quarantine/<landed day>/: the truncated one landed on
                // 2024-06-19.
                KV.of(
                    "landing/pi5-trunc_20240619T000000Z.json",
                    "landing/quarantine/20240619/pi5-trunc_20240619T000000Z.json"),
                KV.of(
                    "landing/pi5-empty_20240618T140000Z.json",
                    "landing/quarantine/20240618/pi5-empty_20240618T140000Z.json")));

    p.run().waitUntilFinish();
  }

  private static Void checkFailures(Iterable<QuarantinedRecord> failures) {
    List<QuarantinedRecord> sorted = new ArrayList<>();
    failures.forEach(sorted::add);
    sorted.sort(
        Comparator.comparing(QuarantinedRecord::getSource)
            .thenComparingInt(QuarantinedRecord::getRecordIndex));
    // Four failures, by path: arr (element 3), empty (whole file), lines (line index 1), trunc
    // (whole file).
    assertEquals(sorted.toString(), 4, sorted.size());

    QuarantinedRecord notAnObject = sorted.get(0);
    assertEquals("bronze", notAnObject.getLayer());
    assertEquals("landing/" + ARRAY_NAME, notAnObject.getSource());
    assertEquals(2, notAnObject.getRecordIndex()); // [a1, a2, 42]: 42 is element 2
    assertEquals("42", notAnObject.getPayload());
    assertEquals("record is a JSON number, not an object", notAnObject.getReason());
    assertNull(notAnObject.getRecordKey());
    assertEquals(ErrorClass.MALFORMED_RECORD, notAnObject.errorClass());

    QuarantinedRecord empty = sorted.get(1);
    assertEquals(
        QuarantinedRecord.of(
                Layer.BRONZE,
                ErrorClass.MALFORMED_FILE,
                "landing/" + EMPTY_NAME,
                -1,
                null,
                "",
                "file is empty")
            // The MD5 of no bytes.
            .withSourceChecksum("d41d8cd98f00b204e9800998ecf8427e"),
        empty);

    QuarantinedRecord brokenLine = sorted.get(2);
    assertEquals("bronze", brokenLine.getLayer());
    assertEquals("landing/" + LINES_NAME, brokenLine.getSource());
    assertEquals(1, brokenLine.getRecordIndex()); // the second line, 0-based
    assertEquals("{\"transaction_id\":\"l2\",\"amount\":", brokenLine.getPayload());
    assertThat(
        brokenLine.getReason(), startsWith("malformed JSON on line 2")); // 1-based for people
    assertNull(brokenLine.getRecordKey());

    QuarantinedRecord truncated = sorted.get(3);
    assertEquals("bronze", truncated.getLayer());
    assertEquals("landing/" + TRUNCATED_NAME, truncated.getSource());
    assertEquals(QuarantinedRecord.WHOLE_SOURCE, truncated.getRecordIndex());
    assertEquals(-1, truncated.getRecordIndex());
    assertEquals(TRUNCATED_TEXT, truncated.getPayload()); // the whole file is kept
    assertThat(truncated.getReason(), containsString("malformed JSON"));
    assertNull(truncated.getRecordKey());
    assertEquals(ErrorClass.MALFORMED_FILE, truncated.errorClass());
    return null;
  }

  @Test
  public void deviceIdFallsBackToTheFileNamePrefix() {
    String text =
        "{\"transaction_id\":\"d1\",\"device_id\":\"  pi5-y  \"}\n"
            + "{\"transaction_id\":\"d2\",\"device_id\":\"   \"}\n"
            + "{\"transaction_id\":\"d3\",\"device_id\":null}\n"
            + "{\"transaction_id\":\"d4\",\"device_id\":{\"id\":\"pi5-z\"}}\n";
    LandedFile named = file("pi5-dev_20240618T100000Z.jsonl", text, JUNE_18);
    LandedFile unnamed = file("nounderscore.json", "{\"transaction_id\":\"d5\"}", JUNE_18);
    LandedFile leadingUnderscore = file("_x.json", "{\"transaction_id\":\"d6\"}", JUNE_18);

    PCollectionTuple out = run(p, named, unnamed, leadingUnderscore);

    PAssert.that(out.get(RECORDS))
        .containsInAnyOrder(
            expected(
                named,
                "pi5-y",
                0,
                "{\"transaction_id\":\"d1\",\"device_id\":\"  pi5-y  \"}"), // stripped
            expected(
                named,
                "pi5-dev",
                1,
                "{\"transaction_id\":\"d2\",\"device_id\":\"   \"}"), // blank -> prefix
            expected(
                named,
                "pi5-dev",
                2,
                "{\"transaction_id\":\"d3\",\"device_id\":null}"), // JSON null -> prefix
            expected(
                named,
                "pi5-dev",
                3,
                "{\"transaction_id\":\"d4\",\"device_id\":{\"id\":\"pi5-z\"}}"), // object -> prefix
            expected(unnamed, "unknown", 0, "{\"transaction_id\":\"d5\"}"), // no '_' in the name
            expected(
                leadingUnderscore, "unknown", 0, "{\"transaction_id\":\"d6\"}")); // empty prefix
    PAssert.that(out.get(SplitFiles.FAILURES)).empty();
    PAssert.that(out.get(SplitFiles.MOVES))
        .containsInAnyOrder(
            List.of(
                KV.of(
                    "landing/pi5-dev_20240618T100000Z.jsonl",
                    "landing/processed/20240618/pi5-dev_20240618T100000Z.jsonl"),
                KV.of("landing/nounderscore.json", "landing/processed/20240618/nounderscore.json"),
                KV.of("landing/_x.json", "landing/processed/20240618/_x.json")));

    p.run().waitUntilFinish();
  }

  @Test
  public void recordIdsAreDeterministicPerChecksumAndIndex() {
    // The same bytes landed under two names share a checksum, so record 0 of each gets one id.
    String json = "{\"transaction_id\":\"x1\"}";
    BronzeRecord first = expected(file("a_1.json", json, JUNE_18), "a", 0, json);
    BronzeRecord second = expected(file("b_2.json", json, JUNE_19), "b", 0, json);
    assertEquals(first.getId(), second.getId());
    assertEquals(36, first.getId().length()); // a UUID in its 8-4-4-4-12 text form
  }
}

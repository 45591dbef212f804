package dev.medallion.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.Test;

public class RecordReadersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TRUNCATED_FIXTURE =
      "fixtures/supabase/objects/scout/v1/bronze/pi5-store014-01_20240618T103000Z.json";

  private static ParsedFile parse(String name, String text) {
    return RecordReaders.standard().read(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(ParsedFile.Record record) throws IOException {
    return MAPPER.readTree(record.json());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = RecordReadersTest.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull("missing test resource " + path, in);
      return in.readAllBytes();
    }
  }

  @Test
  public void jsonArrayYieldsOneRecordPerObjectInOrder() throws IOException {
    ParsedFile parsed =
        parse(
            "batch.json",
            "[\n"
                + "  {\"device_id\": \"pi5-a\", \"amount\": 18.40, \"paid\": true, \"tags\": [\"x\"]},\n"
                + "  {\"device_id\": \"pi5-b\", \"amount\": 4.25, \"note\": null}\n"
                + "]\n");

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(2, parsed.records().size());

    ParsedFile.Record first = parsed.records().get(0);
    assertEquals(0, first.index());
    JsonNode a = json(first);
    assertEquals(List.of("device_id", "amount", "paid", "tags"), fieldNames(a));
    assertEquals("pi5-a", a.get("device_id").textValue());
    assertTrue(a.get("amount").isNumber());
    assertEquals("18.4", a.get("amount").decimalValue().stripTrailingZeros().toPlainString());
    assertTrue(a.get("paid").booleanValue());
    assertEquals(1, a.get("tags").size());
    assertEquals("x", a.get("tags").get(0).textValue());

    ParsedFile.Record second = parsed.records().get(1);
    assertEquals(1, second.index());
    JsonNode b = json(second);
    assertEquals(List.of("device_id", "amount", "note"), fieldNames(b));
    assertEquals("pi5-b", b.get("device_id").textValue());
    assertEquals(4.25, b.get("amount").doubleValue(), 0.0);
    assertTrue(b.get("note").isNull());
  }

  @Test
  public void goodFixtureFileParsesToItsThreeTransactions() throws IOException {
    ParsedFile parsed =
        RecordReaders.standard()
            .read(
                "pi5-store014-01_20240618T101500Z.json",
                resource(
                    "fixtures/supabase/objects/scout/v1/bronze/pi5-store014-01_20240618T101500Z.json"));

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(3, parsed.records().size());
    String[] ids = {"TX-014-20240618-000231", "TX-014-20240618-000232", "TX-014-20240618-000233"};
    String[] methods = {"card", "cash", "mobile"};
    double[] amounts = {18.40, 4.25, 61.99};
    for (int i = 0; i < 3; i++) {
      ParsedFile.Record record = parsed.records().get(i);
      assertEquals(i, record.index());
      JsonNode node = json(record);
      assertEquals("pi5-store014-01", node.get("device_id").textValue());
      assertEquals(ids[i], node.get("transaction_id").textValue());
      assertEquals("STORE-014", node.get("store_id").textValue());
      assertEquals("USD", node.get("currency").textValue());
      assertEquals(methods[i], node.get("payment_method").textValue());
      assertEquals(amounts[i], node.get("amount").doubleValue(), 0.0);
    }
  }

  @Test
  public void singleObjectIsOneRecord() throws IOException {
    ParsedFile parsed =
        parse("one.json", "  {\"device_id\": \"pi5-a\", \"nested\": {\"k\": 1}}  \n");

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(1, parsed.records().size());
    assertEquals(0, parsed.records().get(0).index());
    JsonNode node = json(parsed.records().get(0));
    assertEquals(List.of("device_id", "nested"), fieldNames(node));
    assertEquals("pi5-a", node.get("device_id").textValue());
    assertEquals(1, node.get("nested").get("k").intValue());
  }

  @Test
  public void jsonLinesAllGoodYieldsEveryLine() throws IOException {
    ParsedFile parsed = parse("lines.jsonl", "{\"n\": 1}\n{\"n\": 2}\r\n{\"n\": 3}\n");

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(3, parsed.records().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, parsed.records().get(i).index());
      assertEquals(i + 1, json(parsed.records().get(i)).get("n").intValue());
    }
  }

  @Test
  public void jsonLinesWithOneBadLineKeepTheGoodLines() throws IOException {
    String badLine = "{\"device_id\": \"pi5-b\", \"amount\": ";
    ParsedFile parsed =
        parse(
            "lines.jsonl",
            "{\"device_id\": \"pi5-a\", \"amount\": 1.5}\n"
                + badLine
                + "\n"
                + "{\"device_id\": \"pi5-c\", \"amount\": 3}\n");

    assertNull(parsed.fileError());
    assertEquals(2, parsed.records().size());
    assertEquals(0, parsed.records().get(0).index());
    JsonNode a = json(parsed.records().get(0));
    assertEquals("pi5-a", a.get("device_id").textValue());
    assertEquals(1.5, a.get("amount").doubleValue(), 0.0);
    assertEquals(2, parsed.records().get(1).index());
    JsonNode c = json(parsed.records().get(1));
    assertEquals("pi5-c", c.get("device_id").textValue());
    assertEquals(3, c.get("amount").intValue());

    assertEquals(1, parsed.badRecords().size());
    ParsedFile.BadRecord bad = parsed.badRecords().get(0);
    assertEquals(1, bad.index());
    assertEquals(badLine.strip(), bad.raw());
    assertThat(bad.reason(), startsWith("malformed JSON on line 2: "));
  }

  @Test
  public void jsonLinesWithANonObjectLineReportIt() throws IOException {
    ParsedFile parsed = parse("lines.ndjson", "{\"n\": 1}\n{\"n\": \n42\n");

    assertNull(parsed.fileError());
    assertEquals(1, parsed.records().size());
    assertEquals(1, json(parsed.records().get(0)).get("n").intValue());
    assertEquals(2, parsed.badRecords().size());
    assertEquals(1, parsed.badRecords().get(0).index());
    assertThat(parsed.badRecords().get(0).reason(), startsWith("malformed JSON on line 2"));
    assertEquals(2, parsed.badRecords().get(1).index());
    assertEquals("42", parsed.badRecords().get(1).raw());
    assertEquals("line 3 is not a JSON object", parsed.badRecords().get(1).reason());
  }

  @Test
  public void truncatedJsonArrayIsAFileErrorWithItsPosition() throws IOException {
    byte[] content = resource(TRUNCATED_FIXTURE);
    ParsedFile parsed =
        RecordReaders.standard().read("pi5-store014-01_20240618T103000Z.json", content);

    assertNotNull(parsed.fileError());
    assertThat(parsed.fileError(), startsWith("malformed JSON "));
    assertThat(
        parsed.fileError(), matchesPattern("(?s)malformed JSON at line \\d+, column \\d+: .+"));
    // The file ends inside the second object on its fourth line.
    assertThat(parsed.fileError(), containsString("at line 4, column "));
    assertEquals(List.of(), parsed.records());
    assertEquals(List.of(), parsed.badRecords());
  }

  @Test
  public void emptyFileIsAFileError() {
    ParsedFile parsed = RecordReaders.standard().read("empty.json", new byte[0]);
    assertEquals("file is empty", parsed.fileError());
    assertEquals(List.of(), parsed.records());
    assertEquals(List.of(), parsed.badRecords());
  }

  @Test
  public void whitespaceOnlyFileIsAFileError() {
    ParsedFile json = parse("blank.json", "  \r\n\t \n");
    assertEquals("file is empty", json.fileError());
    assertEquals(List.of(), json.records());

    ParsedFile csv = parse("blank.csv", "\n\n   \n");
    assertEquals("file is empty", csv.fileError());
    assertEquals(List.of(), csv.records());

    ParsedFile bomOnly =
        RecordReaders.standard()
            .read("bom.csv", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n'});
    assertEquals("file is empty", bomOnly.fileError());
  }

  @Test
  public void arrayWithANonObjectMakesOnlyThatElementBad() throws IOException {
    ParsedFile parsed = parse("mixed.json", "[{\"n\": 1}, 42, \"text\", {\"n\": 2}]");

    assertNull(parsed.fileError());
    assertEquals(2, parsed.records().size());
    assertEquals(0, parsed.records().get(0).index());
    assertEquals(1, json(parsed.records().get(0)).get("n").intValue());
    assertEquals(3, parsed.records().get(1).index());
    assertEquals(2, json(parsed.records().get(1)).get("n").intValue());

    assertEquals(2, parsed.badRecords().size());
    assertEquals(
        new ParsedFile.BadRecord(1, "42", "record is a JSON number, not an object"),
        parsed.badRecords().get(0));
    assertEquals(
        new ParsedFile.BadRecord(2, "\"text\"", "record is a JSON string, not an object"),
        parsed.badRecords().get(1));
  }

  @Test
  public void topLevelScalarIsABadRecord() {
    ParsedFile parsed = parse("scalar.json", "true");
    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.records());
    assertEquals(
        List.of(new ParsedFile.BadRecord(0, "true", "record is a JSON boolean, not an object")),
        parsed.badRecords());
  }

  @Test
  public void csvWithHeaderBecomesObjectsOfStrings() throws IOException {
    ParsedFile parsed =
        RecordReaders.standard()
            .read(
                "pi5-store022-02_20240618T101700Z.csv",
                resource(
                    "fixtures/supabase/objects/scout/v1/bronze/pi5-store022-02_20240618T101700Z.csv"));

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(3, parsed.records().size());
    List<String> header =
        List.of(
            "device_id",
            "transaction_id",
            "store_id",
            "timestamp",
            "amount",
            "currency",
            "payment_method");
    String[][] expected = {
      {
        "pi5-store022-02",
        "TX-022-20240618-001107",
        "STORE-022",
        "2024-06-18T10:03:40Z",
        "7.50",
        "USD",
        "cash"
      },
      {
        "pi5-store022-02",
        "TX-022-20240618-001108",
        "STORE-022",
        "2024-06-18T10:09:12Z",
        "23.10",
        "USD",
        "card"
      },
      {
        "pi5-store022-02",
        "TX-022-20240618-001109",
        "STORE-022",
        "2024-06-18T10:16:55Z",
        "",
        "USD",
        "card"
      },
    };
    for (int i = 0; i < expected.length; i++) {
      ParsedFile.Record record = parsed.records().get(i);
      assertEquals(i, record.index());
      JsonNode node = json(record);
      assertEquals(header, fieldNames(node));
      for (int f = 0; f < header.size(); f++) {
        assertTrue(header.get(f) + " must stay a string", node.get(header.get(f)).isTextual());
        assertEquals(
            "row " + i + " " + header.get(f), expected[i][f], node.get(header.get(f)).textValue());
      }
    }
  }

  @Test
  public void csvWithEmptyAmountKeepsTheRecordWithAnEmptyString() throws IOException {
    ParsedFile parsed = parse("t.csv", "device_id,amount,currency\npi5-a,,USD\n");

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(1, parsed.records().size());
    JsonNode node = json(parsed.records().get(0));
    assertEquals("pi5-a", node.get("device_id").textValue());
    assertTrue(node.get("amount").isTextual());
    assertEquals("", node.get("amount").textValue());
    assertEquals("USD", node.get("currency").textValue());
  }

  @Test
  public void csvWithByteOrderMarkAndCrlfHasCleanHeaderAndValues() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body =
        ("device_id,transaction_id,amount,currency\r\n"
                + "pi5-a,TX-1,7.50,USD\r\n"
                + "pi5-b,TX-2,23.10,EUR\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, content, 0, bom.length);
    System.arraycopy(body, 0, content, bom.length, body.length);

    ParsedFile parsed = RecordReaders.standard().read("BOM.CSV", content);

    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.badRecords());
    assertEquals(2, parsed.records().size());
    String[][] expected = {{"pi5-a", "TX-1", "7.50", "USD"}, {"pi5-b", "TX-2", "23.10", "EUR"}};
    for (int i = 0; i < 2; i++) {
      ParsedFile.Record record = parsed.records().get(i);
      assertEquals(i, record.index());
      assertThat(record.json(), not(containsString("\\r")));
      assertThat(record.json(), not(containsString("\r")));
      assertThat(record.json(), not(containsString("\uFEFF")));
      assertThat(record.json(), not(containsString("\\uFEFF")));
      JsonNode node = json(record);
      List<String> names = fieldNames(node);
      assertEquals("device_id", names.get(0));
      assertEquals(List.of("device_id", "transaction_id", "amount", "currency"), names);
      assertEquals(expected[i][0], node.get("device_id").textValue());
      assertEquals(expected[i][1], node.get("transaction_id").textValue());
      assertEquals(expected[i][2], node.get("amount").textValue());
      assertEquals(expected[i][3], node.get("currency").textValue());
      node.fields()
          .forEachRemaining(
              e -> {
                assertFalse(e.getValue().textValue().contains("\r"));
                assertFalse(e.getValue().textValue().contains("\uFEFF"));
              });
    }
  }

  @Test
  public void csvRowWithTooFewFieldsIsABadRecordNamingRowAndCounts() throws IOException {
    ParsedFile parsed =
        parse(
            "short.csv",
            "device_id,transaction_id,amount\n"
                + "pi5-a,TX-1,7.50\n"
                + "pi5-b,TX-2\n"
                + "pi5-c,TX-3,1.00\n");

    assertNull(parsed.fileError());
    assertEquals(2, parsed.records().size());
    assertEquals(0, parsed.records().get(0).index());
    assertEquals("TX-1", json(parsed.records().get(0)).get("transaction_id").textValue());
    assertEquals(2, parsed.records().get(1).index());
    assertEquals("TX-3", json(parsed.records().get(1)).get("transaction_id").textValue());

    assertEquals(1, parsed.badRecords().size());
    ParsedFile.BadRecord bad = parsed.badRecords().get(0);
    assertEquals(1, bad.index());
    assertEquals("pi5-b,TX-2", bad.raw());
    // Row numbers count lines of the file: the header is row 1, so "pi5-b" is row 3.
    assertEquals("CSV row 3 has 2 fields but the header has 3", bad.reason());
  }

  @Test
  public void csvWithOnlyAHeaderHasNoRecords() {
    ParsedFile parsed = parse("header.csv", "device_id,amount\n");
    assertNull(parsed.fileError());
    assertEquals(List.of(), parsed.records());
    assertEquals(List.of(), parsed.badRecords());
  }

  @Test
  public void csvWithDuplicateHeaderIsAFileErrorRatherThanLosingAColumn() {
    ParsedFile parsed = parse("dup.csv", "amount,amount\n1,2\n");
    assertNotNull(parsed.fileError());
    assertThat(parsed.fileError(), startsWith("malformed CSV: "));
    assertThat(parsed.fileError(), containsString("amount"));
    assertEquals(List.of(), parsed.records());
    assertEquals(List.of(), parsed.badRecords());
  }

  @Test
  public void csvWithAnUnbalancedQuoteIsAFileErrorNamingTheLineInsteadOfAFailure() {
    ParsedFile parsed =
        parse(
            "quote.csv", "transaction_id,store_id,amount\nT1,S1,1.00\nT2,\"S2,2.00\nT3,S3,3.00\n");
    assertEquals(
        "malformed CSV: the quoted field that opens on line 3 is never closed (unbalanced quote)",
        parsed.fileError());
    assertEquals(List.of(), parsed.records());
  }

  @Test
  public void textThatIsNotUtf8IsAFileErrorWithTheByteAndItsOffset() {
    byte[] latin1 = "store_id,name\nS1,Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    // "store_id,name\n" is 14 bytes, "S1,Caf" 6 more: the 0xE9 of the e-acute is byte 20.
    assertEquals(
        "not valid UTF-8: byte 0xE9 at offset 20",
        RecordReaders.standard().read("cafe.csv", latin1).fileError());
    assertEquals(
        "not valid UTF-8: byte 0xE9 at offset 9",
        RecordReaders.standard()
            .read("cafe.json", "{\"n\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))
            .fileError());
  }

  @Test
  public void aReplacementCharacterTheFileReallyHoldsIsText() throws IOException {
    String withReplacement = "store_id,name\nS1,\uFFFD unknown\n" + "x,y\n".repeat(5000);
    ParsedFile parsed =
        RecordReaders.standard()
            .read("marked.csv", withReplacement.getBytes(StandardCharsets.UTF_8));
    assertNull(parsed.fileError());
    assertEquals("\uFFFD unknown", json(parsed.records().get(0)).get("name").textValue());
    assertEquals(5001, parsed.records().size());
  }

  @Test
  public void aCsvReaderGivenACharsetReadsThatCharset() throws IOException {
    byte[] latin1 = "store_id,name\nS1,Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    ParsedFile parsed = new CsvRecordReader().withCharset(StandardCharsets.ISO_8859_1).read(latin1);
    assertNull(parsed.fileError());
    assertEquals("Caf\u00e9", json(parsed.records().get(0)).get("name").textValue());
  }

  @Test
  public void utf16TextIsAFileErrorThatSaysSo() {
    byte[] utf16 = "\uFEFFstore_id\nS1\n".getBytes(StandardCharsets.UTF_16BE);
    assertEquals(
        "the file is UTF-16 text (it starts with the byte-order mark FE FF); save it as UTF-8",
        RecordReaders.standard().read("wide.csv", utf16).fileError());
  }

  @Test
  public void aCsvWhoseFirstLineLacksTheRequiredColumnsIsAMissingHeader() throws IOException {
    CsvRecordReader reader = new CsvRecordReader().requiring("transaction_id", "store_id");
    ParsedFile headerless =
        reader.read("T1,S1,1.00\nT2,S2,2.00\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "missing header: the first line (T1,S1,1.00) lacks the column transaction_id, store_id",
        headerless.fileError());

    ParsedFile withHeader =
        reader.read("store_id,transaction_id\nS1,T1\n".getBytes(StandardCharsets.UTF_8));
    assertNull(withHeader.fileError());
    assertEquals("T1", json(withHeader.records().get(0)).get("transaction_id").textValue());
  }

  @Test
  public void aReaderRegisteredForAnExtensionReadsThoseFilesAndOnlyThose() {
    // Tab-separated "id<TAB>amount" lines, one record each: a format the standard readers do not
    // take.
    RecordReader tsv =
        content -> {
          java.util.List<ParsedFile.Record> records = new java.util.ArrayList<>();
          String[] lines = RecordReader.text(content).split("\n");
          for (int i = 0; i < lines.length; i++) {
            String[] cells = lines[i].split("\t");
            records.add(
                new ParsedFile.Record(
                    i, "{\"id\":\"" + cells[0] + "\",\"amount\":\"" + cells[1] + "\"}"));
          }
          return ParsedFile.of(records, java.util.List.of());
        };
    byte[] content = "a1\t2.50\na2\t3.00".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    RecordReaders standard = RecordReaders.standard();
    RecordReaders withTsv = standard.with(".TSV", tsv);

    ParsedFile unread = standard.read("sales.tsv", content);
    assertEquals(
        "no record reader for sales.tsv (readers: csv, json, jsonl, ndjson)", unread.fileError());
    ParsedFile read = withTsv.read("SALES.tsv", content);
    assertNull(read.fileError());
    assertEquals(
        java.util.List.of(
            new ParsedFile.Record(0, "{\"id\":\"a1\",\"amount\":\"2.50\"}"),
            new ParsedFile.Record(1, "{\"id\":\"a2\",\"amount\":\"3.00\"}")),
        read.records());
    assertEquals(java.util.Set.of("csv", "json", "jsonl", "ndjson", "tsv"), withTsv.extensions());
    // The registry it came from is unchanged, and the standard formats still read as before.
    assertEquals(java.util.Set.of("csv", "json", "jsonl", "ndjson"), standard.extensions());
    assertEquals(
        1,
        withTsv
            .read("a.csv", "x\n1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .records()
            .size());
    assertThrows(IllegalArgumentException.class, () -> standard.with("", tsv));
    assertThrows(IllegalArgumentException.class, () -> standard.with("x/y", tsv));
  }
}

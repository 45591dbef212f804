package dev.medallion.io.files;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON records: a single object, an array of objects, or one object per line (JSON lines, where one
 * bad line does not cost the others). A UTF-8 byte-order mark and CRLF line ends are accepted.
 */
public final class JsonRecordReader implements RecordReader {
  private static final long serialVersionUID = 1L;

  private static final ObjectMapper MAPPER = dev.medallion.core.RecordJson.mapper();

  @Override
  public ParsedFile read(byte[] content) {
    return RecordReader.readText(content, StandardCharsets.UTF_8, JsonRecordReader::parseJson);
  }

  private static ParsedFile parseJson(String text) {
    String trimmed = text.strip();
    try {
      if (trimmed.startsWith("[")) {
        return fromArray(MAPPER.readTree(trimmed));
      }
      return fromValues(readAllValues(trimmed));
    } catch (JsonProcessingException e) {
      if (trimmed.startsWith("{") && firstLineIsObject(trimmed)) {
        return parseJsonLines(trimmed);
      }
      return ParsedFile.unreadable("malformed JSON " + describe(e));
    } catch (IOException e) {
      return ParsedFile.unreadable("unreadable JSON: " + e.getMessage());
    }
  }

  private static List<JsonNode> readAllValues(String text) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    try (MappingIterator<JsonNode> iterator = MAPPER.readerFor(JsonNode.class).readValues(text)) {
      while (iterator.hasNextValue()) {
        values.add(iterator.nextValue());
      }
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException) {
        throw (JsonProcessingException) e.getCause();
      }
      throw e;
    }
    return values;
  }

  private static ParsedFile fromArray(JsonNode array) {
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    return fromValues(elements);
  }

  private static ParsedFile fromValues(List<JsonNode> values) {
    List<ParsedFile.Record> records = new ArrayList<>();
    List<ParsedFile.BadRecord> bad = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      JsonNode value = values.get(i);
      if (value.isObject()) {
        records.add(new ParsedFile.Record(i, value.toString()));
      } else {
        bad.add(
            new ParsedFile.BadRecord(
                i,
                value.toString(),
                "record is a JSON "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an object"));
      }
    }
    return ParsedFile.of(records, bad);
  }

  private static boolean firstLineIsObject(String text) {
    int end = text.indexOf('\n');
    String firstLine = (end < 0 ? text : text.substring(0, end)).strip();
    try {
      return MAPPER.readTree(firstLine).isObject();
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** JSON lines: one object per line, so one bad line does not cost the others. */
  private static ParsedFile parseJsonLines(String text) {
    List<ParsedFile.Record> records = new ArrayList<>();
    List<ParsedFile.BadRecord> bad = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int lineNumber = 0; lineNumber < lines.length; lineNumber++) {
      String line = lines[lineNumber].strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        JsonNode value = MAPPER.readTree(line);
        if (value.isObject()) {
          records.add(new ParsedFile.Record(lineNumber, value.toString()));
        } else {
          bad.add(
              new ParsedFile.BadRecord(
                  lineNumber, line, "line " + (lineNumber + 1) + " is not a JSON object"));
        }
      } catch (JsonProcessingException e) {
        bad.add(
            new ParsedFile.BadRecord(
                lineNumber,
                line,
                "malformed JSON on line " + (lineNumber + 1) + ": " + e.getOriginalMessage()));
      }
    }
    return ParsedFile.of(records, bad);
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String where =
        location == null
            ? ""
            : "at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    return where + e.getOriginalMessage();
  }
}

package dev.medallion.io.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/** CSV with a header row: each row becomes a JSON object of text cells keyed by the header. */
public final class CsvRecordReader implements RecordReader {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public ParsedFile read(byte[] content) {
    String text = RecordReader.text(content);
    if (text.isBlank()) {
      return ParsedFile.unreadable("file is empty");
    }
    return parseCsv(text);
  }

  private static ParsedFile parseCsv(String text) {
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            // Two columns with one name would silently lose one column's values in the JSON object.
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .build();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty() || header.stream().allMatch(String::isBlank)) {
        return ParsedFile.unreadable("CSV has no header row");
      }
      List<ParsedFile.Record> records = new ArrayList<>();
      List<ParsedFile.BadRecord> bad = new ArrayList<>();
      int index = 0;
      for (CSVRecord row : parser) {
        if (row.size() != header.size()) {
          bad.add(
              new ParsedFile.BadRecord(
                  index,
                  String.join(",", row.toList()),
                  "CSV row "
                      + (row.getRecordNumber() + 1)
                      + " has "
                      + row.size()
                      + " fields but the header has "
                      + header.size()));
        } else {
          ObjectNode object = MAPPER.createObjectNode();
          for (Map.Entry<String, String> cell : row.toMap().entrySet()) {
            object.put(cell.getKey(), cell.getValue());
          }
          records.add(new ParsedFile.Record(index, object.toString()));
        }
        index++;
      }
      return ParsedFile.of(records, bad);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      return ParsedFile.unreadable("malformed CSV: " + e.getMessage());
    }
  }
}

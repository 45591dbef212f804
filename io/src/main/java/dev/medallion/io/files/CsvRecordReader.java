package dev.medallion.io.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * CSV with a header row: each row becomes a JSON object of text cells keyed by the header. The text
 * is UTF-8 unless {@link #withCharset} names another; with {@link #requiring} a first line that
 * lacks those column names is taken for a missing header (the file is refused, rather than its
 * first record silently becoming the header).
 */
public final class CsvRecordReader implements RecordReader {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");

  private final String charset;
  private final List<String> requiredColumns;

  public CsvRecordReader() {
    this(StandardCharsets.UTF_8.name(), List.of());
  }

  private CsvRecordReader(String charset, List<String> requiredColumns) {
    this.charset = charset;
    this.requiredColumns = List.copyOf(requiredColumns);
  }

  /** Reads the files as text of {@code charset} (for devices that cannot write UTF-8). */
  public CsvRecordReader withCharset(Charset charset) {
    if (charset == null) {
      throw new IllegalArgumentException("withCharset() needs a charset, e.g. ISO-8859-1");
    }
    return new CsvRecordReader(charset.name(), requiredColumns);
  }

  /** The column names the header row must hold; a file whose first line lacks one is refused. */
  public CsvRecordReader requiring(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("requiring() needs at least one column name");
    }
    return new CsvRecordReader(charset, List.of(columns));
  }

  @Override
  public ParsedFile read(byte[] content) {
    return RecordReader.readText(content, Charset.forName(charset), this::parseCsv);
  }

  private ParsedFile parseCsv(String text) {
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
      List<String> missing = new ArrayList<>(requiredColumns);
      missing.removeAll(header);
      if (!missing.isEmpty()) {
        return ParsedFile.unreadable(
            "missing header: the first line ("
                + String.join(",", header)
                + ") lacks the column "
                + String.join(", ", missing));
      }
      return records(parser, header);
    } catch (UncheckedIOException e) {
      return ParsedFile.unreadable("malformed CSV: " + describe(e.getCause()));
    } catch (IOException e) {
      return ParsedFile.unreadable("malformed CSV: " + describe(e));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return ParsedFile.unreadable("malformed CSV: " + e.getMessage());
    }
  }

  private static ParsedFile records(CSVParser parser, List<String> header) {
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
  }

  /**
   * Commons CSV's "EOF reached before encapsulated token finished" in words a person can act on.
   */
  private static String describe(IOException e) {
    String message = String.valueOf(e.getMessage());
    Matcher startLine = START_LINE.matcher(message);
    if (message.contains("EOF reached before encapsulated token finished") && startLine.find()) {
      return "the quoted field that opens on line "
          + startLine.group(1)
          + " is never closed (unbalanced quote)";
    }
    return message;
  }
}

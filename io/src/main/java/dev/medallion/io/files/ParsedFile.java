package dev.medallion.io.files;

import java.util.List;
import javax.annotation.Nullable;

/**
 * What a landed file holds: its records as JSON objects, the records that could not be read, or
 * (when the whole file is unreadable) one reason for the file.
 */
public final class ParsedFile {
  /** One record, with its position in the file (0-based) and its JSON text. */
  public record Record(int index, String json) {}

  /** One record that could not be read, with its position, its raw text and the reason. */
  public record BadRecord(int index, String raw, String reason) {}

  private final List<Record> records;
  private final List<BadRecord> badRecords;
  @Nullable private final String fileError;

  private ParsedFile(List<Record> records, List<BadRecord> badRecords, @Nullable String fileError) {
    this.records = records;
    this.badRecords = badRecords;
    this.fileError = fileError;
  }

  public static ParsedFile of(List<Record> records, List<BadRecord> badRecords) {
    return new ParsedFile(List.copyOf(records), List.copyOf(badRecords), null);
  }

  public static ParsedFile unreadable(String reason) {
    return new ParsedFile(List.of(), List.of(), reason);
  }

  public List<Record> records() {
    return records;
  }

  public List<BadRecord> badRecords() {
    return badRecords;
  }

  /** Why no record could be read at all, or null when the file was readable. */
  @Nullable
  public String fileError() {
    return fileError;
  }
}

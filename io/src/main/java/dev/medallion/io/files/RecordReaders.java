package dev.medallion.io.files;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which {@link RecordReader} reads a file, by the extension of its name (case-insensitive). The
 * standard registry reads JSON (one object, an array, or one object per line: {@code .json}, {@code
 * .jsonl}, {@code .ndjson}) and CSV with a header row; a pipeline adds a format with {@link #with},
 * without touching any landing zone. A file whose extension has no reader is recorded as skipped
 * with the reason {@link #noReaderReason}.
 */
public final class RecordReaders implements Serializable {
  private static final long serialVersionUID = 1L;
  private final TreeMap<String, RecordReader> byExtension;

  private RecordReaders(Map<String, RecordReader> byExtension) {
    this.byExtension = new TreeMap<>(byExtension);
  }

  public static RecordReaders none() {
    return new RecordReaders(Map.of());
  }

  /** JSON, JSON lines and CSV: what edge devices write. */
  public static RecordReaders standard() {
    RecordReader json = new JsonRecordReader();
    return none()
        .with("json", json)
        .with("jsonl", json)
        .with("ndjson", json)
        .with("csv", new CsvRecordReader());
  }

  /**
   * This registry with {@code reader} for files named {@code *.extension} (replacing any reader it
   * had).
   */
  public RecordReaders with(String extension, RecordReader reader) {
    String key = extension.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
    if (key.isEmpty() || !key.matches("[a-z0-9]+(\\.[a-z0-9]+)*")) {
      throw new IllegalArgumentException(
          "with() needs a file extension such as \"xlsx\", got \"" + extension + "\"");
    }
    if (reader == null) {
      throw new IllegalArgumentException("with(\"" + key + "\", null): a reader is required");
    }
    TreeMap<String, RecordReader> readers = new TreeMap<>(byExtension);
    readers.put(key, reader);
    return new RecordReaders(readers);
  }

  /** The reader for a file name: the longest registered extension the name ends with. */
  public Optional<RecordReader> readerFor(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return byExtension.descendingMap().entrySet().stream()
        .filter(e -> lower.endsWith("." + e.getKey()))
        .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
        .map(Map.Entry::getValue);
  }

  /**
   * Reads a file with its reader; a file no reader takes is unreadable, with {@link
   * #noReaderReason}.
   */
  public ParsedFile read(String fileName, byte[] content) {
    return readerFor(fileName)
        .map(r -> r.read(content))
        .orElseGet(() -> ParsedFile.unreadable(noReaderReason(fileName)));
  }

  public java.util.Set<String> extensions() {
    return java.util.Collections.unmodifiableSet(byExtension.keySet());
  }

  /** Why a file is skipped: its name and the formats there are readers for. */
  public String noReaderReason(String fileName) {
    return "no record reader for "
        + fileName
        + " (readers: "
        + String.join(", ", byExtension.keySet())
        + ")";
  }
}

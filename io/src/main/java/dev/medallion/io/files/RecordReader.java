package dev.medallion.io.files;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Reads the records of one file format. A reader never throws for bad content: a record it cannot
 * read is a {@link ParsedFile.BadRecord}, a file it cannot read at all is {@link
 * ParsedFile#unreadable}. Readers are registered by file extension in {@link RecordReaders}; a zone
 * knows nothing of formats.
 */
@FunctionalInterface
public interface RecordReader extends Serializable {
  char BYTE_ORDER_MARK = '\uFEFF';

  ParsedFile read(byte[] content);

  /** The content as UTF-8 text without a leading byte-order mark: what text readers start from. */
  static String text(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }
}

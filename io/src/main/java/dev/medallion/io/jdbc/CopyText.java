package dev.medallion.io.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Rows in COPY's text format, encoded straight to UTF-8 bytes in a buffer that is sent and reused,
 * so a batch is never held as one big text and the database parses one chunk while the next is
 * encoded.
 *
 * <p>A value is String, Number, Boolean, OffsetDateTime, UUID or null; anything else goes as its
 * {@code toString()}, escaped. A NUL character cannot be stored in PostgreSQL text and is dropped;
 * an unpaired surrogate becomes {@code ?}, as Java's UTF-8 encoder makes it.
 */
public final class CopyText {
  /** About 200 rows of a bronze table: enough per message, small enough to overlap. */
  public static final int CHUNK_BYTES = 1 << 16;

  private byte[] bytes = new byte[CHUNK_BYTES + 1024];
  private int length;

  /** How many bytes wait to be sent. */
  public int length() {
    return length;
  }

  /** One row, newline included. */
  public CopyText appendRow(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        ascii('\t');
      }
      appendValue(values[i]);
    }
    ascii('\n');
    return this;
  }

  /** Sends what waits into the COPY once a chunk's worth has gathered. */
  public void sendChunk(CopyIn copy) throws SQLException {
    if (length >= CHUNK_BYTES) {
      send(copy);
    }
  }

  /** Sends what waits into the COPY. */
  public void send(CopyIn copy) throws SQLException {
    if (length > 0) {
      copy.writeToCopy(bytes, 0, length);
      length = 0;
    }
  }

  /** The rows appended so far as text (for tests and messages). */
  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private void appendValue(Object value) {
    if (value == null) {
      ascii('\\');
      ascii('N');
    } else if (value instanceof String text) {
      escaped(text);
    } else if (value instanceof BigDecimal decimal) {
      plain(decimal.toPlainString());
    } else if (value instanceof Number
        || value instanceof Boolean
        || value instanceof UUID
        || value instanceof OffsetDateTime) {
      plain(value.toString());
    } else {
      escaped(value.toString());
    }
  }

  /** Text known to hold no character that COPY escapes (numbers, uuids, timestamps). */
  private void plain(String text) {
    int n = text.length();
    room(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
  }

  /**
   * Text as UTF-8 (Java's encoder: a lone surrogate becomes {@code ?}), with COPY's escapes. Most
   * text holds nothing to escape and is copied whole.
   */
  private void escaped(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int plainUpTo = 0;
    while (plainUpTo < utf8.length && !special(utf8[plainUpTo])) {
      plainUpTo++;
    }
    // An escape is two bytes for one.
    room(plainUpTo == utf8.length ? utf8.length : 2 * utf8.length);
    System.arraycopy(utf8, 0, bytes, length, plainUpTo);
    length += plainUpTo;
    for (int i = plainUpTo; i < utf8.length; i++) {
      byte b = utf8[i];
      switch (b) {
        case '\\' -> escape('\\');
        case '\t' -> escape('t');
        case '\n' -> escape('n');
        case '\r' -> escape('r');
        case 0 -> {}
        default -> bytes[length++] = b;
      }
    }
  }

  /**
   * A byte that may need an escape: a backslash or a control character (the bytes of a multi-byte
   * UTF-8 character are all negative here, so never one of these).
   */
  private static boolean special(byte b) {
    return (b >= 0 && b <= '\r') || b == '\\';
  }

  private void escape(char c) {
    bytes[length++] = '\\';
    bytes[length++] = (byte) c;
  }

  private void ascii(char c) {
    room(1);
    bytes[length++] = (byte) c;
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}

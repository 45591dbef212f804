package dev.medallion.io.files;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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

  /**
   * What a text reader reads: {@code parse} of the content as text of {@code charset}; a file that
   * is not such text, or is empty or blank, is unreadable with the reason.
   */
  static ParsedFile readText(
      byte[] content, Charset charset, java.util.function.Function<String, ParsedFile> parse) {
    String text;
    try {
      text = text(content, charset);
    } catch (MalformedTextException e) {
      return ParsedFile.unreadable(e.getMessage());
    }
    return text.isBlank() ? ParsedFile.unreadable("file is empty") : parse.apply(text);
  }

  /**
   * The content as UTF-8 text without a leading byte-order mark: what text readers start from.
   *
   * @throws MalformedTextException when the bytes are not UTF-8 (never replaced by U+FFFD, which
   *     would land a different text than the device wrote)
   */
  static String text(byte[] content) {
    return text(content, StandardCharsets.UTF_8);
  }

  /** The content as text of {@code charset}, without a leading byte-order mark. */
  static String text(byte[] content, Charset charset) {
    if (StandardCharsets.UTF_8.equals(charset) && startsWithUtf16ByteOrderMark(content)) {
      throw new MalformedTextException(
          String.format(
              Locale.ROOT,
              "the file is UTF-16 text (it starts with the byte-order mark %02X %02X); save it as"
                  + " UTF-8",
              content[0],
              content[1]));
    }
    String text = new String(content, charset);
    // The lenient decoding puts U+FFFD where bytes are not text; only then is the strict (and
    // slower) pass needed, to tell such bytes from a U+FFFD the file really holds.
    if (text.indexOf('\uFFFD') >= 0) {
      checkDecodes(content, charset);
    }
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  private static void checkDecodes(byte[] content, Charset charset) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    CharBuffer out = CharBuffer.allocate(8192);
    CoderResult result;
    do {
      out.clear();
      result = decoder.decode(in, out, true);
    } while (result.isOverflow());
    if (result.isError()) {
      throw new MalformedTextException(
          String.format(
              Locale.ROOT,
              "not valid %s: byte 0x%02X at offset %d",
              charset.name(),
              content[in.position()],
              in.position()));
    }
  }

  private static boolean startsWithUtf16ByteOrderMark(byte[] content) {
    return content.length >= 2
        && ((content[0] == (byte) 0xFF && content[1] == (byte) 0xFE)
            || (content[0] == (byte) 0xFE && content[1] == (byte) 0xFF));
  }
}

package dev.medallion.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The field encodings of the hand-written record coders. Their records cross a grouping or a
 * batching step once per row, where a schema coder's conversion to a Row and Beam 2.62's {@code
 * BigDecimalCoder} (which formats a message on every encode) were a large share of a run's CPU.
 */
public final class FieldCoding {
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarLongCoder NUMBER = VarLongCoder.of();
  private static final VarIntCoder SCALE = VarIntCoder.of();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  private FieldCoding() {}

  public static void text(String value, OutputStream out) throws IOException {
    TEXT.encode(value, out);
  }

  public static String text(InputStream in) throws IOException {
    return TEXT.decode(in);
  }

  public static void nullableText(@Nullable String value, OutputStream out) throws IOException {
    out.write(value == null ? 0 : 1);
    if (value != null) {
      TEXT.encode(value, out);
    }
  }

  public static @Nullable String nullableText(InputStream in) throws IOException {
    int present = in.read();
    if (present < 0) {
      throw new java.io.EOFException("a text field ended before its presence byte");
    }
    return present == 0 ? null : TEXT.decode(in);
  }

  public static void number(long value, OutputStream out) throws IOException {
    NUMBER.encode(value, out);
  }

  public static long number(InputStream in) throws IOException {
    return NUMBER.decode(in);
  }

  /** Scale, then the unscaled value's two's-complement bytes: the same value back, scale kept. */
  public static void decimal(BigDecimal value, OutputStream out) throws IOException {
    SCALE.encode(value.scale(), out);
    BYTES.encode(value.unscaledValue().toByteArray(), out);
  }

  public static BigDecimal decimal(InputStream in) throws IOException {
    int scale = SCALE.decode(in);
    return new BigDecimal(new BigInteger(BYTES.decode(in)), scale);
  }
}

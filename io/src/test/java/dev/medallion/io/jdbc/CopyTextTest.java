package dev.medallion.io.jdbc;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.Test;

/** COPY text for each kind of value, byte for byte; the round trip is in CopyMergeWriteTest. */
public class CopyTextTest {
  private static String row(Object... values) {
    return new CopyText().appendRow(values).toString();
  }

  @Test
  public void separatesValuesWithTabsAndEndsTheRowWithANewline() {
    assertEquals("a\tb\n", row("a", "b"));
    assertEquals("a\t\\N\tc\n", row("a", null, "c"));
  }

  @Test
  public void escapesWhatCopyWouldReadAsStructure() {
    assertEquals("tab\\there\n", row("tab\there"));
    assertEquals("line\\nbreak\\rreturn\n", row("line\nbreak\rreturn"));
    assertEquals("back\\\\slash and \\\\N\n", row("back\\slash and \\N"));
  }

  @Test
  public void dropsNulWhichPostgresqlTextCannotHold() {
    assertEquals("ab\n", row("a\u0000b"));
  }

  @Test
  public void writesUtf8ForEveryPlaneAndAQuestionMarkForALoneSurrogate() {
    String text = "é€😀";
    // 2 + 3 + 4 bytes, as Java's encoder makes them.
    assertArrayEquals(
        (text + "\n").getBytes(StandardCharsets.UTF_8), row(text).getBytes(StandardCharsets.UTF_8));
    assertEquals("a?b\n", row("a\uD83Db"));
    assertEquals("a?\n", row("a\uDE00"));
  }

  @Test
  public void writesNumbersTimesAndUuidsAsPostgresqlReadsThem() {
    UUID id = UUID.fromString("0e4f5c9a-1b2c-4d3e-8f70-112233445566");
    assertEquals(
        "12\t-7\t0.000001\ttrue\t2024-06-18T10:02:11Z\t0e4f5c9a-1b2c-4d3e-8f70-112233445566\n",
        row(
            12,
            -7L,
            new BigDecimal("0.000001"),
            true,
            OffsetDateTime.parse("2024-06-18T10:02:11Z"),
            id));
    assertEquals("1000\n", row(new BigDecimal("1E+3")));
  }

  @Test
  public void growsPastOneChunkAndKeepsEveryRow() {
    CopyText text = new CopyText();
    String value = "x".repeat(1000);
    int rows = 3 * CopyText.CHUNK_BYTES / 1000;
    for (int i = 0; i < rows; i++) {
      text.appendRow(new Object[] {i, value});
    }
    String[] lines = text.toString().split("\n");
    assertEquals(rows, lines.length);
    assertEquals((rows - 1) + "\t" + value, lines[rows - 1]);
  }
}

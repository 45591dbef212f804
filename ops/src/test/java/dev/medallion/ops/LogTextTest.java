package dev.medallion.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;

public class LogTextTest {
  @Test
  public void cutsLongLinesAndManyLines() {
    assertEquals(
        "a".repeat(300) + "... (700 more characters)\nshort",
        LogText.bounded("a".repeat(1000) + "\nshort"));
    assertEquals(
        "1\n2\n3\n4\n5\n6\n7\n8\n... (2 more lines)",
        LogText.bounded("1\n2\n3\n4\n5\n6\n7\n8\n9\n10"));
    assertEquals("short", LogText.bounded("short"));
    assertNull(LogText.bounded(null));
  }

  @Test
  public void aBoundedChainPrintsLikeTheOriginalWithShortMessages() {
    IllegalStateException original =
        new IllegalStateException(
            "write failed", new java.sql.SQLException("bad value \"" + "x".repeat(10_000) + "\""));
    StringWriter printed = new StringWriter();
    LogText.boundedChain(original).printStackTrace(new PrintWriter(printed));
    String[] lines = printed.toString().split("\n");
    assertEquals("java.lang.IllegalStateException: write failed", lines[0]);
    String cause =
        java.util.Arrays.stream(lines).filter(l -> l.startsWith("Caused by")).findFirst().get();
    assertEquals(
        "Caused by: java.sql.SQLException: bad value \""
            + "x".repeat(289)
            + "... (9712 more characters)",
        cause);
    assertEquals(original.getStackTrace()[0].toString(), lines[1].strip().substring(3));
  }
}

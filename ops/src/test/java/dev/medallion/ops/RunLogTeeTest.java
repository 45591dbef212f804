package dev.medallion.ops;

import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Test;

public class RunLogTeeTest {
  private final RunLog log = new RunLog(TestDatabase.target());

  @Before
  public void emptyTables() {
    TestDatabase.truncate("ops.run_logs");
  }

  /** The console: each write that reaches it, as one piece of text. */
  private static final class Console extends OutputStream {
    final List<String> writes = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      writes.add(new String(new byte[] {(byte) b}, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  @Test
  public void eachLineReachesTheConsoleInOneWriteAndIsStored() {
    Console console = new Console();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    try (PrintStream run = log.tee(out, "run-a")) {
      run.println("Run run-a: stock_health pipeline");
      run.printf("rows so far: %d%n", 120);
      run.print("waiting");
      run.print("...");
      run.println(" done");
    }
    // Runs printing side by side (watch) share the console: a line written byte by byte, or in the
    // pieces it was printed in, would interleave with the other run's.
    assertEquals(
        List.of("Run run-a: stock_health pipeline\n", "rows so far: 120\n", "waiting... done\n"),
        console.writes);
    assertEquals(
        List.of("Run run-a: stock_health pipeline", "rows so far: 120", "waiting... done"),
        log.lines("run-a").stream().map(RunLog.Line::message).toList());
  }

  @Test
  public void twoRunsOnOneConsoleKeepTheirLinesWhole() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    List<Thread> runs = new ArrayList<>();
    for (String runId : List.of("run-a", "run-b")) {
      runs.add(
          new Thread(
              () -> {
                try (PrintStream run = log.tee(out, runId)) {
                  for (int i = 0; i < 200; i++) {
                    run.println(runId + " line " + i + " of a run printing beside another");
                  }
                }
              }));
    }
    runs.forEach(Thread::start);
    for (Thread run : runs) {
      run.join();
    }
    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(400, lines.size());
    for (String line : lines) {
      assertEquals(line, true, line.matches("run-[ab] line \\d+ of a run printing beside another"));
    }
  }
}

package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * ops.run_logs: the lines a run printed (its progress, warnings and errors), kept per run so the
 * operations service can show them after the run's process has gone. The runner writes them through
 * {@link #tee}; storing a line never fails the run.
 */
public final class RunLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunLog.class);

  /** A line names a layer when exactly one layer label appears in it as a word. */
  private static final Pattern LAYER_WORD = Pattern.compile("\\b(bronze|silver|gold|platinum)\\b");

  private static final Pattern ERROR_WORDS =
      Pattern.compile("(?i)\\b(failed|error|refused|could not|cannot)\\b");
  private static final Pattern WARNING_WORDS =
      Pattern.compile("(?i)(set aside|abandoned|waiting for|still owed|not replayable|warning)");

  /** How bad a line is. */
  public enum Level {
    INFO,
    WARNING,
    ERROR;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One stored line. */
  public record Line(
      long id, OffsetDateTime at, Level level, @Nullable Layer layer, String message) {}

  private final JdbcTarget target;

  public RunLog(JdbcTarget target) {
    this.target = target;
  }

  /** Stores one line of a run (masked by the process's {@link Redactor}, at most 300 chars). */
  public void append(String runId, Level level, @Nullable Layer layer, String message) {
    Queries.update(
        target,
        "ops.run_logs",
        "INSERT INTO ops.run_logs (run_id, level, layer, message) VALUES (?, ?, ?, ?)",
        runId,
        level.label(),
        layer == null ? null : layer.label(),
        LogText.bounded(Redactor.process().redact(message)));
  }

  /** Stores a printed line with the level and layer {@link #classify} finds in it. */
  public void appendPrinted(String runId, String line) {
    String text = line.strip();
    if (text.isEmpty() || text.chars().allMatch(c -> c == '-' || c == '=' || c == '+')) {
      return;
    }
    append(runId, level(text), layer(text), text);
  }

  /** A run's lines in the order they were printed. */
  public List<Line> lines(String runId) {
    return Queries.list(
        target,
        "ops.run_logs",
        "SELECT id, logged_at, level, layer, message FROM ops.run_logs WHERE run_id = ? ORDER BY id",
        rs ->
            new Line(
                rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class),
                Level.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                rs.getString(4) == null ? null : Layer.parseOne(rs.getString(4)),
                rs.getString(5)),
        runId);
  }

  /** Whether any line was stored for the run. */
  public boolean has(String runId) {
    return !Queries.list(
            target,
            "ops.run_logs",
            "SELECT 1 FROM ops.run_logs WHERE run_id = ? LIMIT 1",
            rs -> 1,
            runId)
        .isEmpty();
  }

  /** error for a failure, warning for records set aside or a wait, info otherwise. */
  static Level level(String line) {
    if (ERROR_WORDS.matcher(line).find()) {
      return Level.ERROR;
    }
    return WARNING_WORDS.matcher(line).find() ? Level.WARNING : Level.INFO;
  }

  /** The one layer a line is about, or null when it names none or several. */
  @Nullable
  static Layer layer(String line) {
    Matcher m = LAYER_WORD.matcher(line.toLowerCase(Locale.ROOT));
    Layer found = null;
    while (m.find()) {
      Layer layer = Layer.parseOne(m.group(1));
      if (found != null && found != layer) {
        return null;
      }
      found = layer;
    }
    return found;
  }

  /**
   * A stream that prints to {@code out} and stores each complete line under {@code runId}, from a
   * thread of its own so that a slow or lost database never holds up the run's printing. A line
   * that cannot be stored is only printed (after the first failure the rest are too): the log is a
   * convenience, the run's record is what counts. {@link PrintStream#close} stores what is left and
   * waits for the stored lines; it does not close {@code out}.
   */
  public PrintStream tee(PrintStream out, String runId) {
    return new PrintStream(new LineTee(out, runId), true, StandardCharsets.UTF_8);
  }

  private final class LineTee extends OutputStream {
    private final PrintStream out;
    private final String runId;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ExecutorService writer =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "run-log-writer");
              thread.setDaemon(true);
              return thread;
            });
    private volatile boolean storing = true;

    LineTee(PrintStream out, String runId) {
      this.out = out;
      this.runId = runId;
    }

    // A line reaches `out` whole, in one write: runs printing to one console side by side
    // (`watch`) would otherwise interleave their lines byte by byte. A run prints whole lines; text
    // left without a newline is shown when the run's output closes.
    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        byte[] whole = line.toByteArray();
        line.reset();
        out.write(whole, 0, whole.length);
        store(new String(whole, 0, whole.length - 1, StandardCharsets.UTF_8));
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void flush() {
      out.flush();
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        byte[] rest = line.toByteArray();
        line.reset();
        out.write(rest, 0, rest.length);
        store(new String(rest, StandardCharsets.UTF_8));
      }
      out.flush();
      writer.shutdown();
      try {
        // Each line waits at most the pool's connection timeout, and only the first that fails.
        writer.awaitTermination(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void store(String text) {
      if (writer.isShutdown()) {
        return;
      }
      writer.execute(
          () -> {
            if (!storing) {
              return;
            }
            try {
              appendPrinted(runId, text);
            } catch (RuntimeException e) {
              storing = false;
              LOG.warn("Could not store the log of {} in ops.run_logs: {}", runId, e.getMessage());
            }
          });
    }
  }
}

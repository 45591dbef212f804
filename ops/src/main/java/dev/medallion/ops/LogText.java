package dev.medallion.ops;

/**
 * Text bound for a log line, a terminal or a stored error, cut to a size a person reads. Errors
 * quote what they refused (PostgreSQL a whole COPY line or a batch entry with its values, a parser
 * the input), and a 10,000-character value must not reach a log whole.
 */
public final class LogText {
  /** Longest line kept; a quoted value is cut here. */
  public static final int MAX_LINE_CHARS = 300;

  /** Most lines kept. */
  public static final int MAX_LINES = 8;

  /** How deep a cause chain is copied by {@link #boundedChain}. */
  private static final int MAX_CAUSES = 20;

  private LogText() {}

  /**
   * The text cut to at most {@link #MAX_LINES} lines of at most {@link #MAX_LINE_CHARS} characters,
   * saying how much was left out.
   */
  public static String bounded(String text) {
    if (text == null) {
      return null;
    }
    String[] lines = text.split("\n", -1);
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
      if (i > 0) {
        kept.append('\n');
      }
      String line = lines[i];
      if (line.length() <= MAX_LINE_CHARS) {
        kept.append(line);
      } else {
        kept.append(line, 0, MAX_LINE_CHARS)
            .append("... (")
            .append(line.length() - MAX_LINE_CHARS)
            .append(" more characters)");
      }
    }
    if (lines.length > MAX_LINES) {
      kept.append("\n... (").append(lines.length - MAX_LINES).append(" more lines)");
    }
    return kept.toString();
  }

  /**
   * A copy of an exception and its causes for a log that prints the chain: the same classes (by
   * name), stack traces and order, every message {@link #bounded}.
   */
  public static Throwable boundedChain(Throwable e) {
    return copy(e, 0);
  }

  private static Throwable copy(Throwable e, int depth) {
    if (e == null || depth >= MAX_CAUSES) {
      return null;
    }
    Throwable cause = e.getCause() == e ? null : copy(e.getCause(), depth + 1);
    return new Bounded(e, cause);
  }

  /** Prints as the original would: its class name and its (bounded) message. */
  private static final class Bounded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bounded(Throwable original, Throwable cause) {
      super(
          original.getClass().getName()
              + (original.getMessage() == null ? "" : ": " + bounded(original.getMessage())),
          cause);
      setStackTrace(original.getStackTrace());
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}

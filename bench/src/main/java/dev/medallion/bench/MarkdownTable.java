package dev.medallion.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A suite's results as a markdown table, with ratios to the suite's reference method. */
final class MarkdownTable {
  private static final String NONE = "—";

  private MarkdownTable() {}

  static String render(String title, List<Measurement> results, String reference) {
    Measurement ref =
        results.stream()
            .filter(m -> m.method().equals(reference))
            .findFirst()
            .orElse(results.get(0));
    return render(title, results, ref.method(), m -> ref);
  }

  /**
   * A table whose ratio column compares each row with its own reference row (e.g. the reference
   * method at the same size), named {@code referenceName} in the header. A method that did not
   * finish has no time, rate or ratio, and neither has a row whose reference did not finish.
   */
  static String render(
      String title,
      List<Measurement> results,
      String referenceName,
      Function<Measurement, Measurement> referenceOf) {
    StringBuilder out = new StringBuilder();
    out.append("### ").append(title).append("\n\n");
    out.append("| method | rows | seconds | rows/s | MB/s | ratio to ")
        .append(referenceName)
        .append(" | peak heap MB | note |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measurement m : results) {
      Measurement ref = referenceOf.apply(m);
      if (!m.finished()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | %s | %s | %s | %s | %s |%n",
                m.method(),
                m.rows(),
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                m.note()));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.3f | %,.0f | %.1f | %s | %.0f | %s |%n",
              m.method(),
              m.rows(),
              m.seconds(),
              m.rowsPerSecond(),
              m.megabytesPerSecond(),
              ref == null || !ref.finished()
                  ? NONE
                  : String.format(Locale.ROOT, "%.2f", m.rowsPerSecond() / ref.rowsPerSecond()),
              m.peakHeapBytes() / 1048576.0,
              m.note()));
    }
    return out.toString();
  }
}

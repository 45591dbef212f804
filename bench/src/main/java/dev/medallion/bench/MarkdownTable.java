package dev.medallion.bench;

import java.util.List;
import java.util.Locale;

/** A suite's results as a markdown table, with ratios to the suite's reference method. */
final class MarkdownTable {
  private MarkdownTable() {}

  static String render(String title, List<Measurement> results, String reference) {
    Measurement ref =
        results.stream()
            .filter(m -> m.method().equals(reference))
            .findFirst()
            .orElse(results.get(0));
    StringBuilder out = new StringBuilder();
    out.append("### ").append(title).append("\n\n");
    out.append("| method | rows | seconds | rows/s | MB/s | ratio to ")
        .append(ref.method())
        .append(" | peak heap MB | note |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measurement m : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.3f | %,.0f | %.1f | %.2f | %.0f | %s |%n",
              m.method(),
              m.rows(),
              m.seconds(),
              m.rowsPerSecond(),
              m.megabytesPerSecond(),
              m.rowsPerSecond() / ref.rowsPerSecond(),
              m.peakHeapBytes() / 1048576.0,
              m.note()));
    }
    return out.toString();
  }
}

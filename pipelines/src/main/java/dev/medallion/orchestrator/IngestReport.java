package dev.medallion.orchestrator;

import dev.medallion.orchestrator.Orchestrator.JobResult;
import dev.medallion.orchestrator.Orchestrator.Status;
import dev.medallion.platform.TablePrinter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary an ingestion prints (the seed's "Execution Summary"): when and why it ran, the
 * environment, how many jobs, then each job's status, records, duration and run, and the error of
 * each failed one. The same in Markdown for the GitHub step summary.
 */
public record IngestReport(
    Instant at,
    ZoneId zone,
    String trigger,
    String environment,
    int jobsConfigured,
    List<JobResult> results) {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

  public long count(Status status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  public boolean anyFailed() {
    return count(Status.FAILED) + count(Status.SKIPPED) > 0;
  }

  private String headline() {
    return String.format(
        Locale.ROOT,
        "Ingestion at %s (%s), trigger %s, environment %s: %d of %d job(s) ran: %d succeeded,"
            + " %d failed%s",
        at,
        at.atZone(zone).format(LOCAL),
        trigger,
        environment,
        results.size(),
        jobsConfigured,
        count(Status.SUCCEEDED),
        count(Status.FAILED),
        count(Status.SKIPPED) == 0 ? "" : ", " + count(Status.SKIPPED) + " not started");
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    for (JobResult r : results) {
      rows.add(
          new String[] {
            r.job().id(),
            r.job().service(),
            r.job().dataType(),
            r.environment(),
            r.status().label() + (r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : ""),
            Long.toString(r.records()),
            seconds(r.duration()),
            r.runId() == null ? "" : r.runId()
          });
    }
    return rows;
  }

  private static final String[] HEADER = {
    "job", "service", "data type", "env", "status", "records", "duration", "run"
  };

  /** The report for the terminal. */
  public void print(PrintStream out) {
    out.println();
    out.println(headline());
    if (results.isEmpty()) {
      out.println("No job was due. medallion ingest --list shows each job's next fire time.");
      return;
    }
    TablePrinter.print(out, "Jobs", HEADER, rows());
    printErrors(out, "");
  }

  private void printErrors(PrintStream out, String bullet) {
    boolean first = true;
    for (JobResult r : results) {
      if (r.error() != null) {
        if (first) {
          out.println();
          out.println("Errors:");
          first = false;
        }
        out.println(bullet + "  " + r.job().id() + ": " + r.error());
      }
    }
  }

  /** The report in GitHub-flavoured Markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Data ingestion\n\n").append(headline()).append("\n\n");
    if (results.isEmpty()) {
      md.append("No job was due.\n");
      return md.toString();
    }
    md.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    md.append("|").append("---|".repeat(HEADER.length)).append("\n");
    for (String[] row : rows()) {
      md.append("| ")
          .append(String.join(" | ", List.of(row).stream().map(IngestReport::cell).toList()))
          .append(" |\n");
    }
    List<JobResult> failed = results.stream().filter(r -> r.error() != null).toList();
    if (!failed.isEmpty()) {
      md.append("\n### Errors\n\n");
      failed.forEach(
          r ->
              md.append("- `")
                  .append(r.job().id())
                  .append("`: ")
                  .append(cell(r.error()))
                  .append('\n'));
      md.append("\nEach failed job's log is kept as an artifact of this run.\n");
    }
    return md.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}

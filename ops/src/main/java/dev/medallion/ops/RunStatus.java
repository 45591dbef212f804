package dev.medallion.ops;

import java.util.Locale;

/** Where a run stands, as ops.pipeline_runs stores it. */
public enum RunStatus {
  /** Asked for (by a trigger or a schedule) and not started yet. */
  SCHEDULED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** A continuous run that the user stopped: it did not fail. */
  STOPPED,
  /**
   * A run whose process died without recording its end, found and marked by the next run of its
   * pipeline.
   */
  ABANDONED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this != SCHEDULED && this != RUNNING;
  }

  public static RunStatus parse(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT));
  }
}

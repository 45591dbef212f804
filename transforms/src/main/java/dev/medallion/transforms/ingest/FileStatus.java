package dev.medallion.transforms.ingest;

import java.util.Locale;

/** What became of a landed file, as the file ledger (ops.landed_files) records it. */
public enum FileStatus {
  /** Every record is in bronze or in the quarantine; the file moves to processed/. */
  INGESTED,
  /** The file could not be read at all: one quarantine row; the file moves to quarantine/. */
  QUARANTINED,
  /**
   * No record reader takes the file's format: one quarantine row; the file moves to quarantine/.
   */
  SKIPPED,
  /** Put back into the landing zone for a replay: the next run reads the file as new. */
  REQUEUED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FileStatus parse(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT));
  }

  /** True when a run must not read the file again: everything it holds is already accounted for. */
  public boolean handled() {
    return this != REQUEUED;
  }

  /**
   * Where a handled file belongs: processed/ when its records are safe, quarantine/ when nothing
   * was read.
   */
  public boolean belongsInQuarantine() {
    return this == QUARANTINED || this == SKIPPED;
  }
}

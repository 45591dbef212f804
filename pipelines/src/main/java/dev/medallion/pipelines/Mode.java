package dev.medallion.pipelines;

/** Incremental runs take only what is new; full runs reprocess everything. */
public enum Mode {
  INCREMENTAL,
  FULL
}

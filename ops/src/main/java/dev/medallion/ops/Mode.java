package dev.medallion.ops;

/** Incremental runs take only what is new; full runs reprocess everything. */
public enum Mode {
  INCREMENTAL,
  FULL
}

package dev.medallion.io.jdbc;

import dev.medallion.core.quarantine.QuarantinedRecord;
import java.io.Serializable;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The two outputs of a write that sets aside the rows the database refuses ({@link
 * BatchWrite#withRejects}, {@link CopyMergeWrite#withRejects}): {@link #WRITTEN}, the completion
 * signal for {@code Wait.on}, and {@link #REJECTED}, one {@link QuarantinedRecord} per refused row,
 * for the quarantine writer.
 */
public final class SinkRejects {
  public static final TupleTag<Void> WRITTEN = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> REJECTED = new TupleTag<>() {};

  /** Longest key kept whole in a quarantine source. */
  static final int MAX_SOURCE_KEY_CHARS = 100;

  private SinkRejects() {}

  /**
   * Turns a row the database refused into its quarantine record, given the database's message
   * (bounded); the caller knows the row's layer, source and key. The record's error class is
   * normally {@code rejected_by_sink}.
   */
  @FunctionalInterface
  public interface ToQuarantine<T> extends Serializable {
    QuarantinedRecord rejected(T row, String databaseMessage);
  }

  /**
   * A key short enough to name a refused row in the quarantine's source (which is indexed): kept
   * whole up to 100 characters, else its start, its length and a hash of the whole.
   */
  public static String shortKey(String key) {
    if (key == null || key.length() <= MAX_SOURCE_KEY_CHARS) {
      return key;
    }
    return key.substring(0, 60)
        + "...("
        + key.length()
        + " characters, hash "
        + Integer.toHexString(key.hashCode())
        + ")";
  }
}

package dev.medallion.io.files;

/**
 * When a watched file counts as landed. A copy into a folder is not atomic: a poll that lists a
 * file while it is still being written would read it half-written, and later read the whole file as
 * a second version (or, where a file is read once, never). So a watch takes a file only once it has
 * gone unchanged for the settle time, and leaves a newer one for a later poll.
 */
public final class SettledFiles {
  /** The longest settle time: a minute without a write ends any copy that is still going. */
  static final long LONGEST_SETTLE_MILLIS = 60_000L;

  private SettledFiles() {}

  /**
   * A watch's settle time: one poll interval (a file unchanged since the last poll), at most a
   * minute.
   */
  public static long settleMillis(long pollIntervalMillis) {
    return Math.min(Math.max(pollIntervalMillis, 0L), LONGEST_SETTLE_MILLIS);
  }

  /**
   * Whether a file last modified at {@code lastModifiedMillis} has settled by {@code nowMillis}. A
   * file system that does not know the time (0) has nothing to wait for.
   */
  public static boolean hasSettled(long lastModifiedMillis, long nowMillis, long settleMillis) {
    return lastModifiedMillis <= 0 || nowMillis - lastModifiedMillis >= settleMillis;
  }
}

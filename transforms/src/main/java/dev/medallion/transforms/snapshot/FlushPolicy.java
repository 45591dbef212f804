package dev.medallion.transforms.snapshot;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a daily snapshot is rewritten early, whichever comes first since its last rewrite: this many
 * new elements (files), this many new bytes, or this long after the first new element arrived. The
 * defaults are the seed's streaming aggregator: 5 files, 10 MB, 5 minutes.
 */
public final class FlushPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_ELEMENTS = 5;
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  private final int maxElements;
  private final long maxBytes;
  private final Duration maxDelay;

  private FlushPolicy(int maxElements, long maxBytes, Duration maxDelay) {
    this.maxElements = maxElements;
    this.maxBytes = maxBytes;
    this.maxDelay = maxDelay;
  }

  public static FlushPolicy defaults() {
    return new FlushPolicy(DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_BYTES, DEFAULT_MAX_DELAY);
  }

  /** Rewrite after this many new elements (at least 1). */
  public FlushPolicy withMaxElements(int elements) {
    if (elements < 1) {
      throw new IllegalArgumentException("withMaxElements() needs 1 or more, got " + elements);
    }
    return new FlushPolicy(elements, maxBytes, maxDelay);
  }

  /** Rewrite once the new elements add up to this many bytes (at least 1). */
  public FlushPolicy withMaxBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("withMaxBytes() needs 1 or more, got " + bytes);
    }
    return new FlushPolicy(maxElements, bytes, maxDelay);
  }

  /** Rewrite this long (processing time) after the first element not yet in a snapshot. */
  public FlushPolicy withMaxDelay(Duration delay) {
    if (delay == null || delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("withMaxDelay() needs a positive duration, got " + delay);
    }
    return new FlushPolicy(maxElements, maxBytes, delay);
  }

  public int maxElements() {
    return maxElements;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlushPolicy other
        && other.maxElements == maxElements
        && other.maxBytes == maxBytes
        && other.maxDelay.equals(maxDelay);
  }

  @Override
  public int hashCode() {
    return (Integer.hashCode(maxElements) * 31 + Long.hashCode(maxBytes)) * 31
        + maxDelay.hashCode();
  }

  @Override
  public String toString() {
    return maxElements + " elements / " + maxBytes + " bytes / " + maxDelay;
  }
}

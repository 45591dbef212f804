package dev.medallion.io.http;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many attempts each {@link FailureType} gets and how long the first wait is (later waits
 * double; a 429's Retry-After wins over the backoff). One value per connector: an API with a strict
 * rate limit waits longer, one on a flaky network tries more often. DATA and AUTHENTICATION always
 * fail at once: retrying a bad request or a refused credential only repeats the answer.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<FailureType, Integer> attempts;
  private final EnumMap<FailureType, Duration> initialBackoff;

  private RetryPolicy(
      Map<FailureType, Integer> attempts, Map<FailureType, Duration> initialBackoff) {
    this.attempts = new EnumMap<>(attempts);
    this.initialBackoff = new EnumMap<>(initialBackoff);
  }

  /**
   * The numbers in {@link FailureType}: network 5 tries from 1 s, rate limit 3, timeout 3, data 1.
   */
  public static RetryPolicy defaults() {
    Map<FailureType, Integer> attempts = new EnumMap<>(FailureType.class);
    Map<FailureType, Duration> backoff = new EnumMap<>(FailureType.class);
    for (FailureType type : FailureType.values()) {
      attempts.put(type, type.maxAttempts());
      backoff.put(type, type.backoffAfter(1));
    }
    return new RetryPolicy(attempts, backoff);
  }

  /**
   * The same policy with {@code maxAttempts} tries for {@code type}, the first retry after {@code
   * initialBackoff}.
   */
  public RetryPolicy with(FailureType type, int maxAttempts, Duration initialBackoff) {
    if (type == FailureType.DATA || type == FailureType.AUTHENTICATION) {
      throw new IllegalArgumentException(
          "with() cannot retry " + type + ": those failures repeat on every attempt");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "with() needs at least one attempt for " + type + ", got " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "with() needs a backoff of zero or more for " + type + ", got " + initialBackoff);
    }
    RetryPolicy changed = new RetryPolicy(attempts, this.initialBackoff);
    changed.attempts.put(type, maxAttempts);
    changed.initialBackoff.put(type, initialBackoff);
    return changed;
  }

  public int maxAttempts(FailureType type) {
    return attempts.get(type);
  }

  /**
   * The wait before attempt {@code attempt + 1}: the initial backoff doubled per attempt already
   * made.
   */
  public Duration backoffAfter(FailureType type, int attempt) {
    return initialBackoff.get(type).multipliedBy(1L << Math.max(0, Math.min(30, attempt - 1)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy other
        && other.attempts.equals(attempts)
        && other.initialBackoff.equals(initialBackoff);
  }

  @Override
  public int hashCode() {
    return attempts.hashCode() * 31 + initialBackoff.hashCode();
  }

  @Override
  public String toString() {
    return "RetryPolicy" + attempts + initialBackoff;
  }
}

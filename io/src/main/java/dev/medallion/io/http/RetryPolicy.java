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
 *
 * <p>No wait is longer than {@link #maxWait()} (5 minutes unless a connector or run says
 * otherwise): a longer backoff is cut to it, and a server that asks for a longer Retry-After fails
 * the request as rate limited for this run, to be asked again by the next one, instead of blocking
 * the run for as long as the server likes.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<FailureType, Integer> attempts;
  private final EnumMap<FailureType, Duration> initialBackoff;
  private final Duration maxWait;

  /** The longest wait between two attempts unless a connector or run sets another. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);

  /** A wait cap above this is a stuck run, not a patient one. */
  static final Duration LONGEST_MAX_WAIT = Duration.ofDays(1);

  private RetryPolicy(
      Map<FailureType, Integer> attempts,
      Map<FailureType, Duration> initialBackoff,
      Duration maxWait) {
    this.attempts = new EnumMap<>(attempts);
    this.initialBackoff = new EnumMap<>(initialBackoff);
    this.maxWait = maxWait;
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
    return new RetryPolicy(attempts, backoff, DEFAULT_MAX_WAIT);
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
    RetryPolicy changed = new RetryPolicy(attempts, this.initialBackoff, maxWait);
    changed.attempts.put(type, maxAttempts);
    changed.initialBackoff.put(type, initialBackoff);
    return changed;
  }

  /** The same policy with no wait longer than {@code maxWait} (zero to never wait). */
  public RetryPolicy withMaxWait(Duration maxWait) {
    if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(LONGEST_MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "withMaxWait() needs a wait from zero to " + LONGEST_MAX_WAIT + ", got " + maxWait);
    }
    return new RetryPolicy(attempts, initialBackoff, maxWait);
  }

  /** The longest wait between two attempts. */
  public Duration maxWait() {
    return maxWait;
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
        && other.initialBackoff.equals(initialBackoff)
        && other.maxWait.equals(maxWait);
  }

  @Override
  public int hashCode() {
    return (attempts.hashCode() * 31 + initialBackoff.hashCode()) * 31 + maxWait.hashCode();
  }

  @Override
  public String toString() {
    return "RetryPolicy" + attempts + initialBackoff + " max wait " + maxWait;
  }
}

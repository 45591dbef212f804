package dev.medallion.io.http;

import java.time.Duration;

/**
 * The kinds of failure a call can have, with the default retry rule for each
 * (src/docs/seeds/etl-orchestrator-service.md's retry strategy): network errors and server errors
 * back off exponentially up to five tries, rate limits wait as told up to three, timeouts back off
 * up to three, and data errors (other 4xx, malformed bodies) fail at once. A refused credential
 * (AUTHENTICATION) is never retried by backoff: the token provider refreshes it once instead. A
 * connector changes the numbers with its own {@link RetryPolicy}.
 */
public enum FailureType {
  NETWORK(5, Duration.ofSeconds(1)),
  RATE_LIMIT(3, Duration.ofSeconds(1)),
  TIMEOUT(3, Duration.ofSeconds(1)),
  DATA(1, Duration.ZERO),
  AUTHENTICATION(1, Duration.ZERO);

  private final int maxAttempts;
  private final Duration initialBackoff;

  FailureType(int maxAttempts, Duration initialBackoff) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before attempt {@code attempt + 1}: 1, 2, 4, 8, 16 seconds for attempts 1 to 5. */
  public Duration backoffAfter(int attempt) {
    return initialBackoff.multipliedBy(1L << Math.max(0, attempt - 1));
  }
}

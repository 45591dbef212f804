package dev.medallion.io.http;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.time.Duration;

/**
 * How every connector talks HTTP: user agent, timeouts, how often and how long to wait between
 * retries ({@link RetryPolicy}). One value, shared by all sources, in the manner of JdbcIO's {@code
 * DataSourceConfiguration}; an API source sets its connector's retry policy on it.
 */
@AutoValue
public abstract class HttpClientConfiguration implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_USER_AGENT =
      "Medallion/0.1 (+https://github.com/medallion-data/medallion; data pipelines on Apache Beam)";

  public abstract String userAgent();

  public abstract Duration connectTimeout();

  public abstract Duration requestTimeout();

  public abstract Sleeper sleeper();

  /** Multiplies every backoff; 1.0 in production. */
  public abstract double backoffScale();

  public abstract RetryPolicy retryPolicy();

  abstract Builder toBuilder();

  public static HttpClientConfiguration create() {
    return new AutoValue_HttpClientConfiguration.Builder()
        .setUserAgent(DEFAULT_USER_AGENT)
        .setConnectTimeout(Duration.ofSeconds(10))
        .setRequestTimeout(Duration.ofSeconds(60))
        .setSleeper(Sleeper.SYSTEM)
        .setBackoffScale(1.0)
        .setRetryPolicy(RetryPolicy.defaults())
        .build();
  }

  public HttpClientConfiguration withUserAgent(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      throw new IllegalArgumentException("withUserAgent() needs a non-empty user agent");
    }
    return toBuilder().setUserAgent(userAgent).build();
  }

  public HttpClientConfiguration withRequestTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "withRequestTimeout() needs a positive duration, got " + timeout);
    }
    return toBuilder().setRequestTimeout(timeout).build();
  }

  public HttpClientConfiguration withSleeper(Sleeper sleeper) {
    if (sleeper == null) {
      throw new IllegalArgumentException("withSleeper() needs a sleeper");
    }
    return toBuilder().setSleeper(sleeper).build();
  }

  public HttpClientConfiguration withBackoffScale(double scale) {
    if (!(scale >= 0)) {
      throw new IllegalArgumentException(
          "withBackoffScale() needs a scale of 0 or more, got " + scale);
    }
    return toBuilder().setBackoffScale(scale).build();
  }

  public HttpClientConfiguration withRetryPolicy(RetryPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException(
          "withRetryPolicy() needs a policy, e.g. RetryPolicy.defaults()");
    }
    return toBuilder().setRetryPolicy(policy).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setUserAgent(String value);

    abstract Builder setConnectTimeout(Duration value);

    abstract Builder setRequestTimeout(Duration value);

    abstract Builder setSleeper(Sleeper value);

    abstract Builder setBackoffScale(double value);

    abstract Builder setRetryPolicy(RetryPolicy value);

    abstract HttpClientConfiguration build();
  }
}

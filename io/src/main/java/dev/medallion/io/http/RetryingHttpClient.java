package dev.medallion.io.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client that retries by failure type (the configuration's {@link RetryPolicy}) and logs
 * each attempt and its reason. With a {@link TokenProvider} it sends {@code Authorization: Bearer}
 * and, on a 401, refreshes the token once and retries once; a second 401 fails as AUTHENTICATION.
 * It never logs request headers or bodies, so credentials stay out of the logs. No wait exceeds the
 * policy's {@link RetryPolicy#maxWait()}: a longer backoff is cut to it, and a Retry-After beyond
 * it fails the request at once as rate limited (the run goes on; the next run asks again).
 */
public final class RetryingHttpClient {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingHttpClient.class);

  private final HttpClientConfiguration configuration;
  private final HttpClient client;
  @Nullable private final TokenProvider tokens;
  @Nullable private final RateLimitSignal rateLimited;

  /**
   * Says whether a response other than 429 is a rate limit too: Google answers quota errors with
   * HTTP 403 and the reason in the body ({@code userRateLimitExceeded}), which must be retried like
   * a 429 while any other 403 (no access) must not.
   */
  @FunctionalInterface
  public interface RateLimitSignal extends java.io.Serializable {
    boolean isRateLimited(int status, byte[] body);
  }

  public RetryingHttpClient(HttpClientConfiguration configuration) {
    this(configuration, null);
  }

  /**
   * A client whose requests carry the provider's bearer token; the provider must be {@link
   * TokenProvider#open open}.
   */
  public RetryingHttpClient(HttpClientConfiguration configuration, @Nullable TokenProvider tokens) {
    this(configuration, tokens, null);
  }

  /**
   * A client that also retries, as rate limited, the responses {@code rateLimited} recognises (with
   * the policy's RATE_LIMIT attempts and backoff, and a Retry-After when one is sent).
   */
  public RetryingHttpClient(
      HttpClientConfiguration configuration,
      @Nullable TokenProvider tokens,
      @Nullable RateLimitSignal rateLimited) {
    this.configuration = configuration;
    this.tokens = tokens;
    this.rateLimited = rateLimited;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(configuration.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The body and status of a response that needs no retry. */
  public record Response(int status, byte[] body, Map<String, java.util.List<String>> headers) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
    }
  }

  public Response get(URI uri, Map<String, String> headers) throws HttpFailure {
    return send("GET", uri, headers, null);
  }

  public Response postJson(URI uri, Map<String, String> headers, String json) throws HttpFailure {
    return send("POST", uri, headers, json);
  }

  /** A POST of an {@code application/x-www-form-urlencoded} form (OAuth token requests). */
  public Response postForm(URI uri, Map<String, String> headers, Map<String, String> form)
      throws HttpFailure {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send("POST", uri, headers, body, "application/x-www-form-urlencoded");
  }

  /**
   * Sends a request with an optional JSON body; see {@link #send(String, URI, Map, String,
   * String)}.
   */
  public Response send(String method, URI uri, Map<String, String> headers, String jsonBody)
      throws HttpFailure {
    return send(method, uri, headers, jsonBody, "application/json");
  }

  /**
   * Sends a request, retrying network errors, server errors, timeouts and 429s. Returns any 2xx,
   * 3xx or 4xx other than 429 (and, with a token provider, 401) for the caller to interpret; throws
   * once retries are used up.
   */
  public Response send(
      String method,
      URI uri,
      Map<String, String> headers,
      @Nullable String body,
      String contentType)
      throws HttpFailure {
    RetryPolicy policy = configuration.retryPolicy();
    String target = method + " " + withoutQuery(uri);
    boolean refreshed = false;
    int attempt = 0;
    while (true) {
      attempt++;
      FailureType failure;
      String reason;
      Duration wait;
      int status = 0;
      Throwable cause = null;
      try {
        HttpResponse<byte[]> response =
            client.send(
                request(method, uri, headers, body, contentType),
                HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        if (status == 401 && tokens != null) {
          if (refreshed) {
            throw new HttpFailure(
                FailureType.AUTHENTICATION,
                401,
                target
                    + " answered HTTP 401 again after the token was refreshed once: the credential is refused");
          }
          LOG.info("{} answered 401; refreshing the token and retrying once", target);
          tokens.refresh();
          tokens.mask(""); // the new token is a secret too
          refreshed = true;
          attempt--;
          continue;
        }
        if (status == 429
            || (rateLimited != null
                && status != 401
                && rateLimited.isRateLimited(status, response.body()))) {
          failure = FailureType.RATE_LIMIT;
          reason = "HTTP " + status + " rate limited";
          Optional<Duration> asked = retryAfter(response);
          if (asked.isPresent() && asked.get().compareTo(policy.maxWait()) > 0) {
            throw new HttpFailure(
                failure,
                status,
                target
                    + " is rate limited (HTTP "
                    + status
                    + ") and asks to wait "
                    + seconds(asked.get())
                    + " (Retry-After: "
                    + response.headers().firstValue("Retry-After").orElse("")
                    + "), longer than the cap of "
                    + seconds(policy.maxWait())
                    + ": rate_limited for this run, the next run asks again");
          }
          wait = asked.orElse(policy.backoffAfter(failure, attempt));
        } else if (status >= 500) {
          failure = FailureType.NETWORK;
          reason = "HTTP " + status + " server error";
          wait = policy.backoffAfter(failure, attempt);
        } else {
          if (attempt > 1) {
            LOG.info("{} answered {} on attempt {}", target, status, attempt);
          }
          return new Response(status, response.body(), response.headers().map());
        }
      } catch (HttpTimeoutException e) {
        failure = FailureType.TIMEOUT;
        reason = "timed out after " + configuration.requestTimeout().toMillis() + " ms";
        wait = policy.backoffAfter(failure, attempt);
        cause = e;
      } catch (ConnectException e) {
        failure = FailureType.NETWORK;
        reason = "connection failed: " + e.getMessage();
        wait = policy.backoffAfter(failure, attempt);
        cause = e;
      } catch (HttpFailure e) {
        throw e;
      } catch (IOException e) {
        failure = FailureType.NETWORK;
        reason = "network error: " + e;
        wait = policy.backoffAfter(failure, attempt);
        cause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpFailure(FailureType.NETWORK, 0, target + " was interrupted", e);
      }
      int maxAttempts = policy.maxAttempts(failure);
      if (attempt >= maxAttempts) {
        throw new HttpFailure(
            failure, status, target + " failed after " + attempt + " attempt(s): " + reason, cause);
      }
      Duration capped = wait.compareTo(policy.maxWait()) > 0 ? policy.maxWait() : wait;
      Duration scaled =
          Duration.ofMillis((long) (capped.toMillis() * configuration.backoffScale()));
      LOG.warn(
          "{} attempt {}/{} failed ({}); retrying in {} ms",
          target,
          attempt,
          maxAttempts,
          reason,
          scaled.toMillis());
      try {
        configuration.sleeper().sleep(scaled);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpFailure(
            failure, status, target + " was interrupted while waiting to retry", e);
      }
    }
  }

  /** Built per attempt: a refreshed token must go out on the retry. */
  private HttpRequest request(
      String method,
      URI uri,
      Map<String, String> headers,
      @Nullable String body,
      String contentType)
      throws HttpFailure {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(configuration.requestTimeout())
            .header("User-Agent", configuration.userAgent());
    headers.forEach(builder::header);
    if (tokens != null) {
      builder.header("Authorization", "Bearer " + tokens.token());
    }
    if (body != null) {
      builder.header("Content-Type", contentType);
      builder.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  /**
   * ": " and the body on one line, cut to 200 characters, for an error message; "" for an empty
   * body.
   */
  public static String snippet(String body) {
    String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
    return flat.isEmpty()
        ? ""
        : ": " + (flat.length() > 200 ? flat.substring(0, 200) + "..." : flat);
  }

  /**
   * Retry-After in seconds or as an HTTP date; a number of seconds too large for a long is the
   * longest Duration, which every cap refuses.
   */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> value = response.headers().firstValue("Retry-After");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get().trim();
    if (text.matches("\\d{19,}")) {
      return Optional.of(
          new java.math.BigInteger(text).bitLength() < Long.SIZE
              ? Duration.ofSeconds(Long.parseLong(text))
              : Duration.ofSeconds(Long.MAX_VALUE));
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** "300 s": whole seconds, which a wait of Long.MAX_VALUE seconds also fits. */
  private static String seconds(Duration wait) {
    return wait.getSeconds() + " s";
  }

  private static String withoutQuery(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
  }
}

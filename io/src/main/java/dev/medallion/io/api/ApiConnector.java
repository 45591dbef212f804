package dev.medallion.io.api;

import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryPolicy;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.TokenProvider;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * What one API needs to say for {@link ApiSource} to land it in bronze: which requests to make, how
 * to read a page (rows out of the body, envelope errors), which requests follow a page (the next
 * page or cursor, fan-out requests), each stream's natural key, and optionally its retry policy,
 * its token provider and its headers. Everything else (HTTP, retries by failure type, 401 refresh,
 * counting, the quarantine of failed requests and refused rows) is the skeleton's.
 *
 * <p>A connector is a serializable value (its settings: streams, limits, watermark); it holds no
 * client and no secret.
 */
public interface ApiConnector extends Serializable {
  /**
   * The API's real base URL, e.g. "https://elgoose.net/api/v2"; tests point the source elsewhere.
   */
  String defaultBaseUrl();

  /** The requests a run starts with. */
  List<ApiRequest> requests();

  /**
   * Reads a 2xx response: its rows and what follows. An unusable body (malformed JSON, an error
   * envelope) throws an {@link HttpFailure} of type {@link FailureType#DATA}: the request fails,
   * never an empty result.
   */
  ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure;

  /**
   * As {@link #readPage(ApiRequest, byte[])}, for a connector that also reads the response's
   * headers (quota headers: then it may wait or stop before the next page, see {@link
   * ApiPage#waitingBeforeNext} and {@link ApiPage#stoppingBeforeNext}).
   */
  default ApiPage readPage(ApiRequest request, byte[] body, Map<String, List<String>> headers)
      throws HttpFailure {
    return readPage(request, body);
  }

  /** The natural key of a stream's rows. */
  NaturalKey naturalKey(String stream);

  /**
   * A response that is neither 2xx nor retried (404, 403, ...): a DATA failure by default. A
   * connector for which some status means "no rows" answers an empty page instead.
   */
  default ApiPage readStatus(ApiRequest request, int status, String body) throws HttpFailure {
    throw new HttpFailure(
        FailureType.DATA,
        status,
        "GET "
            + request.describe()
            + " answered HTTP "
            + status
            + RetryingHttpClient.snippet(body));
  }

  /**
   * The streams a failed request leaves unread, each with its reason: by default its own stream. A
   * request that plans others (a list of dates) also fails the streams it would have planned.
   */
  default Map<String, String> failedStreams(ApiRequest request, String reason) {
    Map<String, String> failed = new LinkedHashMap<>();
    failed.put(request.getStream(), reason);
    return failed;
  }

  /** Attempts and backoff per failure type. */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.defaults();
  }

  /** A new provider of the bearer token, or null for an API without authentication. */
  @Nullable
  default TokenProvider tokenProvider() {
    return null;
  }

  /** Headers every request carries (never a credential: that is the token provider's). */
  default Map<String, String> headers() {
    return Map.of("Accept", "application/json");
  }
}

package dev.medallion.io.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryPolicy;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connector shaped like Strava's API (API-REFERENCE.md section 3), for the skeleton's tests: the
 * "activities" stream pages through {@code /athlete/activities?page=N&per_page=2} (a bare JSON
 * array, {@code []} past the end), the "athlete" stream is the one object at {@code /athlete};
 * bearer auth from the given provider; network errors get 3 attempts from 500 ms.
 */
final class StravaShapedConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ACTIVITIES = "activities";
  static final String ATHLETE = "athlete";
  static final int PER_PAGE = 2;
  static final RetryPolicy POLICY =
      RetryPolicy.defaults().with(FailureType.NETWORK, 3, Duration.ofMillis(500));

  private final List<String> streams;
  private final TokenProvider tokens;

  StravaShapedConnector(List<String> streams, TokenProvider tokens) {
    this.streams = List.copyOf(streams);
    this.tokens = tokens;
  }

  @Override
  public String defaultBaseUrl() {
    return "https://www.strava.com/api/v3";
  }

  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    if (streams.contains(ACTIVITIES)) {
      requests.add(page(1));
    }
    if (streams.contains(ATHLETE)) {
      requests.add(ApiRequest.get(ATHLETE, "/athlete", ""));
    }
    return requests;
  }

  static ApiRequest page(int number) {
    return ApiRequest.create(
        ACTIVITIES,
        "/athlete/activities",
        "page=" + number + "&per_page=" + PER_PAGE,
        Integer.toString(number));
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " returned malformed JSON", e);
    }
    if (request.getStream().equals(ATHLETE)) {
      return ApiPage.of(List.of(json));
    }
    if (json == null || !json.isArray()) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " did not return an array");
    }
    if (json.isEmpty()) {
      return ApiPage.empty(); // past the last page
    }
    List<JsonNode> rows = new ArrayList<>();
    json.forEach(rows::add);
    return ApiPage.of(rows).thenFetch(page(Integer.parseInt(request.getState()) + 1));
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return NaturalKey.of("id");
  }

  @Override
  public RetryPolicy retryPolicy() {
    return POLICY;
  }

  @Override
  public TokenProvider tokenProvider() {
    return tokens;
  }
}

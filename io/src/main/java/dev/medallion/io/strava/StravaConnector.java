package dev.medallion.io.strava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.NaturalKey;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.OAuthRefreshTokenProvider;
import dev.medallion.io.http.RefreshTokenStore;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Strava API v3 (API-REFERENCE.md section 3) as a connector with two streams:
 *
 * <ul>
 *   <li>{@value #ACTIVITIES}: {@code GET /athlete/activities?after=S&page=N&per_page=P}, a bare
 *       array, pages followed until an empty one. {@code after} (epoch seconds) is the newest
 *       stored {@code start_date} minus an overlap, so silver dedupes the overlap by id.
 *   <li>{@value #ATHLETE}: {@code GET /athlete}, one object.
 * </ul>
 *
 * After each page the quota headers are read ({@link StravaRateLimit}): when a window is spent the
 * next page waits for its reset if that is within {@link #withMaxQuotaWait}, else the stream stops
 * cleanly and its next page is owed, so the next run resumes exactly there. OAuth refresh with the
 * client id and secret; the refresh token Strava returns always replaces the stored one.
 */
public final class StravaConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String DEFAULT_BASE_URL = "https://www.strava.com/api/v3";
  public static final String DEFAULT_TOKEN_URL = "https://www.strava.com/oauth/token";
  public static final String ACTIVITIES = "activities";
  public static final String ATHLETE = "athlete";
  public static final List<String> STREAMS = List.of(ACTIVITIES, ATHLETE);
  public static final String CLIENT_ID = "STRAVA_CLIENT_ID";
  public static final String CLIENT_SECRET = "STRAVA_CLIENT_SECRET";
  public static final String REFRESH_TOKEN = "STRAVA_REFRESH_TOKEN";
  public static final String RESUMES_NEXT_RUN = "rate limited, resumes next run";

  private final List<String> streams;
  @Nullable private final Long after;
  private final int perPage;
  private final Duration maxQuotaWait;
  private final Clock clock;
  private final String tokenUrl;
  private final SecretSource secrets;
  @Nullable private final RefreshTokenStore store;

  private StravaConnector(
      List<String> streams,
      @Nullable Long after,
      int perPage,
      Duration maxQuotaWait,
      Clock clock,
      String tokenUrl,
      SecretSource secrets,
      @Nullable RefreshTokenStore store) {
    this.streams = List.copyOf(streams);
    this.after = after;
    this.perPage = perPage;
    this.maxQuotaWait = maxQuotaWait;
    this.clock = clock;
    this.tokenUrl = tokenUrl;
    this.secrets = secrets;
    this.store = store;
  }

  /** Both streams, 200 per page, no {@code after}, waits of up to 2 minutes for a quota window. */
  public static StravaConnector create() {
    return new StravaConnector(
        STREAMS,
        null,
        200,
        Duration.ofMinutes(2),
        Clock.systemUTC(),
        DEFAULT_TOKEN_URL,
        SecretSource.ENVIRONMENT,
        null);
  }

  public StravaConnector withStreams(List<String> chosen) {
    if (chosen == null || chosen.isEmpty() || !STREAMS.containsAll(chosen)) {
      throw new IllegalArgumentException(
          "withStreams() takes " + String.join(", ", STREAMS) + ", got " + chosen);
    }
    return new StravaConnector(
        chosen, after, perPage, maxQuotaWait, clock, tokenUrl, secrets, store);
  }

  /** Activities that start after this instant (epoch seconds); null for all. */
  public StravaConnector withAfter(@Nullable Long epochSeconds) {
    return new StravaConnector(
        streams, epochSeconds, perPage, maxQuotaWait, clock, tokenUrl, secrets, store);
  }

  public StravaConnector withPerPage(int count) {
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("withPerPage() takes 1 to 200, got " + count);
    }
    return new StravaConnector(
        streams, after, count, maxQuotaWait, clock, tokenUrl, secrets, store);
  }

  /** The longest wait for a spent quota window to reset before the stream stops for this run. */
  public StravaConnector withMaxQuotaWait(Duration wait) {
    if (wait == null || wait.isNegative()) {
      throw new IllegalArgumentException("withMaxQuotaWait() needs a wait of zero or more");
    }
    return new StravaConnector(streams, after, perPage, wait, clock, tokenUrl, secrets, store);
  }

  public StravaConnector withClock(Clock now) {
    return new StravaConnector(
        streams, after, perPage, maxQuotaWait, now, tokenUrl, secrets, store);
  }

  public StravaConnector withTokenUrl(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("withTokenUrl() needs an http(s) URL, got " + url);
    }
    return new StravaConnector(streams, after, perPage, maxQuotaWait, clock, url, secrets, store);
  }

  public StravaConnector withSecretSource(SecretSource source) {
    return new StravaConnector(
        streams, after, perPage, maxQuotaWait, clock, tokenUrl, source, store);
  }

  public StravaConnector withRefreshTokenStore(RefreshTokenStore refreshTokenStore) {
    return new StravaConnector(
        streams, after, perPage, maxQuotaWait, clock, tokenUrl, secrets, refreshTokenStore);
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    if (streams.contains(ACTIVITIES)) {
      requests.add(activities(1));
    }
    if (streams.contains(ATHLETE)) {
      requests.add(ApiRequest.get(ATHLETE, "/athlete", ""));
    }
    return requests;
  }

  private ApiRequest activities(int page) {
    return activities(after == null ? "" : "after=" + after + "&", page, perPage);
  }

  /** The same {@code after} as the request before it: pages of one listing. */
  private static ApiRequest activities(String afterPart, int page, int perPage) {
    return ApiRequest.create(
        ACTIVITIES,
        "/athlete/activities",
        afterPart + "page=" + page + "&per_page=" + perPage,
        Integer.toString(page));
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure {
    return readPage(request, body, Map.of());
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body, Map<String, List<String>> headers)
      throws HttpFailure {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " returned malformed JSON", e);
    }
    if (request.getStream().equals(ATHLETE)) {
      if (json == null || !json.isObject()) {
        throw new HttpFailure(
            FailureType.DATA, 200, "GET " + request.describe() + " did not return an object");
      }
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
    ApiPage page = ApiPage.of(rows).thenFetch(nextPage(request));
    Optional<StravaRateLimit> quota = StravaRateLimit.of(headers);
    if (quota.isEmpty() || !(quota.get().windowSpent() || quota.get().dailySpent())) {
      return page;
    }
    Instant now = clock.instant();
    Duration wait = quota.get().waitFrom(now);
    if (wait.compareTo(maxQuotaWait) <= 0) {
      return page.waitingBeforeNext(wait);
    }
    return page.stoppingBeforeNext(
        RESUMES_NEXT_RUN
            + " (Strava: "
            + quota.get().describeSpent()
            + " until "
            + quota.get().nextAllowed(now)
            + ", later than --rate-limit-wait-seconds "
            + maxQuotaWait.getSeconds()
            + " allows)");
  }

  /** The page after {@code request}, with its {@code after} and page size. */
  static ApiRequest nextPage(ApiRequest request) {
    String query = request.getQuery();
    String afterPart = query.startsWith("after=") ? query.substring(0, query.indexOf('&') + 1) : "";
    int perPage = Integer.parseInt(query.replaceAll(".*per_page=(\\d+).*", "$1"));
    return activities(afterPart, Integer.parseInt(request.getState()) + 1, perPage);
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return NaturalKey.of("id");
  }

  @Override
  public TokenProvider tokenProvider() {
    OAuthRefreshTokenProvider provider =
        OAuthRefreshTokenProvider.of(tokenUrl, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
            .withSecretSource(secrets);
    return store == null ? provider : provider.withRefreshTokenStore(store);
  }
}

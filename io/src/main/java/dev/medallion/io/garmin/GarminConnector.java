package dev.medallion.io.garmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.NaturalKey;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.TokenProvider;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Garmin Connect (API-REFERENCE.md section 4, unofficial) as a connector with three streams:
 *
 * <ul>
 *   <li>{@value #ACTIVITIES}: {@code GET /activitylist-service/activities/search/activities
 *       ?start=N&limit=L}, a bare array, newest first. Pages follow ({@code start += limit}) until
 *       an empty one, or until a page holds an activity that starts at or before the watermark (the
 *       newest start already landed): everything older was landed by an earlier run. The watermark
 *       travels in the request's note, so a page owed by a failed run resumes with the watermark of
 *       the run that planned it.
 *   <li>{@value #SLEEP} and {@value #HEART_RATE}: one request per calendar date ({@code
 *       /wellness-service/wellness/dailySleepData/{displayName}?date=D&nonSleepBufferMinutes=60},
 *       {@code .../dailyHeartRate/{displayName}?date=D}), planned by the social profile request
 *       that supplies {@code displayName}. A day without data is a 200 with null values: it is
 *       landed like any other day (silver marks it), never a failure. Each row gets the request's
 *       date as {@code calendarDate}, its natural key (one Garmin account per database).
 * </ul>
 *
 * The bearer token is a stored DI OAuth2 pair ({@link GarminTokenProvider}): no login here.
 */
public final class GarminConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public static final String DEFAULT_BASE_URL = "https://connectapi.garmin.com";
  public static final String DEFAULT_TOKEN_URL =
      "https://diauth.garmin.com/di-oauth2-service/oauth/token";
  public static final String ACTIVITIES = "activities";
  public static final String SLEEP = "sleep";
  public static final String HEART_RATE = "heart_rate";
  public static final List<String> STREAMS = List.of(ACTIVITIES, SLEEP, HEART_RATE);
  public static final String ACTIVITIES_PATH = "/activitylist-service/activities/search/activities";
  public static final String PROFILE_PATH = "/userprofile-service/socialProfile";
  public static final String SLEEP_PATH = "/wellness-service/wellness/dailySleepData/";
  public static final String HEART_RATE_PATH = "/wellness-service/wellness/dailyHeartRate/";
  private static final String PROFILE = "profile";

  private final List<String> streams;
  @Nullable private final Long watermarkMillis;
  private final int limit;
  @Nullable private final String fromDate;
  @Nullable private final String toDate;
  private final String tokenUrl;
  private final SecretSource secrets;
  @Nullable private final JdbcTarget credentials;
  private final String runId;

  private GarminConnector(
      List<String> streams,
      @Nullable Long watermarkMillis,
      int limit,
      @Nullable String fromDate,
      @Nullable String toDate,
      String tokenUrl,
      SecretSource secrets,
      @Nullable JdbcTarget credentials,
      String runId) {
    this.streams = List.copyOf(streams);
    this.watermarkMillis = watermarkMillis;
    this.limit = limit;
    this.fromDate = fromDate;
    this.toDate = toDate;
    this.tokenUrl = tokenUrl;
    this.secrets = secrets;
    this.credentials = credentials;
    this.runId = runId;
  }

  /** All three streams, 100 activities a page, no watermark, today's wellness date only. */
  public static GarminConnector create() {
    return new GarminConnector(
        STREAMS, null, 100, null, null, DEFAULT_TOKEN_URL, SecretSource.ENVIRONMENT, null, "");
  }

  private GarminConnector copy(
      List<String> chosen, @Nullable Long watermark, int pageSize, String from, String to) {
    return new GarminConnector(
        chosen, watermark, pageSize, from, to, tokenUrl, secrets, credentials, runId);
  }

  public GarminConnector withStreams(List<String> chosen) {
    if (chosen == null || chosen.isEmpty() || !STREAMS.containsAll(chosen)) {
      throw new IllegalArgumentException(
          "withStreams() takes " + String.join(", ", STREAMS) + ", got " + chosen);
    }
    return copy(chosen, watermarkMillis, limit, fromDate, toDate);
  }

  /** Activities starting at or before this epoch millisecond are landed already; null for none. */
  public GarminConnector withWatermark(@Nullable Long epochMillis) {
    return copy(streams, epochMillis, limit, fromDate, toDate);
  }

  public GarminConnector withLimit(int pageSize) {
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("withLimit() takes 1 to 1000, got " + pageSize);
    }
    return copy(streams, watermarkMillis, pageSize, fromDate, toDate);
  }

  /** The calendar dates whose sleep and heart rate are asked, both ends included. */
  public GarminConnector withDates(LocalDate from, LocalDate to) {
    if (from == null || to == null || from.isAfter(to)) {
      throw new IllegalArgumentException(
          "withDates() needs a first date not after the last, got " + from + " and " + to);
    }
    return copy(streams, watermarkMillis, limit, from.toString(), to.toString());
  }

  public GarminConnector withTokenUrl(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("withTokenUrl() needs an http(s) URL, got " + url);
    }
    return new GarminConnector(
        streams, watermarkMillis, limit, fromDate, toDate, url, secrets, credentials, runId);
  }

  public GarminConnector withSecretSource(SecretSource source) {
    return new GarminConnector(
        streams, watermarkMillis, limit, fromDate, toDate, tokenUrl, source, credentials, runId);
  }

  /** Keeps the token pair encrypted in ops.credentials of this database (service "garmin"). */
  public GarminConnector withCredentialStore(JdbcTarget target, String run) {
    if (target == null || run == null) {
      throw new IllegalArgumentException("withCredentialStore() needs a database and a run id");
    }
    return new GarminConnector(
        streams, watermarkMillis, limit, fromDate, toDate, tokenUrl, secrets, target, run);
  }

  public String tokenUrl() {
    return tokenUrl;
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  private List<String> wellnessStreams() {
    return streams.stream().filter(s -> !s.equals(ACTIVITIES)).toList();
  }

  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    if (streams.contains(ACTIVITIES)) {
      requests.add(activities(0, limit, watermarkMillis == null ? "" : watermarkMillis.toString()));
    }
    List<String> wellness = wellnessStreams();
    if (!wellness.isEmpty()) {
      // Belongs to the first wellness stream: its failure leaves every wellness stream unread.
      requests.add(ApiRequest.create(wellness.get(0), PROFILE_PATH, "", PROFILE));
    }
    return requests;
  }

  private static ApiRequest activities(int start, int pageSize, String watermark) {
    return ApiRequest.create(
        ACTIVITIES, ACTIVITIES_PATH, "start=" + start + "&limit=" + pageSize, watermark);
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
    if (PROFILE.equals(request.getState()) && request.getPath().equals(PROFILE_PATH)) {
      return planDates(request, json);
    }
    if (request.getStream().equals(ACTIVITIES)) {
      return activitiesPage(request, json);
    }
    if (json == null || !json.isObject()) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " did not return an object");
    }
    ObjectNode row = ((ObjectNode) json).deepCopy();
    // The date asked is the day's key; a no-data answer may echo another date or none.
    row.put("calendarDate", request.getState());
    return ApiPage.of(List.of(row));
  }

  /** The social profile's displayName names the wellness paths: one request per date and stream. */
  private ApiPage planDates(ApiRequest request, JsonNode profile) throws HttpFailure {
    String displayName = profile == null ? null : profile.path("displayName").asText(null);
    if (displayName == null || displayName.isBlank()) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET " + request.describe() + " returned no displayName: the wellness paths need it");
    }
    String name = URLEncoder.encode(displayName, StandardCharsets.UTF_8).replace("+", "%20");
    LocalDate first = fromDate == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(fromDate);
    LocalDate last = toDate == null ? first : LocalDate.parse(toDate);
    List<ApiRequest> days = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      for (String stream : wellnessStreams()) {
        days.add(wellness(stream, name, day.toString()));
      }
    }
    return ApiPage.empty().alsoFetch(days);
  }

  private static ApiRequest wellness(String stream, String displayName, String date) {
    return stream.equals(SLEEP)
        ? ApiRequest.create(
            SLEEP, SLEEP_PATH + displayName, "date=" + date + "&nonSleepBufferMinutes=60", date)
        : ApiRequest.create(HEART_RATE, HEART_RATE_PATH + displayName, "date=" + date, date);
  }

  private ApiPage activitiesPage(ApiRequest request, JsonNode json) throws HttpFailure {
    if (json == null || !json.isArray()) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " did not return an array");
    }
    if (json.isEmpty()) {
      return ApiPage.empty(); // past the oldest activity
    }
    List<JsonNode> rows = new ArrayList<>();
    boolean reachedWatermark = false;
    Long watermark = request.getState().isEmpty() ? null : Long.parseLong(request.getState());
    for (JsonNode row : json) {
      rows.add(row);
      Long start = startMillis(row);
      if (watermark != null && start != null && start <= watermark) {
        reachedWatermark = true;
      }
    }
    ApiPage page = ApiPage.of(rows);
    if (reachedWatermark) {
      return page; // the rest is older than what earlier runs landed
    }
    String query = request.getQuery();
    int start = Integer.parseInt(query.replaceAll(".*start=(\\d+).*", "$1"));
    int pageSize = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
    return page.thenFetch(activities(start + pageSize, pageSize, request.getState()));
  }

  /** An activity's start in epoch ms: beginTimestamp, else startTimeGMT; null when neither. */
  @Nullable
  static Long startMillis(JsonNode row) {
    JsonNode begin = row.get("beginTimestamp");
    if (begin != null && begin.isNumber()) {
      return begin.asLong();
    }
    JsonNode gmt = row.get("startTimeGMT");
    if (gmt != null && gmt.isTextual()) {
      try {
        return LocalDateTime.parse(gmt.asText(), GMT).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public Map<String, String> failedStreams(ApiRequest request, String reason) {
    Map<String, String> failed = new LinkedHashMap<>();
    if (PROFILE.equals(request.getState()) && request.getPath().equals(PROFILE_PATH)) {
      wellnessStreams().forEach(s -> failed.put(s, reason));
    } else {
      failed.put(request.getStream(), reason);
    }
    return failed;
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return stream.equals(ACTIVITIES) ? NaturalKey.of("activityId") : NaturalKey.of("calendarDate");
  }

  @Override
  public TokenProvider tokenProvider() {
    return new GarminTokenProvider(tokenUrl, secrets, credentials, runId);
  }
}

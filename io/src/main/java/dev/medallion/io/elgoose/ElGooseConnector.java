package dev.medallion.io.elgoose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.NaturalKey;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * The ElGoose API v2 (Songfish engine; no auth, no paging; API-REFERENCE.md section 1) as an {@link
 * ApiConnector}:
 *
 * <pre>{@code
 * pipeline.apply(ApiSource.of(ElGooseConnector.create()
 *     .withEndpoints(List.of(ElGooseEndpoint.SETLISTS, ElGooseEndpoint.SHOWS))
 *     .withSetlistsAfter(LocalDate.parse("2024-06-08"))   // incremental; leave out for everything
 *     .withRecordLimit(100)));                            // optional, off by default
 * }</pre>
 *
 * <p>Setlists are read one show date at a time ({@code /setlists/showdate/DAY.json}); the dates
 * come from the shows list: every show, or (with {@link #withSetlistsAfter}) the newest shows by
 * {@code order_by=showdate&direction=desc&limit=N}, falling back to every show when all N are new.
 * Other endpoints are read whole ({@code /{method}.json}). Every response is the envelope {@code
 * {"error": flag, "error_message": text, "data": [rows]}}: the flag is a boolean in live responses
 * and a number in older docs, so {@code true}, a non-zero number or a non-empty string other than
 * "0"/"false" is an error, and so is a {@code data} that is not an array; either fails its request,
 * never an empty result. A 404 on a filter path means there was no show that day.
 */
@AutoValue
public abstract class ElGooseConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String DEFAULT_BASE_URL = "https://elgoose.net/api/v2";

  /**
   * The state of the newest-shows request of an incremental run, which may lead to the whole list.
   */
  private static final String PROBE = "probe";

  abstract List<ElGooseEndpoint> endpoints();

  @Nullable
  abstract Integer recordLimit();

  /** Only setlists of shows after this day (ISO date), or null for all. */
  @Nullable
  abstract String setlistsAfter();

  abstract int newestShows();

  /** Only the setlist of this one show date (ISO date), or null: a backfill's business date. */
  @Nullable
  abstract String setlistsOn();

  abstract Builder toBuilder();

  /** Every endpoint, every setlist, no record limit, 5 newest shows per incremental probe. */
  public static ElGooseConnector create() {
    return new AutoValue_ElGooseConnector.Builder()
        .setEndpoints(List.of(ElGooseEndpoint.values()))
        .setNewestShows(5)
        .build();
  }

  public ElGooseConnector withEndpoints(List<ElGooseEndpoint> endpoints) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException(
          "withEndpoints() needs at least one of " + ElGooseEndpoint.allMethods());
    }
    return toBuilder().setEndpoints(List.copyOf(endpoints)).build();
  }

  /** At most this many rows per request ({@code limit=N}); null (the default) for no limit. */
  public ElGooseConnector withRecordLimit(@Nullable Integer recordLimit) {
    if (recordLimit != null && recordLimit < 1) {
      throw new IllegalArgumentException(
          "withRecordLimit() needs a positive number or null, got " + recordLimit);
    }
    return toBuilder().setRecordLimit(recordLimit).build();
  }

  /**
   * Incremental reads: only setlists of shows dated after {@code day}; null reads every setlist.
   */
  public ElGooseConnector withSetlistsAfter(@Nullable LocalDate day) {
    return toBuilder().setSetlistsAfter(day == null ? null : day.toString()).build();
  }

  /**
   * One business date: the shows list is read whole, and only the setlist of {@code day} (none when
   * no show was played that day); {@link #withSetlistsAfter} does not apply.
   */
  public ElGooseConnector withSetlistsOn(@Nullable LocalDate day) {
    return toBuilder().setSetlistsOn(day == null ? null : day.toString()).build();
  }

  /** How many of the newest shows an incremental read asks for first (default 5). */
  public ElGooseConnector withNewestShows(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("withNewestShows() needs a positive number, got " + count);
    }
    return toBuilder().setNewestShows(count).build();
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return ElGooseEndpoint.fromMethod(stream).naturalKey();
  }

  /** The whole tables in endpoint order, then the shows list when shows or setlists are chosen. */
  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    for (ElGooseEndpoint endpoint : endpoints()) {
      if (endpoint != ElGooseEndpoint.SETLISTS && endpoint != ElGooseEndpoint.SHOWS) {
        requests.add(allRows(endpoint, recordLimit()));
      }
    }
    if (endpoints().contains(ElGooseEndpoint.SHOWS)
        || endpoints().contains(ElGooseEndpoint.SETLISTS)) {
      requests.add(
          setlistsAfter() == null || setlistsOn() != null
              ? everyShow()
              : newestShows(newestShows()).withState(PROBE));
    }
    return requests;
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure {
    List<JsonNode> rows = envelopeRows(request.describe(), body);
    if (!isShowList(request)) {
      return ApiPage.of(rows).limitedTo(recordLimit());
    }
    LocalDate on = setlistsOn() == null ? null : LocalDate.parse(setlistsOn());
    LocalDate after =
        setlistsAfter() == null || on != null ? null : LocalDate.parse(setlistsAfter());
    if (request.getState().equals(PROBE)
        && shows(rows, null).size() >= newestShows()
        && allAfter(shows(rows, null), after)) {
      return ApiPage.empty().thenFetch(everyShow()); // all N newest are new: more may be missing
    }
    // The incremental probe and its fallback keep every show they got; a full read is cut to the
    // limit.
    Integer limit = after == null && on == null ? recordLimit() : null;
    List<ApiRequest> setlists = new ArrayList<>();
    if (endpoints().contains(ElGooseEndpoint.SETLISTS)) {
      for (LocalDate day :
          showDates(shows(rows, limit), after, on == null ? recordLimit() : null)) {
        if (on == null || day.equals(on)) {
          setlists.add(setlistOn(day));
        }
      }
    }
    List<JsonNode> kept = endpoints().contains(ElGooseEndpoint.SHOWS) ? rows : List.of();
    return ApiPage.of(kept).limitedTo(limit).alsoFetch(setlists);
  }

  /** No show that day: a filter path ({@code /{method}/{column}/{value}.json}) answering 404. */
  @Override
  public ApiPage readStatus(ApiRequest request, int status, String body) throws HttpFailure {
    if (status == 404 && isFilter(request)) {
      return ApiPage.empty();
    }
    return ApiConnector.super.readStatus(request, status, body);
  }

  /** A failed shows list also leaves the setlists unread: no dates to read them for. */
  @Override
  public Map<String, String> failedStreams(ApiRequest request, String reason) {
    if (!isShowList(request)) {
      return ApiConnector.super.failedStreams(request, reason);
    }
    Map<String, String> failed = new LinkedHashMap<>();
    if (endpoints().contains(ElGooseEndpoint.SHOWS)) {
      failed.put(ElGooseEndpoint.SHOWS.method(), reason);
    }
    if (endpoints().contains(ElGooseEndpoint.SETLISTS)) {
      failed.put(
          ElGooseEndpoint.SETLISTS.method(), "no show dates to read setlists for: " + reason);
    }
    return failed;
  }

  /** The rows of an envelope; throws a DATA failure when the response is unusable. */
  static List<JsonNode> envelopeRows(String request, byte[] body) throws HttpFailure {
    JsonNode envelope;
    try {
      envelope = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET " + request + " returned malformed JSON: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET " + request + " returned an unreadable body: " + e.getMessage(),
          e);
    }
    if (envelope == null || !envelope.isObject()) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET "
              + request
              + " did not return a JSON object envelope"
              + RetryingHttpClient.snippet(new String(body, StandardCharsets.UTF_8)));
    }
    if (isError(envelope.get("error"))) {
      String message = envelope.path("error_message").asText("");
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET "
              + request
              + " returned an error envelope (error="
              + envelope.get("error")
              + ")"
              + (message.isEmpty() ? "" : ": " + message));
    }
    JsonNode data = envelope.get("data");
    if (data == null || !data.isArray()) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET "
              + request
              + " returned 'data' that is not an array: "
              + (data == null ? "missing" : data.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    List<JsonNode> rows = new ArrayList<>();
    data.forEach(rows::add);
    return rows;
  }

  /** true, a non-zero number, or a string other than "", "0" and "false". */
  static boolean isError(JsonNode flag) {
    if (flag == null || flag.isNull()) {
      return false;
    }
    if (flag.isBoolean()) {
      return flag.booleanValue();
    }
    if (flag.isNumber()) {
      return flag.doubleValue() != 0;
    }
    String text = flag.asText().strip();
    return !(text.isEmpty() || text.equals("0") || text.equalsIgnoreCase("false"));
  }

  /** All rows: {@code /{method}.json}, bounded by {@code limit} when a record limit is set. */
  static ApiRequest allRows(ElGooseEndpoint endpoint, @Nullable Integer recordLimit) {
    return ApiRequest.get(
        endpoint.method(),
        "/" + endpoint.method() + ".json",
        recordLimit == null ? "" : "limit=" + recordLimit);
  }

  /** The setlist of one day: {@code /setlists/showdate/YYYY-MM-DD.json}. */
  static ApiRequest setlistOn(LocalDate showDate) {
    return ApiRequest.get(
        ElGooseEndpoint.SETLISTS.method(), "/setlists/showdate/" + showDate + ".json", "");
  }

  /** The show date of a {@link #setlistOn} request, or null for any other request. */
  @Nullable
  public static LocalDate setlistDay(ApiRequest request) {
    String path = request.getPath();
    String prefix = "/setlists/showdate/";
    if (!path.startsWith(prefix) || !path.endsWith(".json")) {
      return null;
    }
    try {
      return LocalDate.parse(path.substring(prefix.length(), path.length() - ".json".length()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The newest shows first: {@code /shows.json?order_by=showdate&direction=desc&limit=N}. */
  static ApiRequest newestShows(int limit) {
    return ApiRequest.get(
        ElGooseEndpoint.SHOWS.method(),
        "/shows.json",
        "order_by=showdate&direction=desc&limit=" + limit);
  }

  /** Every show; with a record limit, the newest that many (a bare limit would give the oldest). */
  private ApiRequest everyShow() {
    return recordLimit() == null
        ? allRows(ElGooseEndpoint.SHOWS, null)
        : newestShows(recordLimit());
  }

  private static boolean isShowList(ApiRequest request) {
    return request.getPath().equals("/shows.json");
  }

  /** A filter request ({@code /{method}/{column}/{value}.json}), where a 404 means "no rows". */
  static boolean isFilter(ApiRequest request) {
    return request.getPath().chars().filter(c -> c == '/').count() >= 3;
  }

  /** The show rows that are kept as records: objects with a show_id, at most {@code limit}. */
  private static List<JsonNode> shows(List<JsonNode> rows, @Nullable Integer limit) {
    List<JsonNode> shows = new ArrayList<>();
    for (JsonNode row : rows) {
      if (limit != null && shows.size() >= limit) {
        break;
      }
      if (row.isObject() && ElGooseEndpoint.SHOWS.naturalKey().valueIn(row) != null) {
        shows.add(row);
      }
    }
    return shows;
  }

  private static boolean allAfter(List<JsonNode> shows, LocalDate after) {
    for (JsonNode show : shows) {
      LocalDate day = day(show);
      if (day != null && !day.isAfter(after)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Distinct dates after {@code after} (all when null), oldest first, the newest {@code limit} of
   * them.
   */
  private static List<LocalDate> showDates(
      List<JsonNode> shows, @Nullable LocalDate after, @Nullable Integer limit) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (JsonNode show : shows) {
      LocalDate day = day(show);
      if (day != null && (after == null || day.isAfter(after))) {
        days.add(day);
      }
    }
    List<LocalDate> list = new ArrayList<>(days);
    return limit == null || list.size() <= limit
        ? list
        : list.subList(list.size() - limit, list.size());
  }

  @Nullable
  private static LocalDate day(JsonNode show) {
    JsonNode date = show.get("showdate");
    try {
      return date == null || date.isNull() ? null : LocalDate.parse(date.asText().strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEndpoints(List<ElGooseEndpoint> value);

    abstract Builder setRecordLimit(Integer value);

    abstract Builder setSetlistsAfter(String value);

    abstract Builder setNewestShows(int value);

    abstract Builder setSetlistsOn(String value);

    abstract ElGooseConnector build();
  }
}

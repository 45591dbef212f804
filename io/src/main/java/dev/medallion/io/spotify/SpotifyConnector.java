package dev.medallion.io.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Spotify Web API (API-REFERENCE.md section 2), six streams:
 *
 * <ul>
 *   <li>{@value #RECENTLY_PLAYED}: {@code GET /me/player/recently-played}, cursor paging, newest
 *       first. A first run walks back through {@code next} ({@code before=} cursors) until an empty
 *       page or a null {@code next}; later runs ask once for {@code after=<newest played_at stored,
 *       in ms>}: Spotify keeps only the last 50 plays. Keyed by {@code played_at}.
 *   <li>{@value #SAVED_TRACKS} and {@value #SAVED_ALBUMS}: {@code GET /me/tracks}, {@code
 *       /me/albums}, offset paging, newest first: with a watermark (the newest {@code added_at}
 *       landed) the stream keeps the items added after it and stops at the first item at or before
 *       it. The watermark travels in each request's state, so a page owed by a failed run resumes
 *       with the watermark of that run (a newer one would drop the page's older items). Keyed by
 *       {@code track.id} / {@code album.id}.
 *   <li>{@value #PLAYLISTS}: {@code GET /me/playlists}, offset paging to the end; keyed by {@code
 *       id}. A changed {@code snapshot_id} changes the payload, so bronze stores a new version.
 *   <li>{@value #TOP_TRACKS} and {@value #TOP_ARTISTS}: {@code GET /me/top/tracks|artists} per time
 *       range, offset paging. Spotify's rows say nothing of when or where they ranked, so each is
 *       landed wrapped as {@code {snapshot_date, time_range, rank, item}} (the item untouched),
 *       keyed by (snapshot date, time range, rank = offset + index + 1, item id): one dated
 *       snapshot per run day.
 * </ul>
 *
 * OAuth refresh with the client id and secret in a Basic header; a rotated refresh token is kept.
 */
public final class SpotifyConnector implements ApiConnector {
  private static final long serialVersionUID = 2L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String DEFAULT_BASE_URL = "https://api.spotify.com/v1";
  public static final String DEFAULT_TOKEN_URL = "https://accounts.spotify.com/api/token";
  public static final String RECENTLY_PLAYED = "recently_played";
  public static final String SAVED_TRACKS = "saved_tracks";
  public static final String SAVED_ALBUMS = "saved_albums";
  public static final String PLAYLISTS = "playlists";
  public static final String TOP_TRACKS = "top_tracks";
  public static final String TOP_ARTISTS = "top_artists";
  public static final List<String> STREAMS =
      List.of(RECENTLY_PLAYED, SAVED_TRACKS, SAVED_ALBUMS, PLAYLISTS, TOP_TRACKS, TOP_ARTISTS);

  /** The data types of the seed this connector does not read yet: none. */
  public static final List<String> NOT_YET = List.of();

  /** Spotify's time ranges of top items: about 4 weeks, 6 months and a year. */
  public static final List<String> TIME_RANGES = List.of("short_term", "medium_term", "long_term");

  public static final String CLIENT_ID = "SPOTIFY_CLIENT_ID";
  public static final String CLIENT_SECRET = "SPOTIFY_CLIENT_SECRET";
  public static final String REFRESH_TOKEN = "SPOTIFY_REFRESH_TOKEN";
  private static final String PLAYED_PATH = "/me/player/recently-played";
  private static final Map<String, String> PATHS =
      Map.of(
          SAVED_TRACKS, "/me/tracks",
          SAVED_ALBUMS, "/me/albums",
          PLAYLISTS, "/me/playlists",
          TOP_TRACKS, "/me/top/tracks",
          TOP_ARTISTS, "/me/top/artists");

  private List<String> streams = List.of(RECENTLY_PLAYED);
  @Nullable private Long playedAfterMillis;
  @Nullable private String savedTracksAfter;
  @Nullable private String savedAlbumsAfter;
  private String snapshotDate = "";
  private List<String> timeRanges = TIME_RANGES;
  private int limit = 50;
  private String tokenUrl = DEFAULT_TOKEN_URL;
  private SecretSource secrets = SecretSource.ENVIRONMENT;
  @Nullable private RefreshTokenStore store;

  private SpotifyConnector() {}

  public static SpotifyConnector create() {
    return new SpotifyConnector();
  }

  private SpotifyConnector copy() {
    SpotifyConnector c = new SpotifyConnector();
    c.streams = streams;
    c.playedAfterMillis = playedAfterMillis;
    c.savedTracksAfter = savedTracksAfter;
    c.savedAlbumsAfter = savedAlbumsAfter;
    c.snapshotDate = snapshotDate;
    c.timeRanges = timeRanges;
    c.limit = limit;
    c.tokenUrl = tokenUrl;
    c.secrets = secrets;
    c.store = store;
    return c;
  }

  /** The streams to read, among {@link #STREAMS}. */
  public SpotifyConnector withStreams(List<String> chosen) {
    if (chosen == null || chosen.isEmpty() || !STREAMS.containsAll(chosen)) {
      throw new IllegalArgumentException(
          "withStreams() takes some of " + STREAMS + ", got " + chosen);
    }
    SpotifyConnector c = copy();
    c.streams = List.copyOf(chosen);
    return c;
  }

  /** Plays after this instant (epoch ms, the watermark); null walks back through all 50. */
  public SpotifyConnector withPlayedAfter(@Nullable Long epochMillis) {
    SpotifyConnector c = copy();
    c.playedAfterMillis = epochMillis;
    return c;
  }

  /** Saved tracks added after this instant (the newest added_at landed); null reads them all. */
  public SpotifyConnector withSavedTracksAfter(@Nullable Instant watermark) {
    SpotifyConnector c = copy();
    c.savedTracksAfter = watermark == null ? null : watermark.toString();
    return c;
  }

  /** Saved albums added after this instant; null reads them all. */
  public SpotifyConnector withSavedAlbumsAfter(@Nullable Instant watermark) {
    SpotifyConnector c = copy();
    c.savedAlbumsAfter = watermark == null ? null : watermark.toString();
    return c;
  }

  /** The date top items are a snapshot of (the run's day in the configured timezone). */
  public SpotifyConnector withSnapshotDate(LocalDate date) {
    if (date == null) {
      throw new IllegalArgumentException("withSnapshotDate() needs a date");
    }
    SpotifyConnector c = copy();
    c.snapshotDate = date.toString();
    return c;
  }

  /** The time ranges of top items to read, among {@link #TIME_RANGES}. */
  public SpotifyConnector withTimeRanges(List<String> ranges) {
    if (ranges == null || ranges.isEmpty() || !TIME_RANGES.containsAll(ranges)) {
      throw new IllegalArgumentException(
          "withTimeRanges() takes some of " + TIME_RANGES + ", got " + ranges);
    }
    SpotifyConnector c = copy();
    c.timeRanges = List.copyOf(ranges);
    return c;
  }

  /** Items per request (Spotify allows 1 to 50). */
  public SpotifyConnector withLimit(int count) {
    if (count < 1 || count > 50) {
      throw new IllegalArgumentException("withLimit() takes 1 to 50, got " + count);
    }
    SpotifyConnector c = copy();
    c.limit = count;
    return c;
  }

  public SpotifyConnector withTokenUrl(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("withTokenUrl() needs an http(s) URL, got " + url);
    }
    SpotifyConnector c = copy();
    c.tokenUrl = url;
    return c;
  }

  public SpotifyConnector withSecretSource(SecretSource source) {
    SpotifyConnector c = copy();
    c.secrets = source;
    return c;
  }

  public SpotifyConnector withRefreshTokenStore(RefreshTokenStore refreshTokenStore) {
    SpotifyConnector c = copy();
    c.store = refreshTokenStore;
    return c;
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    for (String stream : streams) {
      switch (stream) {
        case RECENTLY_PLAYED -> {
          String query =
              (playedAfterMillis == null ? "" : "after=" + playedAfterMillis + "&")
                  + "limit="
                  + limit;
          requests.add(ApiRequest.create(RECENTLY_PLAYED, PLAYED_PATH, query, "1"));
        }
        case SAVED_TRACKS, SAVED_ALBUMS -> {
          String watermark = SAVED_TRACKS.equals(stream) ? savedTracksAfter : savedAlbumsAfter;
          requests.add(
              ApiRequest.create(
                  stream,
                  PATHS.get(stream),
                  "offset=0&limit=" + limit,
                  watermark == null ? "" : watermark));
        }
        case PLAYLISTS ->
            requests.add(ApiRequest.get(PLAYLISTS, PATHS.get(stream), "offset=0&limit=" + limit));
        case TOP_TRACKS, TOP_ARTISTS -> {
          if (snapshotDate.isEmpty()) {
            throw new IllegalStateException("withSnapshotDate() is needed to read " + stream);
          }
          for (String range : timeRanges) {
            requests.add(
                ApiRequest.create(
                    stream,
                    PATHS.get(stream),
                    "time_range=" + range + "&limit=" + limit + "&offset=0",
                    snapshotDate));
          }
        }
        default -> throw new IllegalStateException("not a Spotify stream: " + stream);
      }
    }
    return requests;
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
    if (json == null || !json.isObject() || !json.path("items").isArray()) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " has no items array");
    }
    return switch (request.getStream()) {
      case RECENTLY_PLAYED -> readPlays(request, json);
      case SAVED_TRACKS, SAVED_ALBUMS -> readSaved(request, json);
      case TOP_TRACKS, TOP_ARTISTS -> readTop(request, json);
      default -> followNext(request, json, items(json));
    };
  }

  private static List<JsonNode> items(JsonNode json) {
    List<JsonNode> rows = new ArrayList<>();
    json.get("items").forEach(rows::add);
    return rows;
  }

  private static ApiPage readPlays(ApiRequest request, JsonNode json) {
    List<JsonNode> rows = items(json);
    ApiPage page = ApiPage.of(rows);
    JsonNode next = json.get("next");
    // An incremental run (after=) is one page: the 50 newest are all Spotify keeps.
    if (rows.isEmpty()
        || next == null
        || !next.isTextual()
        || request.getQuery().startsWith("after=")) {
      return page;
    }
    String nextQuery = URI.create(next.asText()).getRawQuery();
    if (nextQuery == null || !nextQuery.contains("before=")) {
      return page;
    }
    return page.thenFetch(
        ApiRequest.create(
            RECENTLY_PLAYED,
            PLAYED_PATH,
            nextQuery,
            Integer.toString(Integer.parseInt(request.getState()) + 1)));
  }

  /**
   * Newest first: keeps the items added after the request's watermark and stops at the first one at
   * or before it. An item without a readable added_at is kept (every field is optional) and does
   * not stop the stream.
   */
  private static ApiPage readSaved(ApiRequest request, JsonNode json) {
    Instant watermark = request.getState().isEmpty() ? null : Instant.parse(request.getState());
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode item : items(json)) {
      Instant added = watermark == null ? null : instant(item.get("added_at"));
      if (added != null && !added.isAfter(watermark)) {
        return ApiPage.of(kept);
      }
      kept.add(item);
    }
    return followNext(request, json, kept);
  }

  /** Each item wrapped with the snapshot date, time range and rank (offset + index + 1). */
  private static ApiPage readTop(ApiRequest request, JsonNode json) {
    String range = queryValue(request.getQuery(), "time_range");
    int offset = Integer.parseInt(queryValue(request.getQuery(), "offset"));
    List<JsonNode> rows = new ArrayList<>();
    int index = 0;
    for (JsonNode item : items(json)) {
      ObjectNode row = MAPPER.createObjectNode();
      row.put("snapshot_date", request.getState());
      row.put("time_range", range);
      row.put("rank", offset + index + 1);
      row.set("item", item);
      rows.add(row);
      index++;
    }
    return followNext(request, json, rows);
  }

  /** Offset paging: the next page is {@code next}'s query on the same path, until it is null. */
  private static ApiPage followNext(ApiRequest request, JsonNode json, List<JsonNode> rows) {
    ApiPage page = ApiPage.of(rows);
    JsonNode next = json.get("next");
    if (json.get("items").isEmpty() || next == null || !next.isTextual()) {
      return page;
    }
    String nextQuery = URI.create(next.asText()).getRawQuery();
    if (nextQuery == null || nextQuery.equals(request.getQuery())) {
      return page; // a next that points at this very page would loop
    }
    return page.thenFetch(
        ApiRequest.create(request.getStream(), request.getPath(), nextQuery, request.getState()));
  }

  @Nullable
  private static Instant instant(@Nullable JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String queryValue(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new IllegalStateException("the request " + query + " has no " + name);
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return switch (stream) {
      case RECENTLY_PLAYED -> NaturalKey.of("played_at");
      case SAVED_TRACKS -> NaturalKey.of("track.id");
      case SAVED_ALBUMS -> NaturalKey.of("album.id");
      case TOP_TRACKS, TOP_ARTISTS ->
          NaturalKey.of("snapshot_date", "time_range", "rank", "item.id");
      default -> NaturalKey.of("id");
    };
  }

  @Override
  public TokenProvider tokenProvider() {
    OAuthRefreshTokenProvider provider =
        OAuthRefreshTokenProvider.of(tokenUrl, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
            .withSecretSource(secrets);
    return (store == null ? provider : provider.withRefreshTokenStore(store))
        .withClientAuthInBasicHeader();
  }
}

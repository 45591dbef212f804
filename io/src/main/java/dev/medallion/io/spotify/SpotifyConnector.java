package dev.medallion.io.spotify;

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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Spotify Web API (API-REFERENCE.md section 2), the {@value #RECENTLY_PLAYED} stream: {@code GET
 * /me/player/recently-played}, cursor paging, newest first. A first run walks back through {@code
 * next} ({@code before=} cursors) until an empty page or a null {@code next}; later runs ask once
 * for {@code after=<newest played_at stored, in ms>&limit=50}: Spotify keeps only the last 50
 * plays, so a run every 2 hours misses none. Rows are keyed by {@code played_at} (one play at a
 * time per user). OAuth refresh with the client id and secret in a Basic header; a rotated refresh
 * token is kept.
 */
public final class SpotifyConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String DEFAULT_BASE_URL = "https://api.spotify.com/v1";
  public static final String DEFAULT_TOKEN_URL = "https://accounts.spotify.com/api/token";
  public static final String RECENTLY_PLAYED = "recently_played";
  public static final List<String> STREAMS = List.of(RECENTLY_PLAYED);

  /** The data types of the seed this connector does not read yet. */
  public static final List<String> NOT_YET =
      List.of("saved_tracks", "saved_albums", "playlists", "top_tracks", "top_artists");

  public static final String CLIENT_ID = "SPOTIFY_CLIENT_ID";
  public static final String CLIENT_SECRET = "SPOTIFY_CLIENT_SECRET";
  public static final String REFRESH_TOKEN = "SPOTIFY_REFRESH_TOKEN";
  private static final String PATH = "/me/player/recently-played";

  @Nullable private final Long playedAfterMillis;
  private final int limit;
  private final String tokenUrl;
  private final SecretSource secrets;
  @Nullable private final RefreshTokenStore store;

  private SpotifyConnector(
      @Nullable Long playedAfterMillis,
      int limit,
      String tokenUrl,
      SecretSource secrets,
      @Nullable RefreshTokenStore store) {
    this.playedAfterMillis = playedAfterMillis;
    this.limit = limit;
    this.tokenUrl = tokenUrl;
    this.secrets = secrets;
    this.store = store;
  }

  public static SpotifyConnector create() {
    return new SpotifyConnector(null, 50, DEFAULT_TOKEN_URL, SecretSource.ENVIRONMENT, null);
  }

  /** Plays after this instant (epoch ms, the watermark); null walks back through all 50. */
  public SpotifyConnector withPlayedAfter(@Nullable Long epochMillis) {
    return new SpotifyConnector(epochMillis, limit, tokenUrl, secrets, store);
  }

  public SpotifyConnector withLimit(int count) {
    if (count < 1 || count > 50) {
      throw new IllegalArgumentException("withLimit() takes 1 to 50, got " + count);
    }
    return new SpotifyConnector(playedAfterMillis, count, tokenUrl, secrets, store);
  }

  public SpotifyConnector withTokenUrl(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("withTokenUrl() needs an http(s) URL, got " + url);
    }
    return new SpotifyConnector(playedAfterMillis, limit, url, secrets, store);
  }

  public SpotifyConnector withSecretSource(SecretSource source) {
    return new SpotifyConnector(playedAfterMillis, limit, tokenUrl, source, store);
  }

  public SpotifyConnector withRefreshTokenStore(RefreshTokenStore refreshTokenStore) {
    return new SpotifyConnector(playedAfterMillis, limit, tokenUrl, secrets, refreshTokenStore);
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public List<ApiRequest> requests() {
    String query =
        (playedAfterMillis == null ? "" : "after=" + playedAfterMillis + "&") + "limit=" + limit;
    return List.of(ApiRequest.create(RECENTLY_PLAYED, PATH, query, "1"));
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
    List<JsonNode> rows = new ArrayList<>();
    json.get("items").forEach(rows::add);
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
            PATH,
            nextQuery,
            Integer.toString(Integer.parseInt(request.getState()) + 1)));
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return NaturalKey.of("played_at");
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

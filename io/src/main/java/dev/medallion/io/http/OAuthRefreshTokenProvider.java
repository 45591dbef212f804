package dev.medallion.io.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * OAuth 2.0 with a refresh token (Strava, Spotify, ...): the client id, client secret and refresh
 * token are read from environment variables on the worker; an access token is obtained by {@code
 * POST tokenUrl} with the form {@code
 * grant_type=refresh_token&client_id&client_secret&refresh_token} and renewed the same way when the
 * API answers 401. A refresh token the server rotates (the response's {@code refresh_token})
 * replaces the old one for the rest of the worker's life; keeping it across runs is the caller's
 * business.
 */
public final class OAuthRefreshTokenProvider implements TokenProvider {
  private static final long serialVersionUID = 1L;
  private static final java.util.concurrent.ConcurrentHashMap<String, String> SHARED_ACCESS_TOKENS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<String, Object> LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String tokenUrl;
  private final String clientIdVariable;
  private final String clientSecretVariable;
  private final String refreshTokenVariable;
  @Nullable private final String accessTokenVariable;
  private final SecretSource source;
  @Nullable private final RefreshTokenStore store;

  /** Client id and secret as {@code Authorization: Basic} instead of form fields (Spotify). */
  private boolean basicAuth;

  private transient RetryingHttpClient http;
  private transient RefreshTokenStore.Opened opened;
  private transient String storedRefreshToken;
  private transient String clientId;
  private transient String clientSecret;
  private transient String refreshToken;
  private transient String accessToken;

  private OAuthRefreshTokenProvider(
      String tokenUrl,
      String clientIdVariable,
      String clientSecretVariable,
      String refreshTokenVariable,
      @Nullable String accessTokenVariable,
      SecretSource source,
      @Nullable RefreshTokenStore store) {
    if (tokenUrl == null || !(tokenUrl.startsWith("https://") || tokenUrl.startsWith("http://"))) {
      throw new IllegalArgumentException(
          "of() needs the token endpoint's http(s) URL, got " + tokenUrl);
    }
    URI.create(tokenUrl);
    for (String variable :
        new String[] {clientIdVariable, clientSecretVariable, refreshTokenVariable}) {
      if (variable == null || variable.isBlank()) {
        throw new IllegalArgumentException(
            "of() needs the names of the client id, client secret and refresh token variables");
      }
    }
    if (source == null) {
      throw new IllegalArgumentException("withSecretSource() needs a source");
    }
    this.tokenUrl = tokenUrl;
    this.clientIdVariable = clientIdVariable;
    this.clientSecretVariable = clientSecretVariable;
    this.refreshTokenVariable = refreshTokenVariable;
    this.accessTokenVariable = accessTokenVariable;
    this.source = source;
    this.store = store;
  }

  /** The token endpoint and the NAMES of the environment variables holding the client's secrets. */
  public static OAuthRefreshTokenProvider of(
      String tokenUrl,
      String clientIdVariable,
      String clientSecretVariable,
      String refreshTokenVariable) {
    return new OAuthRefreshTokenProvider(
        tokenUrl,
        clientIdVariable,
        clientSecretVariable,
        refreshTokenVariable,
        null,
        SecretSource.ENVIRONMENT,
        null);
  }

  /** Starts with the access token stored in this variable (refreshing only when it is refused). */
  public OAuthRefreshTokenProvider withAccessTokenVariable(String variable) {
    if (variable == null || variable.isBlank()) {
      throw new IllegalArgumentException("withAccessTokenVariable() needs a variable name");
    }
    return new OAuthRefreshTokenProvider(
        tokenUrl,
        clientIdVariable,
        clientSecretVariable,
        refreshTokenVariable,
        variable,
        source,
        store);
  }

  public OAuthRefreshTokenProvider withSecretSource(SecretSource secretSource) {
    return new OAuthRefreshTokenProvider(
        tokenUrl,
        clientIdVariable,
        clientSecretVariable,
        refreshTokenVariable,
        accessTokenVariable,
        secretSource,
        store);
  }

  /**
   * Keeps the refresh token in this store across runs: the stored one wins over the environment
   * variable (which only supplies the first value), and a token the server returns replaces it
   * there at once, before the access token is used.
   */
  public OAuthRefreshTokenProvider withRefreshTokenStore(RefreshTokenStore refreshTokenStore) {
    if (refreshTokenStore == null) {
      throw new IllegalArgumentException("withRefreshTokenStore() needs a store");
    }
    return new OAuthRefreshTokenProvider(
        tokenUrl,
        clientIdVariable,
        clientSecretVariable,
        refreshTokenVariable,
        accessTokenVariable,
        source,
        refreshTokenStore);
  }

  /**
   * Sends the client id and secret as {@code Authorization: Basic base64(id:secret)} rather than
   * form fields, as Spotify's accounts service documents. Call it last: the other {@code with}
   * methods start from the form default.
   */
  public OAuthRefreshTokenProvider withClientAuthInBasicHeader() {
    OAuthRefreshTokenProvider copy =
        new OAuthRefreshTokenProvider(
            tokenUrl,
            clientIdVariable,
            clientSecretVariable,
            refreshTokenVariable,
            accessTokenVariable,
            source,
            store);
    copy.basicAuth = true;
    return copy;
  }

  @Override
  public void open(HttpClientConfiguration configuration) {
    http = new RetryingHttpClient(configuration);
    clientId = source.get(clientIdVariable);
    clientSecret = source.get(clientSecretVariable);
    refreshToken = source.get(refreshTokenVariable);
    if (store != null) {
      opened = store.open(source);
      storedRefreshToken = opened.load();
      if (!isBlank(storedRefreshToken)) {
        refreshToken = storedRefreshToken;
      }
    }
    accessToken = accessTokenVariable == null ? null : source.get(accessTokenVariable);
  }

  @Override
  public String token() throws HttpFailure {
    if (accessToken == null || accessToken.isBlank()) {
      if (store == null) {
        refreshNow();
      } else {
        synchronized (lockOf(store.sharingKey())) {
          String shared = SHARED_ACCESS_TOKENS.get(store.sharingKey());
          if (shared != null) {
            accessToken = shared;
          } else {
            refreshShared();
          }
        }
      }
    }
    return accessToken;
  }

  /**
   * With a store, the workers of one process (and one run, {@link RefreshTokenStore#sharingKey})
   * refresh one at a time and share the access token: a server that rotates refresh tokens may
   * retire the old one at the first refresh, so two workers refreshing with it at once would see
   * invalid_grant. A worker whose token is refused takes the one another worker got since, else
   * refreshes with the newest stored refresh token.
   */
  @Override
  public void refresh() throws HttpFailure {
    if (store == null) {
      refreshNow();
      return;
    }
    synchronized (lockOf(store.sharingKey())) {
      String shared = SHARED_ACCESS_TOKENS.get(store.sharingKey());
      if (shared != null && !shared.equals(accessToken)) {
        accessToken = shared;
        return;
      }
      refreshShared();
    }
  }

  private void refreshShared() throws HttpFailure {
    String stored = opened.load();
    if (!isBlank(stored)) {
      refreshToken = stored;
      storedRefreshToken = stored;
    }
    refreshNow();
    SHARED_ACCESS_TOKENS.put(store.sharingKey(), accessToken);
  }

  private static Object lockOf(String key) {
    return LOCKS.computeIfAbsent(key, k -> new Object());
  }

  private void refreshNow() throws HttpFailure {
    List<String> missing = new ArrayList<>();
    if (isBlank(clientId)) {
      missing.add(clientIdVariable);
    }
    if (isBlank(clientSecret)) {
      missing.add(clientSecretVariable);
    }
    if (isBlank(refreshToken)) {
      missing.add(refreshTokenVariable);
    }
    if (!missing.isEmpty()) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "cannot refresh the access token: environment variable(s) not set: "
              + String.join(", ", missing));
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (basicAuth) {
      String pair = clientId + ":" + clientSecret;
      String encoded =
          java.util.Base64.getEncoder()
              .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      dev.medallion.ops.Redactor.process().register(encoded);
      headers.put("Authorization", "Basic " + encoded);
    } else {
      form.put("client_id", clientId);
      form.put("client_secret", clientSecret);
    }
    form.put("refresh_token", refreshToken);
    RetryingHttpClient.Response response = http.postForm(URI.create(tokenUrl), headers, form);
    String target = "POST " + tokenUrl;
    if (response.status() != 200 && invalidGrant(response)) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          response.status(),
          target
              + " answered invalid_grant: the refresh token is no longer valid (revoked, expired or"
              + " replaced). re-authorize "
              + service()
              + ": sign in again, then set "
              + refreshTokenVariable
              + " to the new refresh token"
              + (store == null ? "" : " and delete the stored one (" + store.describe() + ")"));
    }
    TokenAnswer answer = TokenAnswer.read(target, response, this::mask);
    accessToken = answer.accessToken();
    if (answer.refreshToken() != null) {
      refreshToken = answer.refreshToken();
    }
    if (opened != null && !refreshToken.equals(storedRefreshToken)) {
      // Kept before the access token is used: the server may already have retired the old one.
      opened.save(refreshToken);
      storedRefreshToken = refreshToken;
    }
  }

  /**
   * OAuth's invalid_grant (Spotify, Garmin: {@code {"error":"invalid_grant"}}) or Strava's form of
   * it ({@code {"errors":[{"resource":"RefreshToken","code":"invalid"}]}}): retrying cannot help.
   */
  static boolean invalidGrant(RetryingHttpClient.Response response) {
    if (response.status() != 400 && response.status() != 401) {
      return false;
    }
    String body = response.bodyText();
    return body.contains("invalid_grant")
        || (body.contains("\"RefreshToken\"") && body.contains("\"invalid\""));
  }

  /** The service to re-authorize, named by the store or else the token URL's host. */
  private String service() {
    return store != null ? store.service() : URI.create(tokenUrl).getHost();
  }

  @Override
  public List<String> secrets() {
    List<String> held = new ArrayList<>();
    for (String value :
        new String[] {clientSecret, refreshToken, storedRefreshToken, accessToken}) {
      if (!isBlank(value)) {
        held.add(value);
      }
    }
    return held;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}

package dev.medallion.io.garmin;

import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.TokenAnswer;
import dev.medallion.io.http.TokenProvider;
import dev.medallion.ops.CredentialStore;
import dev.medallion.ops.Redactor;
import dev.medallion.ops.db.JdbcTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;

/**
 * Garmin's DI OAuth2 token pair (API-REFERENCE.md section 4). Garmin's login (SSO, MFA, Cloudflare)
 * is interactive and the old OAuth1 exchange is gone, so the pipeline never logs in: it starts from
 * a stored pair, the first one from {@value #ACCESS_TOKEN} and {@value #REFRESH_TOKEN}, and
 * refreshes it at the DI token URL ({@code grant_type=refresh_token&client_id&refresh_token}, Basic
 * auth with the client id and an empty secret) when the API answers 401. Every pair Garmin returns
 * replaces the stored one at once, encrypted in ops.credentials ({@link CredentialStore}, service
 * {@value #SERVICE}), which wins over the environment from then on.
 *
 * <p>invalid_grant means the refresh token is dead: the failure is remembered for the run, so no
 * other request tries it again, and says to re-authorize garmin.
 */
public final class GarminTokenProvider implements TokenProvider {
  private static final long serialVersionUID = 1L;
  private static final ConcurrentHashMap<String, String> SHARED_ACCESS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, HttpFailure> DEAD = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();

  public static final String SERVICE = "garmin";
  public static final String CLIENT_ID = "GARMIN_DI_CLIENT_ID";
  public static final String ACCESS_TOKEN = "GARMIN_ACCESS_TOKEN";
  public static final String REFRESH_TOKEN = "GARMIN_REFRESH_TOKEN";

  private final String tokenUrl;
  private final SecretSource source;
  @Nullable private final JdbcTarget store;
  private final String runId;

  private transient RetryingHttpClient http;
  private transient CredentialStore credentials;
  private transient String clientId;
  private transient String accessToken;
  private transient String refreshToken;

  GarminTokenProvider(
      String tokenUrl, SecretSource source, @Nullable JdbcTarget store, String runId) {
    this.tokenUrl = tokenUrl;
    this.source = source;
    this.store = store;
    this.runId = runId;
  }

  /** One service in one run of one database: its workers share the access token. */
  private String sharingKey() {
    return SERVICE + "@" + (store == null ? "env" : store.url()) + "#" + runId;
  }

  private Object lock() {
    return LOCKS.computeIfAbsent(sharingKey(), k -> new Object());
  }

  @Override
  public void open(HttpClientConfiguration configuration) {
    http = new RetryingHttpClient(configuration);
    clientId = source.get(CLIENT_ID);
    accessToken = source.get(ACCESS_TOKEN);
    refreshToken = source.get(REFRESH_TOKEN);
    if (store != null) {
      credentials = CredentialStore.open(store, source.get(CredentialStore.KEY_VARIABLE));
      loadStored();
    }
  }

  private void loadStored() {
    if (credentials == null) {
      return;
    }
    credentials.get(SERVICE, "access_token").ifPresent(v -> accessToken = v);
    credentials.get(SERVICE, "refresh_token").ifPresent(v -> refreshToken = v);
  }

  @Override
  public String token() throws HttpFailure {
    synchronized (lock()) {
      throwIfDead();
      String shared = SHARED_ACCESS.get(sharingKey());
      if (shared != null) {
        accessToken = shared;
      }
      if (isBlank(accessToken)) {
        refreshNow();
      }
      return accessToken;
    }
  }

  /** A 401: take the token another worker got since, else refresh with the newest stored pair. */
  @Override
  public void refresh() throws HttpFailure {
    synchronized (lock()) {
      throwIfDead();
      String shared = SHARED_ACCESS.get(sharingKey());
      if (shared != null && !shared.equals(accessToken)) {
        accessToken = shared;
        return;
      }
      String refused = accessToken;
      loadStored();
      if (!isBlank(accessToken) && !accessToken.equals(refused)) {
        return; // another process refreshed since this one read the store
      }
      refreshNow();
    }
  }

  private void throwIfDead() throws HttpFailure {
    HttpFailure dead = DEAD.get(sharingKey());
    if (dead != null) {
      throw new HttpFailure(dead.type(), dead.status(), dead.getMessage());
    }
  }

  private void refreshNow() throws HttpFailure {
    List<String> missing = new ArrayList<>();
    if (isBlank(clientId)) {
      missing.add(CLIENT_ID);
    }
    if (isBlank(refreshToken)) {
      missing.add(REFRESH_TOKEN);
    }
    if (!missing.isEmpty()) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "cannot refresh the Garmin token: environment variable(s) not set: "
              + String.join(", ", missing));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    String basic =
        Base64.getEncoder().encodeToString((clientId + ":").getBytes(StandardCharsets.UTF_8));
    headers.put("Authorization", "Basic " + basic);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", clientId);
    form.put("refresh_token", refreshToken);
    RetryingHttpClient.Response response = http.postForm(URI.create(tokenUrl), headers, form);
    String target = "POST " + tokenUrl;
    if ((response.status() == 400 || response.status() == 401)
        && response.bodyText().contains("invalid_grant")) {
      HttpFailure dead =
          new HttpFailure(
              FailureType.AUTHENTICATION,
              response.status(),
              target
                  + " answered invalid_grant: the refresh token is no longer valid (revoked or"
                  + " expired). re-authorize garmin: sign in interactively, set "
                  + ACCESS_TOKEN
                  + " and "
                  + REFRESH_TOKEN
                  + " to the new DI OAuth2 pair"
                  + (store == null
                      ? ""
                      : " and delete the stored one (DELETE FROM ops.credentials WHERE service ="
                          + " '"
                          + SERVICE
                          + "')"));
      DEAD.put(sharingKey(), dead);
      throw dead;
    }
    TokenAnswer answer = TokenAnswer.read(target, response, this::mask);
    Redactor.process().register(answer.accessToken());
    accessToken = answer.accessToken();
    if (answer.refreshToken() != null) {
      Redactor.process().register(answer.refreshToken());
      refreshToken = answer.refreshToken();
    }
    if (credentials != null) {
      // Kept before the access token is used: Garmin may retire the old refresh token at once.
      credentials.put(SERVICE, "refresh_token", refreshToken);
      credentials.put(SERVICE, "access_token", accessToken);
    }
    SHARED_ACCESS.put(sharingKey(), accessToken);
  }

  @Override
  public List<String> secrets() {
    List<String> held = new ArrayList<>();
    for (String value : new String[] {accessToken, refreshToken}) {
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

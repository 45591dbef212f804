package dev.medallion.io.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import dev.medallion.testing.FixtureHttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The token providers against the Strava token endpoint replayed on loopback; secrets from a map.
 */
public class TokenProviderTest {
  static final Map<String, String> ENVIRONMENT = new ConcurrentHashMap<>();
  static final String REFRESH_TOKEN = "5f1e0c3a8b7d6e4f2a1b0c9d8e7f6a5b4c3d2e1f";

  static String environment(String name) {
    return ENVIRONMENT.get(name);
  }

  private FixtureHttpServer server;

  @Before
  public void start() {
    ENVIRONMENT.clear();
    ENVIRONMENT.putAll(
        Map.of("CLIENT_ID", "12345", "CLIENT_SECRET", "<secret>", "REFRESH_TOKEN", REFRESH_TOKEN));
    server = FixtureHttpServer.replaying("strava");
  }

  @After
  public void stop() {
    server.close();
  }

  private OAuthRefreshTokenProvider oauth() {
    return OAuthRefreshTokenProvider.of(
            server.origin() + "/oauth/token", "CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN")
        .withSecretSource(TokenProviderTest::environment);
  }

  @Test
  public void aRefreshUsesTheRotatedRefreshTokenNextTime() throws Exception {
    OAuthRefreshTokenProvider provider = oauth();
    provider.open(HttpClientConfiguration.create());
    assertEquals("a4b945687g5e7a1e0c0b2d9f3e1a8c6b4d2f0e9a", provider.token());
    // The fixture's response rotates the refresh token; the next refresh sends the new one (no
    // route: refused).
    HttpFailure refused = assertThrows(HttpFailure.class, provider::refresh);
    assertEquals(FailureType.AUTHENTICATION, refused.type());
    assertThat(
        server.requestsTo("POST", "/oauth/token").get(1).body(),
        containsString("refresh_token=e5n567567a8c0f2b3d4e6f8a0b1c2d3e4f5a6b7c"));
  }

  @Test
  public void aRefusedRefreshTokenFailsAsAuthenticationWithoutEchoingASecret() {
    server.enqueue(
        "POST",
        "/oauth/token",
        FixtureHttpServer.status(
            400,
            "{\"message\":\"Bad Request\",\"refresh_token\":\"" + REFRESH_TOKEN + "\"}",
            Map.of()));
    OAuthRefreshTokenProvider provider = oauth();
    provider.open(HttpClientConfiguration.create());
    HttpFailure failure = assertThrows(HttpFailure.class, provider::token);
    assertEquals(FailureType.AUTHENTICATION, failure.type());
    assertEquals(400, failure.status());
    assertThat(failure.getMessage(), containsString("refused the refresh token (HTTP 400)"));
    assertThat(failure.getMessage(), containsString("\"refresh_token\":\"****\""));
    assertThat(failure.getMessage(), not(containsString(REFRESH_TOKEN)));
    assertThat(failure.getMessage(), not(containsString("<secret>")));
  }

  @Test
  public void aMissingSecretNamesItsVariableAndNotAValue() {
    ENVIRONMENT.remove("CLIENT_SECRET");
    OAuthRefreshTokenProvider provider = oauth();
    provider.open(HttpClientConfiguration.create());
    HttpFailure failure = assertThrows(HttpFailure.class, provider::token);
    assertEquals(
        "cannot refresh the access token: environment variable(s) not set: CLIENT_SECRET",
        failure.getMessage());
    assertEquals(List.of(), server.requests());

    StaticTokenProvider none =
        StaticTokenProvider.fromEnvironment("NO_SUCH_TOKEN")
            .withSecretSource(TokenProviderTest::environment);
    none.open(HttpClientConfiguration.create());
    assertEquals(
        "no API token: the environment variable NO_SUCH_TOKEN is not set",
        assertThrows(HttpFailure.class, none::token).getMessage());
  }

  @Test
  public void aSerializedProviderCarriesNamesButNoSecret() throws Exception {
    ENVIRONMENT.put("API_TOKEN", "tok-0123456789");
    StaticTokenProvider provider =
        StaticTokenProvider.fromEnvironment("API_TOKEN")
            .withSecretSource(TokenProviderTest::environment);
    provider.open(HttpClientConfiguration.create());
    assertEquals("tok-0123456789", provider.token());
    String serialized =
        new String(SerializableUtils.serializeToByteArray(provider), StandardCharsets.ISO_8859_1);
    assertThat(serialized, containsString("API_TOKEN"));
    assertFalse(serialized.contains("tok-0123456789"));

    OAuthRefreshTokenProvider oauth = oauth();
    oauth.open(HttpClientConfiguration.create());
    oauth.token();
    String serializedOauth =
        new String(SerializableUtils.serializeToByteArray(oauth), StandardCharsets.ISO_8859_1);
    assertFalse(serializedOauth.contains(REFRESH_TOKEN));
    assertFalse(serializedOauth.contains("<secret>"));
    assertEquals("Bearer ****", oauth.mask("Bearer " + oauth.token()));
  }

  @Test
  public void aRetryPolicyChangesAttemptsAndBackoffPerFailureType() {
    RetryPolicy policy =
        RetryPolicy.defaults().with(FailureType.RATE_LIMIT, 6, java.time.Duration.ofSeconds(30));
    assertEquals(6, policy.maxAttempts(FailureType.RATE_LIMIT));
    assertEquals(java.time.Duration.ofSeconds(60), policy.backoffAfter(FailureType.RATE_LIMIT, 2));
    assertEquals(5, policy.maxAttempts(FailureType.NETWORK));
    assertEquals(1, RetryPolicy.defaults().maxAttempts(FailureType.AUTHENTICATION));
    assertThrows(
        IllegalArgumentException.class,
        () -> policy.with(FailureType.DATA, 3, java.time.Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> policy.with(FailureType.NETWORK, 0, java.time.Duration.ZERO));
  }
}

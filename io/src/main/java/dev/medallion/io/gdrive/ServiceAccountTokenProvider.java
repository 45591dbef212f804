package dev.medallion.io.gdrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.TokenProvider;
import dev.medallion.ops.Redactor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A Google service account (OAuth 2.0 for server-to-server applications): the JSON key, read from
 * an environment variable on the worker (the key's text, or the path of the key file), signs an
 * RS256 JWT ({@code iss} the account's email, {@code scope}, {@code aud} the token endpoint, one
 * hour) which the key's {@code token_uri} exchanges for an access token ({@code
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}). There is no refresh token: a new
 * assertion is signed a minute before the token expires, and when the API answers 401.
 *
 * <p>Like every {@link TokenProvider} it holds the variable's name, never the key; the private key,
 * its text and every access token are registered with the process's {@link Redactor}.
 */
public final class ServiceAccountTokenProvider implements TokenProvider {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String DRIVE_READONLY_SCOPE =
      "https://www.googleapis.com/auth/drive.readonly";
  public static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /** How long a signed assertion is valid; Google accepts at most one hour. */
  static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

  /** A token this close to its expiry is replaced before use. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

  private final String keyVariable;
  @Nullable private final String tokenUrl;
  private final String scope;
  private final SecretSource source;
  private final Clock clock;

  private transient RetryingHttpClient http;
  private transient String keyText;
  private transient ServiceAccountKey key;
  private transient String accessToken;
  private transient Instant expiresAt;

  /** The parts of a service-account key file the token exchange needs. */
  record ServiceAccountKey(
      String clientEmail,
      @Nullable String privateKeyId,
      PrivateKey privateKey,
      String privateKeyPem,
      String tokenUri) {}

  private ServiceAccountTokenProvider(
      String keyVariable,
      @Nullable String tokenUrl,
      String scope,
      SecretSource source,
      Clock clock) {
    this.keyVariable = keyVariable;
    this.tokenUrl = tokenUrl;
    this.scope = scope;
    this.source = source;
    this.clock = clock;
  }

  /** The key in the environment variable {@code variable} (its name, not its value). */
  public static ServiceAccountTokenProvider fromEnvironment(String variable) {
    if (variable == null || variable.isBlank()) {
      throw new IllegalArgumentException(
          "fromEnvironment() needs the name of the variable holding the service-account key");
    }
    return new ServiceAccountTokenProvider(
        variable, null, DRIVE_READONLY_SCOPE, SecretSource.ENVIRONMENT, Clock.systemUTC());
  }

  /**
   * Exchanges assertions at this URL instead of the key's {@code token_uri} (also the JWT's {@code
   * aud}); for a proxy, or a loopback server in tests.
   */
  public ServiceAccountTokenProvider withTokenUrl(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("withTokenUrl() needs an http(s) URL, got " + url);
    }
    URI.create(url);
    return new ServiceAccountTokenProvider(keyVariable, url, scope, source, clock);
  }

  public ServiceAccountTokenProvider withScope(String scope) {
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException("withScope() needs a scope, e.g. " + DRIVE_READONLY_SCOPE);
    }
    return new ServiceAccountTokenProvider(keyVariable, tokenUrl, scope, source, clock);
  }

  public ServiceAccountTokenProvider withSecretSource(SecretSource secretSource) {
    if (secretSource == null) {
      throw new IllegalArgumentException("withSecretSource() needs a source");
    }
    return new ServiceAccountTokenProvider(keyVariable, tokenUrl, scope, secretSource, clock);
  }

  /** The clock of iat/exp and of the expiry check (a fixed one in tests). */
  public ServiceAccountTokenProvider withClock(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("withClock() needs a clock");
    }
    return new ServiceAccountTokenProvider(keyVariable, tokenUrl, scope, source, clock);
  }

  @Override
  public void open(HttpClientConfiguration configuration) {
    http = new RetryingHttpClient(configuration);
    keyText = source.get(keyVariable);
    Redactor.process().register(keyText);
    key = null;
    accessToken = null;
    expiresAt = null;
  }

  @Override
  public String token() throws HttpFailure {
    if (accessToken == null || !clock.instant().isBefore(expiresAt.minus(EXPIRY_MARGIN))) {
      refresh();
    }
    return accessToken;
  }

  @Override
  public void refresh() throws HttpFailure {
    ServiceAccountKey account = key();
    String endpoint = tokenUrl != null ? tokenUrl : account.tokenUri();
    Instant now = clock.instant();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", JWT_BEARER_GRANT);
    form.put("assertion", signedAssertion(account, endpoint, scope, now));
    RetryingHttpClient.Response response =
        http.postForm(URI.create(endpoint), Map.of("Accept", "application/json"), form);
    String target = "POST " + endpoint;
    if (response.status() != 200) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          response.status(),
          target
              + " refused the service account "
              + account.clientEmail()
              + "'s assertion (HTTP "
              + response.status()
              + ")"
              + mask(RetryingHttpClient.snippet(response.bodyText()))
              + ": check that the key in "
              + keyVariable
              + " is current (not deleted in the console) and that this machine's clock is right");
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION, 200, target + " returned a body that is not JSON");
    }
    String fresh = body == null ? null : body.path("access_token").asText(null);
    if (fresh == null || fresh.isBlank()) {
      throw new HttpFailure(FailureType.AUTHENTICATION, 200, target + " returned no access_token");
    }
    Redactor.process().register(fresh);
    accessToken = fresh;
    expiresAt = now.plusSeconds(body.path("expires_in").asLong(3600));
  }

  @Override
  public List<String> secrets() {
    List<String> held = new ArrayList<>();
    for (String value :
        new String[] {accessToken, keyText, key == null ? null : key.privateKeyPem()}) {
      if (value != null && !value.isBlank()) {
        held.add(value);
      }
    }
    return held;
  }

  private ServiceAccountKey key() throws HttpFailure {
    if (key == null) {
      key = parseKey(keyVariable, keyText);
    }
    return key;
  }

  /**
   * The key in the variable's value: the JSON text itself, or the path of the key file. Errors name
   * the variable and the missing field, never the value.
   */
  static ServiceAccountKey parseKey(String variable, @Nullable String value) throws HttpFailure {
    if (value == null || value.isBlank()) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "no service-account key: the environment variable " + variable + " is not set");
    }
    String json = value.strip();
    if (!json.startsWith("{")) {
      try {
        json = Files.readString(Path.of(json), StandardCharsets.UTF_8);
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw new HttpFailure(
            FailureType.AUTHENTICATION,
            0,
            variable
                + " holds neither a service-account key (JSON) nor the path of a readable key file",
            e);
      }
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION, 0, "the service-account key in " + variable + " is not JSON");
    }
    Redactor.process().register(node.path("private_key").asText(null));
    List<String> missing = new ArrayList<>();
    for (String field : new String[] {"client_email", "private_key", "token_uri"}) {
      if (node.path(field).asText("").isBlank()) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "the key in "
              + variable
              + " is not a service-account key: it has no "
              + String.join(", ", missing)
              + " (download a JSON key of the service account in the Cloud console)");
    }
    String pem = node.get("private_key").asText();
    PrivateKey privateKey;
    try {
      String base64 =
          pem.replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      privateKey =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "the private_key of the key in " + variable + " is not a PKCS#8 RSA key in PEM form");
    }
    JsonNode keyId = node.get("private_key_id");
    return new ServiceAccountKey(
        node.get("client_email").asText(),
        keyId == null || keyId.isNull() ? null : keyId.asText(),
        privateKey,
        pem,
        node.get("token_uri").asText());
  }

  /**
   * {@code base64url(header).base64url(claims).base64url(RS256 signature)}, the assertion of the
   * JWT bearer grant (RFC 7523) as Google's token endpoint expects it.
   */
  static String signedAssertion(
      ServiceAccountKey key, String audience, String scope, Instant issuedAt) throws HttpFailure {
    ObjectNode header = MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (key.privateKeyId() != null) {
      header.put("kid", key.privateKeyId());
    }
    long iat = issuedAt.getEpochSecond();
    ObjectNode claims =
        MAPPER
            .createObjectNode()
            .put("iss", key.clientEmail())
            .put("scope", scope)
            .put("aud", audience)
            .put("iat", iat)
            .put("exp", iat + ASSERTION_LIFETIME.getSeconds());
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        base64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key.privateKey());
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION, 0, "could not sign the service-account assertion", e);
    }
  }
}

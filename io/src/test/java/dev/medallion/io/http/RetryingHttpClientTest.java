package dev.medallion.io.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.testing.FixtureHttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class RetryingHttpClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String OBJECT =
      "/object/sample/scout/v1/bronze/pi5-store014-01_20240618T101500Z.json";
  private static final String FIXTURE_ETAG = "\"12b599e53e8cd9ea2465f1b4de0614a6\"";

  /**
   * The waits the client asked for, in order; static so the Serializable lambda captures nothing.
   */
  private static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

  private FixtureHttpServer server;

  @Before
  public void startServer() {
    WAITS.clear();
    server = FixtureHttpServer.replaying("supabase");
  }

  @After
  public void stopServer() {
    server.close();
  }

  private static HttpClientConfiguration recording() {
    return HttpClientConfiguration.create().withSleeper(duration -> WAITS.add(duration));
  }

  private URI object() {
    return URI.create(server.baseUrl() + OBJECT);
  }

  private static FixtureHttpServer.Scripted status(int status) {
    return FixtureHttpServer.status(
        status,
        "{\"message\":\"scripted " + status + "\"}",
        Map.of("Content-Type", "application/json"));
  }

  private static List<Duration> seconds(long... values) {
    return java.util.Arrays.stream(values).mapToObj(Duration::ofSeconds).toList();
  }

  private static String header(FixtureHttpServer.Request request, String name) {
    return request.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElse(null);
  }

  @Test
  public void successOnTheFirstAttemptDoesNotWait() throws IOException {
    RetryingHttpClient client = new RetryingHttpClient(recording());

    RetryingHttpClient.Response response = client.get(object(), Map.of("X-Test", "one"));

    assertEquals(200, response.status());
    assertEquals(625, response.body().length);
    assertEquals(FIXTURE_ETAG, response.header("etag").orElseThrow());
    assertEquals("application/json", response.header("CONTENT-TYPE").orElseThrow());
    assertTrue(response.header("X-Missing").isEmpty());
    JsonNode body = MAPPER.readTree(response.bodyText());
    assertEquals(3, body.size());
    assertEquals("TX-014-20240618-000231", body.get(0).get("transaction_id").textValue());
    assertEquals(List.of(), WAITS);

    List<FixtureHttpServer.Request> requests = server.requestsTo("GET", OBJECT);
    assertEquals(1, requests.size());
    assertEquals(HttpClientConfiguration.DEFAULT_USER_AGENT, header(requests.get(0), "User-Agent"));
    assertEquals("one", header(requests.get(0), "X-Test"));
  }

  @Test
  public void serverErrorThenSuccessRecovers() throws IOException {
    server.enqueue("GET", OBJECT, status(500));
    RetryingHttpClient client =
        new RetryingHttpClient(recording().withUserAgent("medallion-test/1.0"));

    RetryingHttpClient.Response response = client.get(object(), Map.of());

    assertEquals(200, response.status());
    assertEquals(625, response.body().length);
    assertEquals(FIXTURE_ETAG, response.header("ETag").orElseThrow());
    List<FixtureHttpServer.Request> requests = server.requestsTo("GET", OBJECT);
    assertEquals(2, requests.size());
    for (FixtureHttpServer.Request request : requests) {
      assertEquals("medallion-test/1.0", header(request, "User-Agent"));
    }
    assertEquals(seconds(1), WAITS);
  }

  @Test
  public void serviceUnavailableFiveTimesFailsAsNetworkAfterFiveAttempts() {
    for (int i = 0; i < 5; i++) {
      server.enqueue("GET", OBJECT, status(503));
    }
    RetryingHttpClient client = new RetryingHttpClient(recording());

    HttpFailure failure = assertThrows(HttpFailure.class, () -> client.get(object(), Map.of()));

    assertEquals(FailureType.NETWORK, failure.type());
    assertEquals(503, failure.status());
    assertThat(failure.getMessage(), containsString("failed after 5 attempt(s)"));
    assertThat(failure.getMessage(), containsString("HTTP 503 server error"));
    assertThat(failure.getMessage(), containsString("GET " + server.baseUrl() + OBJECT));
    assertEquals(5, server.requestsTo("GET", OBJECT).size());
    assertEquals(seconds(1, 2, 4, 8), WAITS);
  }

  @Test
  public void backoffScaleShrinksTheWaits() {
    for (int i = 0; i < 5; i++) {
      server.enqueue("GET", OBJECT, status(502));
    }
    RetryingHttpClient client = new RetryingHttpClient(recording().withBackoffScale(0.5));

    HttpFailure failure = assertThrows(HttpFailure.class, () -> client.get(object(), Map.of()));

    assertEquals(FailureType.NETWORK, failure.type());
    assertEquals(502, failure.status());
    assertEquals(
        List.of(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4)),
        WAITS);
  }

  @Test
  public void rateLimitWithRetryAfterWaitsExactlyThatLong() throws IOException {
    server.enqueue(
        "GET",
        OBJECT,
        FixtureHttpServer.status(429, "{\"error\":\"SlowDown\"}", Map.of("Retry-After", "7")));
    RetryingHttpClient client = new RetryingHttpClient(recording());

    RetryingHttpClient.Response response = client.get(object(), Map.of());

    assertEquals(200, response.status());
    assertEquals(625, response.body().length);
    assertEquals(2, server.requestsTo("GET", OBJECT).size());
    assertEquals(seconds(7), WAITS);
  }

  @Test
  public void rateLimitedThreeTimesFailsAsRateLimitAfterThreeAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue("GET", OBJECT, status(429));
    }
    RetryingHttpClient client = new RetryingHttpClient(recording());

    HttpFailure failure = assertThrows(HttpFailure.class, () -> client.get(object(), Map.of()));

    assertEquals(FailureType.RATE_LIMIT, failure.type());
    assertEquals(429, failure.status());
    assertThat(
        failure.getMessage(), containsString("failed after 3 attempt(s): HTTP 429 rate limited"));
    assertEquals(3, server.requestsTo("GET", OBJECT).size());
    // No Retry-After header: exponential backoff from one second.
    assertEquals(seconds(1, 2), WAITS);
  }

  @Test
  public void notFoundIsReturnedToTheCallerWithoutRetry() throws IOException {
    String missing = "/object/sample/scout/v1/bronze/pi5-store099-01_20240618T000000Z.json";
    server.enqueue(
        "GET", missing, FixtureHttpServer.status(404, "{\"message\":\"gone\"}", Map.of()));
    RetryingHttpClient client = new RetryingHttpClient(recording());

    RetryingHttpClient.Response response =
        client.get(URI.create(server.baseUrl() + missing), Map.of());

    assertEquals(404, response.status());
    assertEquals("{\"message\":\"gone\"}", response.bodyText());
    assertEquals(1, server.requestsTo("GET", missing).size());
    assertEquals(List.of(), WAITS);
  }

  @Test
  public void supabaseErrorWithHttp400IsReturnedWithoutRetry() throws IOException {
    String missing = "/object/sample/scout/v1/bronze/pi5-store099-01_20240618T000000Z.json";
    RetryingHttpClient client = new RetryingHttpClient(recording());

    RetryingHttpClient.Response response =
        client.get(URI.create(server.baseUrl() + missing), Map.of());

    assertEquals(400, response.status());
    JsonNode body = MAPPER.readTree(response.body());
    assertEquals("404", body.get("statusCode").textValue());
    assertEquals("NoSuchKey", body.get("code").textValue());
    assertEquals(1, server.requestsTo("GET", missing).size());
    assertEquals(List.of(), WAITS);
  }

  @Test
  public void postJsonSendsTheBodyAndContentType() throws IOException {
    RetryingHttpClient client = new RetryingHttpClient(recording());
    String json =
        "{\"bucketId\":\"sample\",\"sourceKey\":\"scout/v1/bronze/pi5-store014-01_20240618T101500Z.json\","
            + "\"destinationKey\":\"scout/v1/bronze/processed/20240618/pi5-store014-01_20240618T101500Z.json\"}";

    RetryingHttpClient.Response response =
        client.postJson(URI.create(server.baseUrl() + "/object/move"), Map.of("apikey", "k"), json);

    assertEquals(200, response.status());
    assertEquals("Successfully moved", MAPPER.readTree(response.body()).get("message").textValue());
    List<FixtureHttpServer.Request> requests = server.requestsTo("POST", "/object/move");
    assertEquals(1, requests.size());
    assertEquals(MAPPER.readTree(json), MAPPER.readTree(requests.get(0).body()));
    assertEquals("application/json", header(requests.get(0), "Content-Type"));
    assertEquals("k", header(requests.get(0), "apikey"));
    assertEquals(HttpClientConfiguration.DEFAULT_USER_AGENT, header(requests.get(0), "User-Agent"));
  }

  @Test
  public void timeoutsAreRetriedAndFailAsTimeoutAfterThreeAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          "GET", OBJECT, new FixtureHttpServer.Scripted(200, Map.of(), "{}".getBytes(), 400));
    }
    RetryingHttpClient client =
        new RetryingHttpClient(recording().withRequestTimeout(Duration.ofMillis(150)));

    HttpFailure failure = assertThrows(HttpFailure.class, () -> client.get(object(), Map.of()));

    assertEquals(FailureType.TIMEOUT, failure.type());
    assertEquals(0, failure.status());
    assertThat(failure.getCause(), instanceOf(HttpTimeoutException.class));
    assertThat(
        failure.getMessage(), containsString("failed after 3 attempt(s): timed out after 150 ms"));
    assertEquals(3, server.requestsTo("GET", OBJECT).size());
    assertEquals(seconds(1, 2), WAITS);
  }

  @Test
  public void connectionRefusedFailsAsNetworkAfterFiveAttempts() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    RetryingHttpClient client = new RetryingHttpClient(recording());

    HttpFailure failure =
        assertThrows(
            HttpFailure.class,
            () ->
                client.get(
                    URI.create(
                        "http://127.0.0.1:"
                            + closedPort
                            + "/storage/v1"
                            + OBJECT
                            + "?token=secret"),
                    Map.of()));

    assertEquals(FailureType.NETWORK, failure.type());
    assertEquals(0, failure.status());
    assertThat(failure.getCause(), instanceOf(ConnectException.class));
    assertThat(
        failure.getMessage(), containsString("failed after 5 attempt(s): connection failed"));
    // The target in the message leaves out the query string.
    assertThat(
        failure.getMessage(),
        containsString("GET http://127.0.0.1:" + closedPort + "/storage/v1" + OBJECT + " failed"));
    assertTrue(!failure.getMessage().contains("secret"));
    assertEquals(seconds(1, 2, 4, 8), WAITS);
  }

  @Test
  public void interruptedSleepStopsRetrying() {
    server.enqueue("GET", OBJECT, status(500));
    RetryingHttpClient client =
        new RetryingHttpClient(
            HttpClientConfiguration.create()
                .withSleeper(
                    duration -> {
                      throw new InterruptedException("stop");
                    }));
    try {
      HttpFailure failure = assertThrows(HttpFailure.class, () -> client.get(object(), Map.of()));
      assertEquals(FailureType.NETWORK, failure.type());
      assertEquals(500, failure.status());
      assertThat(failure.getMessage(), containsString("interrupted while waiting to retry"));
      assertTrue(Thread.currentThread().isInterrupted());
      assertEquals(1, server.requestsTo("GET", OBJECT).size());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  public void retryAfterAsAnHttpDateInThePastMeansNoWait() throws IOException {
    server.enqueue(
        "GET",
        OBJECT,
        FixtureHttpServer.status(
            429, "{}", Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
    RetryingHttpClient client = new RetryingHttpClient(recording());

    assertEquals(200, client.get(object(), Map.of()).status());
    assertEquals(List.of(Duration.ZERO), WAITS);
  }

  @Test
  public void unparseableRetryAfterFallsBackToBackoff() throws IOException {
    server.enqueue(
        "GET", OBJECT, FixtureHttpServer.status(429, "{}", Map.of("Retry-After", "soon")));
    RetryingHttpClient client = new RetryingHttpClient(recording());

    assertEquals(200, client.get(object(), Map.of()).status());
    assertEquals(seconds(1), WAITS);
  }

  @Test
  public void configurationRejectsBadValues() {
    HttpClientConfiguration configuration = HttpClientConfiguration.create();
    assertEquals(Duration.ofSeconds(60), configuration.requestTimeout());
    assertEquals(Duration.ofSeconds(10), configuration.connectTimeout());
    assertEquals(1.0, configuration.backoffScale(), 0.0);
    assertThrows(
        IllegalArgumentException.class, () -> configuration.withRequestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> configuration.withRequestTimeout(null));
    assertThrows(IllegalArgumentException.class, () -> configuration.withUserAgent(" "));
    assertThrows(IllegalArgumentException.class, () -> configuration.withBackoffScale(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> configuration.withBackoffScale(-1));
    assertThrows(IllegalArgumentException.class, () -> configuration.withSleeper(null));
  }

  @Test
  public void backoffDoublesPerAttempt() {
    assertEquals(Duration.ofSeconds(1), FailureType.NETWORK.backoffAfter(1));
    assertEquals(Duration.ofSeconds(16), FailureType.NETWORK.backoffAfter(5));
    assertEquals(Duration.ZERO, FailureType.DATA.backoffAfter(3));
    assertEquals(5, FailureType.NETWORK.maxAttempts());
    assertEquals(3, FailureType.RATE_LIMIT.maxAttempts());
    assertEquals(3, FailureType.TIMEOUT.maxAttempts());
    assertEquals(1, FailureType.DATA.maxAttempts());
  }
}

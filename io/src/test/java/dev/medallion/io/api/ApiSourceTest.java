package dev.medallion.io.api;

import static dev.medallion.io.api.StravaShapedConnector.ACTIVITIES;
import static dev.medallion.io.api.StravaShapedConnector.ATHLETE;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.core.LayerCounts;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.OAuthRefreshTokenProvider;
import dev.medallion.io.http.Sleeper;
import dev.medallion.io.http.StaticTokenProvider;
import dev.medallion.io.http.TokenProvider;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.ops.Layer;
import dev.medallion.testing.FixtureHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The API skeleton with a Strava-shaped test connector (page paging, bearer auth with an OAuth
 * refresh on the same loopback server) against the Strava fixtures replayed on loopback. Waits are
 * recorded by the sleeper, never slept; secrets come from a map standing in for the environment.
 *
 * <p>Page 1 holds activities 11872650431 (Lunch Ride) and 11866014872 (Morning Run), page 2 holds
 * 11859030217 (Yoga), page 3 is {@code []}; the athlete is 48213377. A refresh returns the access
 * token {@value #FRESH_TOKEN}.
 */
public class ApiSourceTest {
  static final String FRESH_TOKEN = "a4b945687g5e7a1e0c0b2d9f3e1a8c6b4d2f0e9a";
  static final String REFRESH_TOKEN = "5f1e0c3a8b7d6e4f2a1b0c9d8e7f6a5b4c3d2e1f";
  static final String STATIC_TOKEN = "static-secret-token-0042";
  static final List<Duration> WAITS = new CopyOnWriteArrayList<>();
  static final Map<String, String> ENVIRONMENT = new ConcurrentHashMap<>();
  static final Sleeper RECORDING = ApiSourceTest::recordWait;

  static void recordWait(Duration wait) {
    WAITS.add(wait);
  }

  /** Stands in for System.getenv: a static method, so a serialized provider carries no value. */
  static String environment(String name) {
    return ENVIRONMENT.get(name);
  }

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private FixtureHttpServer server;

  @Before
  public void startServer() {
    WAITS.clear();
    ENVIRONMENT.clear();
    ENVIRONMENT.putAll(
        Map.of(
            "STRAVA_CLIENT_ID",
            "12345",
            "STRAVA_CLIENT_SECRET",
            "<secret>",
            "STRAVA_REFRESH_TOKEN",
            REFRESH_TOKEN,
            "STRAVA_ACCESS_TOKEN",
            "expired-access-token",
            "API_TOKEN",
            STATIC_TOKEN));
    server = FixtureHttpServer.replaying("strava");
  }

  @After
  public void stopServer() {
    server.close();
  }

  private OAuthRefreshTokenProvider oauth() {
    return OAuthRefreshTokenProvider.of(
            server.origin() + "/oauth/token",
            "STRAVA_CLIENT_ID",
            "STRAVA_CLIENT_SECRET",
            "STRAVA_REFRESH_TOKEN")
        .withSecretSource(ApiSourceTest::environment);
  }

  private static StaticTokenProvider staticToken() {
    return StaticTokenProvider.fromEnvironment("API_TOKEN")
        .withSecretSource(ApiSourceTest::environment);
  }

  private PCollectionTuple read(List<String> streams, TokenProvider tokens) {
    return pipeline.apply(
        ApiSource.of(new StravaShapedConnector(streams, tokens))
            .withBaseUrl(server.baseUrl())
            .withHttpClientConfiguration(HttpClientConfiguration.create().withSleeper(RECORDING)));
  }

  private static PCollection<String> keys(PCollectionTuple fetched) {
    return fetched
        .get(ApiSource.RECORDS)
        .apply(
            "Keys",
            MapElements.into(TypeDescriptors.strings())
                .via(r -> r.getStream() + ":" + r.getNaturalKey() + " " + r.getRequest()));
  }

  private static PCollection<String> failures(PCollectionTuple fetched) {
    return fetched
        .get(ApiSource.FAILURES)
        .apply(
            "Failures",
            MapElements.into(TypeDescriptors.strings())
                .via(
                    f ->
                        f.getErrorClass()
                            + " | "
                            + f.getSource()
                            + " | "
                            + f.getRecordIndex()
                            + " | "
                            + f.getReason()));
  }

  private static final String[] ALL_ACTIVITIES = {
    "activities:11872650431 /athlete/activities?page=1&per_page=2",
    "activities:11866014872 /athlete/activities?page=1&per_page=2",
    "activities:11859030217 /athlete/activities?page=2&per_page=2"
  };

  private List<String> authorizations(String path) {
    return server.requestsTo("GET", path).stream().map(r -> header(r, "Authorization")).toList();
  }

  private static String header(ReplayHttpServer.Request request, String name) {
    return request.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElse(null);
  }

  private static long size(String fixture) {
    try (InputStream in =
        ApiSourceTest.class.getClassLoader().getResourceAsStream("fixtures/strava/" + fixture)) {
      return in.readAllBytes().length;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  public void pagesToTheEndOfEveryStreamWithARefreshedBearerToken() {
    PCollectionTuple fetched = read(List.of(ACTIVITIES, ATHLETE), oauth());
    PAssert.that(keys(fetched))
        .containsInAnyOrder(
            ALL_ACTIVITIES[0], ALL_ACTIVITIES[1], ALL_ACTIVITIES[2], "athlete:48213377 /athlete");
    PAssert.that(fetched.get(ApiSource.FAILURES)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // Pages 1, 2 and the empty page 3 that ends the stream, each with the token the refresh
    // returned.
    assertEquals(
        List.of(
            Map.of("page", "1", "per_page", "2"),
            Map.of("page", "2", "per_page", "2"),
            Map.of("page", "3", "per_page", "2")),
        server.requestsTo("GET", "/athlete/activities").stream()
            .map(ReplayHttpServer.Request::query)
            .toList());
    assertEquals(
        List.of("Bearer " + FRESH_TOKEN, "Bearer " + FRESH_TOKEN, "Bearer " + FRESH_TOKEN),
        authorizations("/athlete/activities"));
    assertEquals(List.of("Bearer " + FRESH_TOKEN), authorizations("/athlete"));
    List<ReplayHttpServer.Request> refreshes = server.requestsTo("POST", "/oauth/token");
    assertTrue(!refreshes.isEmpty());
    assertEquals(
        "client_id=12345&client_secret=%3Csecret%3E&grant_type=refresh_token&refresh_token="
            + REFRESH_TOKEN,
        sortedForm(refreshes.get(0).body()));
    assertEquals("application/x-www-form-urlencoded", header(refreshes.get(0), "Content-Type"));

    LayerCounts counts = LayerCounts.of(result);
    assertEquals(Map.of(ACTIVITIES, 3L, ATHLETE, 1L), counts.streamRows());
    assertEquals(4, counts.get(RunMetric.REQUESTS));
    assertEquals(0, counts.get(RunMetric.REQUESTS_FAILED));
    assertEquals(new LayerCounts.Count(4, 4, 0), counts.layer(Layer.BRONZE));
    assertEquals(
        size("athlete_activities_page1.json")
            + size("athlete_activities_page2.json")
            + size("athlete_activities_empty.json")
            + size("athlete.json"),
        counts.stats(Layer.BRONZE).bytesRead());
    assertEquals(List.of(), WAITS);
  }

  private static String sortedForm(String body) {
    return String.join("&", java.util.Arrays.stream(body.split("&")).sorted().toList());
  }

  @Test
  public void a401RefreshesTheTokenOnceAndTheRequestIsRetried() {
    server.enqueue(
        "GET",
        "/athlete/activities",
        FixtureHttpServer.status(401, fixtureText("error_401.json"), Map.of()));
    PCollectionTuple fetched =
        read(List.of(ACTIVITIES), oauth().withAccessTokenVariable("STRAVA_ACCESS_TOKEN"));
    PAssert.that(keys(fetched)).containsInAnyOrder(ALL_ACTIVITIES);
    PAssert.that(fetched.get(ApiSource.FAILURES)).empty();
    pipeline.run().waitUntilFinish();

    // The stored token is refused, refreshed once on the same server, and page 1 asked again.
    assertEquals(
        List.of(
            "GET /athlete/activities",
            "POST /oauth/token",
            "GET /athlete/activities",
            "GET /athlete/activities",
            "GET /athlete/activities"),
        server.requests().stream().map(r -> r.method() + " " + r.path()).toList());
    assertEquals(
        List.of(
            "Bearer expired-access-token",
            "Bearer " + FRESH_TOKEN,
            "Bearer " + FRESH_TOKEN,
            "Bearer " + FRESH_TOKEN),
        authorizations("/athlete/activities"));
    assertEquals("no backoff for a refused token", List.of(), WAITS);
  }

  @Test
  public void aSecond401FailsTheRequestWithAClearReasonThatHoldsNoToken() {
    server.enqueue(
        "GET", "/athlete", FixtureHttpServer.status(401, fixtureText("error_401.json"), Map.of()));
    server.enqueue(
        "GET", "/athlete", FixtureHttpServer.status(401, fixtureText("error_401.json"), Map.of()));
    PCollectionTuple fetched = read(List.of(ACTIVITIES, ATHLETE), staticToken());
    PAssert.that(keys(fetched)).containsInAnyOrder(ALL_ACTIVITIES);
    PAssert.that(failures(fetched))
        .containsInAnyOrder(
            "request_failed | athlete /athlete | -1 | AUTHENTICATION: GET "
                + server.baseUrl()
                + "/athlete answered HTTP 401 again after the token was refreshed once: the credential is refused");
    pipeline.run().waitUntilFinish();
    assertEquals(2, server.requestsTo("GET", "/athlete").size());
    assertEquals(
        List.of("Bearer " + STATIC_TOKEN, "Bearer " + STATIC_TOKEN), authorizations("/athlete"));
  }

  @Test
  public void anErrorBodyThatEchoesTheTokenIsMaskedAndFailsAtOnce() {
    server.enqueue(
        "GET",
        "/athlete",
        FixtureHttpServer.status(
            403,
            "{\"message\": \"token " + STATIC_TOKEN + " may not read this athlete\"}",
            Map.of()));
    PCollectionTuple fetched = read(List.of(ATHLETE), staticToken());
    PAssert.that(failures(fetched))
        .satisfies(
            lines -> {
              String line = lines.iterator().next();
              assertThat(
                  line,
                  containsString(
                      "DATA: GET /athlete answered HTTP 403: {\"message\": \"token **** may not read this athlete\"}"));
              assertThat(line, not(containsString(STATIC_TOKEN)));
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals("another 4xx is not retried", 1, server.requestsTo("GET", "/athlete").size());
  }

  @Test
  public void a429WaitsAsItsRetryAfterSays() {
    server.enqueue(
        "GET",
        "/athlete/activities",
        FixtureHttpServer.status(429, fixtureText("error_429.json"), Map.of("Retry-After", "12")));
    PCollectionTuple fetched = read(List.of(ACTIVITIES), oauth());
    PAssert.that(keys(fetched)).containsInAnyOrder(ALL_ACTIVITIES);
    pipeline.run().waitUntilFinish();
    assertEquals(List.of(Duration.ofSeconds(12)), WAITS);
    assertEquals(4, server.requestsTo("GET", "/athlete/activities").size());
  }

  @Test
  public void a500RecoversAfterTheConnectorsOwnBackoff() {
    server.enqueue("GET", "/athlete", FixtureHttpServer.status(500, "{}", Map.of()));
    PCollectionTuple fetched = read(List.of(ATHLETE), oauth());
    PAssert.that(keys(fetched)).containsInAnyOrder("athlete:48213377 /athlete");
    PAssert.that(fetched.get(ApiSource.FAILURES)).empty();
    pipeline.run().waitUntilFinish();
    // The connector's policy: 500 ms, not the default 1 s.
    assertEquals(List.of(Duration.ofMillis(500)), WAITS);
  }

  @Test
  public void aStreamThatFailsDoesNotStopTheOther() {
    for (int i = 0; i < 3; i++) {
      server.enqueue("GET", "/athlete", FixtureHttpServer.status(503, "{}", Map.of()));
    }
    PCollectionTuple fetched = read(List.of(ACTIVITIES, ATHLETE), oauth());
    PAssert.that(keys(fetched)).containsInAnyOrder(ALL_ACTIVITIES);
    PAssert.that(failures(fetched))
        .containsInAnyOrder(
            "request_failed | athlete /athlete | -1 | NETWORK: GET "
                + server.baseUrl()
                + "/athlete failed after 3 attempt(s): HTTP 503 server error");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    // The connector allows 3 attempts: waits of 500 ms and 1 s.
    assertEquals(
        List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), WAITS.stream().sorted().toList());
    LayerCounts counts = LayerCounts.of(result);
    assertEquals(Map.of(ACTIVITIES, 3L), counts.streamRows());
    assertEquals(4, counts.get(RunMetric.REQUESTS));
    assertEquals(1, counts.get(RunMetric.REQUESTS_FAILED));
    assertEquals(new LayerCounts.Count(4, 3, 1), counts.layer(Layer.BRONZE));
  }

  @Test
  public void aRowWithoutItsKeyIsRefusedAloneAndPagingCarriesOn() {
    server.enqueue(
        "GET",
        "/athlete/activities",
        FixtureHttpServer.status(
            200, "[{\"id\": 7, \"name\": \"kept\"}, {\"name\": \"no id\"}]", Map.of()));
    PCollectionTuple fetched = read(List.of(ACTIVITIES), oauth());
    PAssert.that(keys(fetched))
        .containsInAnyOrder(
            "activities:7 /athlete/activities?page=1&per_page=2", ALL_ACTIVITIES[2]);
    PAssert.that(fetched.get(ApiSource.FAILURES))
        .satisfies(
            refused -> {
              QuarantinedRecord row = refused.iterator().next();
              assertEquals("malformed_record", row.getErrorClass());
              assertEquals("activities /athlete/activities?page=1&per_page=2", row.getSource());
              assertEquals(1, row.getRecordIndex());
              assertEquals("DATA: row 1 lacks its natural key id", row.getReason());
              assertEquals("{\"name\":\"no id\"}", row.getPayload());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  private static String fixtureText(String name) {
    try (InputStream in =
        ApiSourceTest.class.getClassLoader().getResourceAsStream("fixtures/strava/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

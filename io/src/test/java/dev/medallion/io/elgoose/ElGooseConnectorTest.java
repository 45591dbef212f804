package dev.medallion.io.elgoose;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.core.LayerCounts;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.api.ApiFetcher;
import dev.medallion.io.api.ApiRecord;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.Sleeper;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.ops.ErrorClass;
import dev.medallion.testing.FixtureHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The ElGoose connector through {@link ApiSource}, against the one ElGoose recording
 * (recordings/elgoose, which the demo replays too) on loopback; waits are recorded, never slept.
 *
 * <p>The recording's shows list names 6 show dates: 2012-01-12 (Vasudo) and 2024-09-14 (future)
 * answer an empty list, 2020-03-11, 2024-06-08, 2024-06-21 and 2024-06-22 have 4, 6, 12 and 7
 * setlist rows.
 */
public class ElGooseConnectorTest {
  /** Waits the retrying client asked for, across the serialized copies of the sleeper. */
  static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

  /**
   * A static method reference: serialized copies of the sleeper still record into {@link #WAITS}.
   */
  static final Sleeper RECORDING = ElGooseConnectorTest::recordWait;

  static void recordWait(Duration wait) {
    WAITS.add(wait);
  }

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private FixtureHttpServer server;
  private HttpClientConfiguration http;

  @Before
  public void startServer() {
    WAITS.clear();
    server = FixtureHttpServer.recording("elgoose");
    http = HttpClientConfiguration.create().withSleeper(RECORDING);
  }

  @After
  public void stopServer() {
    server.close();
  }

  private ApiSource read(ElGooseConnector connector) {
    return ApiSource.of(connector).withBaseUrl(server.baseUrl()).withHttpClientConfiguration(http);
  }

  private static ElGooseConnector elgoose() {
    return ElGooseConnector.create();
  }

  private static PCollection<KV<String, Long>> perEndpoint(PCollection<ApiRecord> records) {
    return records
        .apply(MapElements.into(TypeDescriptors.strings()).via(ApiRecord::getStream))
        .apply(Count.perElement());
  }

  @Test
  public void readsEveryEndpointAndEachShowDatesSetlist() {
    // A filter path answering 404 means "no show that day", not a failure.
    server.enqueue(
        "GET",
        "/setlists/showdate/2012-01-12.json",
        FixtureHttpServer.status(404, "not found", Map.of()));
    PCollectionTuple fetched = pipeline.apply(read(elgoose()));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(
            KV.of("setlists", 29L),
            KV.of("latest", 7L),
            KV.of("shows", 6L),
            KV.of("songs", 14L),
            KV.of("venues", 6L),
            KV.of("jamcharts", 3L),
            KV.of("metadata", 2L),
            KV.of("links", 3L),
            KV.of("uploads", 2L),
            KV.of("appearances", 3L));
    PAssert.that(fetched.get(ApiSource.FAILURES)).empty();
    PAssert.that(
            fetched
                .get(ApiSource.RECORDS)
                .apply(
                    "Keys",
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.getStream() + ":" + r.getNaturalKey())))
        .satisfies(
            keys -> {
              List<String> list = new ArrayList<>();
              keys.forEach(list::add);
              assertTrue(list.contains("setlists:51204"));
              assertTrue(list.contains("appearances:1707341122/60"));
              assertTrue(list.contains("metadata:1707341122/404/peter-yeah"));
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(1, server.requestsTo("GET", "/shows.json").size());
    assertEquals(
        6,
        server.requests().stream().filter(r -> r.path().startsWith("/setlists/showdate/")).count());
    for (ReplayHttpServer.Request request : server.requests()) {
      assertThat(request.headers().get("User-agent").get(0), startsWith("Medallion/"));
      assertNull("no credential goes to a public API", request.headers().get("Authorization"));
    }
    assertTrue(WAITS.isEmpty());
    // The per-endpoint counts the run history records as bronze.band_raw[endpoint].
    LayerCounts counts = LayerCounts.of(result);
    assertEquals(
        Map.of(
            "setlists",
            29L,
            "latest",
            7L,
            "shows",
            6L,
            "songs",
            14L,
            "venues",
            6L,
            "jamcharts",
            3L,
            "metadata",
            2L,
            "links",
            3L,
            "uploads",
            2L,
            "appearances",
            3L),
        counts.streamRows());
    // 8 whole tables, the shows list and 6 show dates.
    assertEquals(15, counts.get(RunMetric.REQUESTS));
    assertEquals(0, counts.get(RunMetric.REQUESTS_FAILED));
  }

  @Test
  public void incrementalReadsOnlySetlistsOfShowsAfterTheWatermark() {
    PCollectionTuple fetched =
        pipeline.apply(
            read(
                elgoose()
                    .withEndpoints(List.of(ElGooseEndpoint.SETLISTS))
                    .withSetlistsAfter(LocalDate.parse("2024-06-21"))));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("setlists", 7L));
    pipeline.run().waitUntilFinish();
    // The newest five shows: 2024-09-14 and 2024-06-22 are after the 21st (09-14 has no setlist
    // yet).
    assertEquals(
        List.of(Map.of("order_by", "showdate", "direction", "desc", "limit", "5")),
        server.requestsTo("GET", "/shows.json").stream()
            .map(ReplayHttpServer.Request::query)
            .toList());
    assertEquals(
        List.of("/setlists/showdate/2024-06-22.json", "/setlists/showdate/2024-09-14.json"),
        server.requests().stream()
            .map(ReplayHttpServer.Request::path)
            .filter(p -> p.startsWith("/setlists"))
            .sorted()
            .toList());
  }

  @Test
  public void whenAllNewestShowsAreNewTheWholeShowListIsRead() throws Exception {
    ElGooseConnector connector =
        elgoose()
            .withEndpoints(List.of(ElGooseEndpoint.SETLISTS))
            .withSetlistsAfter(LocalDate.parse("2019-01-01"));
    PCollectionTuple fetched = pipeline.apply(read(connector));
    // 4 + 6 + 12 + 7 rows of the four shows after 2019 that have setlists.
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("setlists", 29L));
    pipeline.run().waitUntilFinish();
    // All 5 newest are after 2019, so more may be missing: the unbounded list follows.
    assertEquals(
        List.of(Map.of("order_by", "showdate", "direction", "desc", "limit", "5"), Map.of()),
        server.requestsTo("GET", "/shows.json").stream()
            .map(ReplayHttpServer.Request::query)
            .toList());
    // 2020-03-11 .. 2024-09-14: five dates after 2019-01-01 (2012-01-12 is not).
    assertEquals(
        5,
        server.requests().stream().filter(r -> r.path().startsWith("/setlists/showdate/")).count());
  }

  @Test
  public void anErrorEnvelopeFailsItsEndpointAndTheOthersCarryOn() {
    server.enqueue(
        "GET",
        "/links.json",
        FixtureHttpServer.status(
            200,
            "{\"error\": true, \"error_message\": \"Invalid method requested\", \"data\": []}",
            Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(elgoose().withEndpoints(List.of(ElGooseEndpoint.LINKS, ElGooseEndpoint.SONGS))));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("songs", 14L));
    PAssert.that(fetched.get(ApiSource.FAILURES))
        .satisfies(
            failures -> {
              QuarantinedRecord failure = failures.iterator().next();
              assertEquals("links /links.json", failure.getSource());
              assertEquals(-1, failure.getRecordIndex());
              assertEquals(ErrorClass.REQUEST_FAILED, failure.errorClass());
              assertEquals("bronze", failure.getLayer());
              assertThat(failure.getReason(), startsWith("DATA: "));
              assertThat(
                  failure.getReason(),
                  containsString("error envelope (error=true): Invalid method requested"));
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals("a data error is not retried", 1, server.requestsTo("GET", "/links.json").size());
  }

  @Test
  public void aFailedShowListFailsTheSetlistsItWouldHavePlanned() {
    server.enqueue("GET", "/shows.json", FixtureHttpServer.status(403, "forbidden", Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(
                elgoose().withEndpoints(List.of(ElGooseEndpoint.SHOWS, ElGooseEndpoint.SETLISTS))));
    PAssert.that(fetched.get(ApiSource.RECORDS)).empty();
    PAssert.that(
            fetched
                .get(ApiSource.FAILURES)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(f -> f.getSource() + " | " + f.getReason())))
        .containsInAnyOrder(
            "shows /shows.json | DATA: GET /shows.json answered HTTP 403: forbidden",
            "setlists /shows.json | DATA: no show dates to read setlists for: GET /shows.json answered HTTP 403: forbidden");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void theEnvelopeFlagIsAnErrorAsBooleanNumberOrStringAndDataMustBeAnArray()
      throws Exception {
    ApiFetcher client = new ApiFetcher(elgoose(), server.baseUrl(), http);
    server.enqueue(
        "GET",
        "/nosuchmethod.json",
        FixtureHttpServer.status(200, fixture("error_envelope_bool.json"), Map.of()));
    HttpFailure bool =
        assertThrows(
            HttpFailure.class,
            () -> client.fetch(ApiRequest.get("songs", "/nosuchmethod.json", "")));
    assertThat(bool.getMessage(), containsString("(error=true): Invalid method requested"));
    server.enqueue(
        "GET",
        "/setlists/nosuchcolumn/1.json",
        FixtureHttpServer.status(200, fixture("error_envelope_numeric.json"), Map.of()));
    HttpFailure numeric =
        assertThrows(
            HttpFailure.class,
            () -> client.fetch(ApiRequest.get("setlists", "/setlists/nosuchcolumn/1.json", "")));
    assertThat(numeric.getMessage(), containsString("(error=1): Invalid column requested"));
    assertEquals(FailureType.DATA, numeric.type());

    assertThrows(HttpFailure.class, () -> parse("{\"error\": \"2\", \"data\": []}"));
    assertThrows(HttpFailure.class, () -> parse("{\"error\": 0, \"data\": {\"rows\": []}}"));
    assertThrows(HttpFailure.class, () -> parse("{\"error\": false}"));
    assertThrows(HttpFailure.class, () -> parse("[]"));
    assertEquals(
        0, fetch(client, "{\"error\": 0, \"error_message\": \"\", \"data\": []}").records().size());
    assertEquals(
        1,
        fetch(client, "{\"error\": \"false\", \"data\": [{\"id\": 1, \"name\": \"x\"}]}")
            .records()
            .size());
    // A row without its natural key is refused on its own; the rest of the response is kept.
    ApiFetcher.Fetched page =
        fetch(client, "{\"error\": false, \"data\": [{\"id\": 1}, {\"name\": \"no id\"}, 7]}");
    assertEquals(1, page.records().size());
    assertEquals(
        List.of("DATA: row 1 lacks its natural key id", "DATA: row 2 is not a JSON object"),
        page.refusedRows().stream().map(QuarantinedRecord::getReason).toList());
    assertEquals(
        List.of(1, 2), page.refusedRows().stream().map(QuarantinedRecord::getRecordIndex).toList());
    assertEquals(
        List.of("malformed_record", "malformed_record"),
        page.refusedRows().stream().map(QuarantinedRecord::getErrorClass).toList());
    // Unknown fields stay in the raw JSON.
    assertEquals(
        "{\"id\":1,\"name\":\"x\",\"added_in_2026\":[true]}",
        fetch(
                client,
                "{\"error\": false, \"data\": [{\"id\": 1, \"name\": \"x\", \"added_in_2026\": [true]}]}")
            .records()
            .get(0)
            .getRawJson());
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static void parse(String body) throws HttpFailure {
    elgoose()
        .readPage(
            ApiRequest.get("songs", "/songs.json", ""), body.getBytes(StandardCharsets.UTF_8));
  }

  private ApiFetcher.Fetched fetch(ApiFetcher client, String body) throws HttpFailure {
    server.enqueue("GET", "/songs.json", FixtureHttpServer.status(200, body, Map.of()));
    return client.fetch(ApiRequest.get("songs", "/songs.json", ""));
  }

  @Test
  public void aRateLimitWaitsAsToldAndA500RecoversOnRetry() {
    server.enqueue(
        "GET",
        "/songs.json",
        FixtureHttpServer.status(429, "slow down", Map.of("Retry-After", "7")));
    server.enqueue("GET", "/venues.json", FixtureHttpServer.status(500, "oops", Map.of()));
    server.enqueue("GET", "/venues.json", FixtureHttpServer.status(503, "still down", Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(elgoose().withEndpoints(List.of(ElGooseEndpoint.SONGS, ElGooseEndpoint.VENUES))));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("songs", 14L), KV.of("venues", 6L));
    PAssert.that(fetched.get(ApiSource.FAILURES)).empty();
    pipeline.run().waitUntilFinish();
    assertEquals(2, server.requestsTo("GET", "/songs.json").size());
    assertEquals(3, server.requestsTo("GET", "/venues.json").size());
    // Retry-After: 7 seconds; the server errors back off 1 s then 2 s.
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(7)),
        WAITS.stream().sorted().toList());
  }

  @Test
  public void aTimeoutIsRetriedAndAMalformedBodyFailsAtOnce() {
    http = http.withRequestTimeout(Duration.ofMillis(1000));
    server.enqueue(
        "GET",
        "/links.json",
        new ReplayHttpServer.Scripted(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), 3000));
    server.enqueue(
        "GET",
        "/uploads.json",
        FixtureHttpServer.status(200, "{\"error\": false, \"data\": [{\"id\": 2", Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(elgoose().withEndpoints(List.of(ElGooseEndpoint.LINKS, ElGooseEndpoint.UPLOADS))));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("links", 3L));
    PAssert.that(fetched.get(ApiSource.FAILURES))
        .satisfies(
            failures -> {
              QuarantinedRecord failure = failures.iterator().next();
              assertEquals("uploads /uploads.json", failure.getSource());
              assertThat(failure.getReason(), startsWith("DATA: "));
              assertThat(failure.getReason(), containsString("malformed JSON"));
              assertNull(failure.getPayload());
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals(1, server.requestsTo("GET", "/uploads.json").size());
    // The slow answer timed out and was retried after 1 s (then 2 s more if the loaded machine was
    // slow again).
    int linkRequests = server.requestsTo("GET", "/links.json").size();
    assertTrue(linkRequests >= 2);
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)).subList(0, linkRequests - 1), WAITS);
  }

  @Test
  public void aRecordLimitBoundsEachRequest() {
    server.enqueue(
        "GET", "/songs.json", FixtureHttpServer.status(200, fixture("songs.json"), Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(elgoose().withEndpoints(List.of(ElGooseEndpoint.SONGS)).withRecordLimit(3)));
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("songs", 3L));
    pipeline.run().waitUntilFinish();
    assertEquals(Map.of("limit", "3"), server.requestsTo("GET", "/songs.json").get(0).query());
  }

  @Test
  public void aRecordLimitReadsTheNewestShowsAndTheirSetlists() {
    server.enqueue(
        "GET",
        "/shows.json",
        FixtureHttpServer.status(200, fixture("shows_latest5.json"), Map.of()));
    PCollectionTuple fetched =
        pipeline.apply(
            read(
                elgoose()
                    .withEndpoints(List.of(ElGooseEndpoint.SHOWS, ElGooseEndpoint.SETLISTS))
                    .withRecordLimit(2)));
    // The two newest shows: 2024-09-14 (no setlist yet) and 2024-06-22, whose 7 rows are cut to the
    // limit of 2 too.
    PAssert.that(perEndpoint(fetched.get(ApiSource.RECORDS)))
        .containsInAnyOrder(KV.of("shows", 2L), KV.of("setlists", 2L));
    pipeline.run().waitUntilFinish();
    assertEquals(
        Map.of("order_by", "showdate", "direction", "desc", "limit", "2"),
        server.requestsTo("GET", "/shows.json").get(0).query());
    assertEquals(
        List.of("/setlists/showdate/2024-06-22.json", "/setlists/showdate/2024-09-14.json"),
        server.requests().stream()
            .map(ReplayHttpServer.Request::path)
            .filter(p -> p.startsWith("/setlists"))
            .sorted()
            .toList());
  }

  @Test
  public void settersCheckTheirArguments() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ApiSource.of(elgoose()).withBaseUrl("elgoose.net/api/v2"));
    assertThrows(IllegalArgumentException.class, () -> elgoose().withEndpoints(List.of()));
    assertThrows(IllegalArgumentException.class, () -> elgoose().withRecordLimit(0));
    assertThrows(
        IllegalArgumentException.class, () -> ElGooseEndpoint.parseList("setlists,albums"));
    assertEquals(
        List.of(ElGooseEndpoint.SHOWS, ElGooseEndpoint.SETLISTS),
        ElGooseEndpoint.parseList(" shows, setlists,shows"));
    assertEquals("https://elgoose.net/api/v2", ElGooseConnector.DEFAULT_BASE_URL);
    assertEquals(ElGooseConnector.DEFAULT_BASE_URL, ApiSource.of(elgoose()).baseUrl());
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** A response body of the recording, or one of the test-only error envelopes. */
  private static String fixture(String name) {
    String folder = name.startsWith("error_envelope") ? "fixtures/elgoose/" : "recordings/elgoose/";
    try (var in = ElGooseConnectorTest.class.getClassLoader().getResourceAsStream(folder + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

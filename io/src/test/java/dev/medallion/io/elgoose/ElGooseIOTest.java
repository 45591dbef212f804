package dev.medallion.io.elgoose;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.Sleeper;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.FixtureHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

/** ElGooseIO and its client against the ElGoose fixtures replayed on loopback; waits are recorded, never slept. */
public class ElGooseIOTest {
  /** Waits the retrying client asked for, across the serialized copies of the sleeper. */
  static final List<Duration> WAITS = new CopyOnWriteArrayList<>();
  /** A static method reference: serialized copies of the sleeper still record into {@link #WAITS}. */
  static final Sleeper RECORDING = ElGooseIOTest::recordWait;

  static void recordWait(Duration wait) {
    WAITS.add(wait);
  }

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private FixtureHttpServer server;
  private HttpClientConfiguration http;

  @Before
  public void startServer() {
    WAITS.clear();
    server = FixtureHttpServer.replaying("elgoose");
    http = HttpClientConfiguration.create().withSleeper(RECORDING);
  }

  @After
  public void stopServer() {
    server.close();
  }

  private ElGooseIO.Read read() {
    return ElGooseIO.read().withBaseUrl(server.baseUrl()).withHttpClientConfiguration(http);
  }

  private static PCollection<KV<String, Long>> perEndpoint(PCollection<ElGooseRecord> records) {
    return records
        .apply(MapElements.into(TypeDescriptors.strings()).via(ElGooseRecord::getEndpoint))
        .apply(Count.perElement());
  }

  @Test
  public void readsEveryEndpointAndEachShowDatesSetlist() {
    PCollectionTuple fetched = pipeline.apply(read());
    // shows.json names 6 show dates; only 2024-06-21 (12 rows) and 2024-06-22 (7 rows) have setlists in the
    // fixtures, 2024-06-23 is not a show date, and the others answer 404: no show rows that day.
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(
        KV.of("setlists", 19L), KV.of("latest", 7L), KV.of("shows", 6L), KV.of("songs", 14L), KV.of("venues", 6L),
        KV.of("jamcharts", 3L), KV.of("metadata", 2L), KV.of("links", 3L), KV.of("uploads", 2L), KV.of("appearances", 3L));
    PAssert.that(fetched.get(ElGooseIO.FAILURES)).empty();
    PAssert.that(fetched.get(ElGooseIO.RECORDS).apply("Keys", MapElements.into(TypeDescriptors.strings())
            .via(r -> r.getEndpoint() + ":" + r.getNaturalKey())))
        .satisfies(keys -> {
          List<String> list = new ArrayList<>();
          keys.forEach(list::add);
          assertTrue(list.contains("setlists:51204"));
          assertTrue(list.contains("appearances:1707341122/60"));
          assertTrue(list.contains("metadata:1707341122/404/peter-yeah"));
          return null;
        });
    pipeline.run().waitUntilFinish();

    assertEquals(1, server.requestsTo("GET", "/shows.json").size());
    assertEquals(6, server.requests().stream().filter(r -> r.path().startsWith("/setlists/showdate/")).count());
    for (ReplayHttpServer.Request request : server.requests()) {
      assertThat(request.headers().get("User-agent").get(0), startsWith("Medallion/"));
    }
    assertTrue(WAITS.isEmpty());
  }

  @Test
  public void incrementalReadsOnlySetlistsOfShowsAfterTheWatermark() {
    PCollectionTuple fetched = pipeline.apply(read()
        .withEndpoints(List.of(ElGooseEndpoint.SETLISTS)).withSetlistsAfter(LocalDate.parse("2024-06-21")));
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("setlists", 7L));
    pipeline.run().waitUntilFinish();
    // The newest five shows: 2024-09-14 and 2024-06-22 are after the 21st (09-14 has no setlist yet).
    assertEquals(List.of(Map.of("order_by", "showdate", "direction", "desc", "limit", "5")),
        server.requestsTo("GET", "/shows.json").stream().map(ReplayHttpServer.Request::query).toList());
    assertEquals(List.of("/setlists/showdate/2024-06-22.json", "/setlists/showdate/2024-09-14.json"),
        server.requests().stream().map(ReplayHttpServer.Request::path).filter(p -> p.startsWith("/setlists")).sorted().toList());
  }

  @Test
  public void whenAllNewestShowsAreNewTheWholeShowListIsRead() throws Exception {
    ElGooseIO.Read read = read().withEndpoints(List.of(ElGooseEndpoint.SETLISTS)).withSetlistsAfter(LocalDate.parse("2019-01-01"));
    PCollectionTuple fetched = pipeline.apply(read);
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("setlists", 19L));
    pipeline.run().waitUntilFinish();
    // All 5 newest are after 2019, so more may be missing: the unbounded list follows.
    assertEquals(List.of(Map.of("order_by", "showdate", "direction", "desc", "limit", "5"), Map.of()),
        server.requestsTo("GET", "/shows.json").stream().map(ReplayHttpServer.Request::query).toList());
    // 2020-03-11 .. 2024-09-14: five dates after 2019-01-01 (2012-01-12 is not).
    assertEquals(5, server.requests().stream().filter(r -> r.path().startsWith("/setlists/showdate/")).count());
  }

  @Test
  public void anErrorEnvelopeFailsItsEndpointAndTheOthersCarryOn() {
    server.enqueue("GET", "/links.json", FixtureHttpServer.status(200,
        "{\"error\": true, \"error_message\": \"Invalid method requested\", \"data\": []}", Map.of()));
    PCollectionTuple fetched = pipeline.apply(read().withEndpoints(List.of(ElGooseEndpoint.LINKS, ElGooseEndpoint.SONGS)));
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("songs", 14L));
    PAssert.that(fetched.get(ElGooseIO.FAILURES)).satisfies(failures -> {
      ElGooseFailure failure = failures.iterator().next();
      assertEquals("links", failure.getEndpoint());
      assertEquals("DATA", failure.getFailureType());
      assertThat(failure.getReason(), containsString("error envelope (error=true): Invalid method requested"));
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals("a data error is not retried", 1, server.requestsTo("GET", "/links.json").size());
  }

  @Test
  public void theEnvelopeFlagIsAnErrorAsBooleanNumberOrStringAndDataMustBeAnArray() throws Exception {
    ElGooseClient client = new ElGooseClient(server.baseUrl(), http);
    HttpFailure bool = assertThrows(HttpFailure.class,
        () -> client.fetch(ElGooseRequest.create("songs", "/nosuchmethod.json", ""), null));
    assertThat(bool.getMessage(), containsString("(error=true): Invalid method requested"));
    HttpFailure numeric = assertThrows(HttpFailure.class,
        () -> client.fetch(ElGooseRequest.create("setlists", "/setlists/nosuchcolumn/1.json", ""), null));
    assertThat(numeric.getMessage(), containsString("(error=1): Invalid column requested"));
    assertEquals(FailureType.DATA, numeric.type());

    assertThrows(HttpFailure.class, () -> parse("{\"error\": \"2\", \"data\": []}"));
    assertThrows(HttpFailure.class, () -> parse("{\"error\": 0, \"data\": {\"rows\": []}}"));
    assertThrows(HttpFailure.class, () -> parse("{\"error\": false}"));
    assertThrows(HttpFailure.class, () -> parse("[]"));
    assertEquals(0, parse("{\"error\": 0, \"error_message\": \"\", \"data\": []}").records().size());
    assertEquals(1, parse("{\"error\": \"false\", \"data\": [{\"id\": 1, \"name\": \"x\"}]}").records().size());
    // A row without its natural key is refused on its own; the rest of the response is kept.
    ElGooseClient.Page page = parse("{\"error\": false, \"data\": [{\"id\": 1}, {\"name\": \"no id\"}, 7]}");
    assertEquals(1, page.records().size());
    assertEquals(List.of("row 1 lacks its natural key id", "row 2 is not a JSON object"),
        page.refusedRows().stream().map(ElGooseFailure::getReason).toList());
  }

  private static ElGooseClient.Page parse(String body) throws HttpFailure {
    return ElGooseClient.parse(ElGooseEndpoint.SONGS, "/songs.json", body.getBytes(StandardCharsets.UTF_8), 0L, null);
  }

  @Test
  public void aRateLimitWaitsAsToldAndA500RecoversOnRetry() {
    server.enqueue("GET", "/songs.json", FixtureHttpServer.status(429, "slow down", Map.of("Retry-After", "7")));
    server.enqueue("GET", "/venues.json", FixtureHttpServer.status(500, "oops", Map.of()));
    server.enqueue("GET", "/venues.json", FixtureHttpServer.status(503, "still down", Map.of()));
    PCollectionTuple fetched = pipeline.apply(read().withEndpoints(List.of(ElGooseEndpoint.SONGS, ElGooseEndpoint.VENUES)));
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("songs", 14L), KV.of("venues", 6L));
    PAssert.that(fetched.get(ElGooseIO.FAILURES)).empty();
    pipeline.run().waitUntilFinish();
    assertEquals(2, server.requestsTo("GET", "/songs.json").size());
    assertEquals(3, server.requestsTo("GET", "/venues.json").size());
    // Retry-After: 7 seconds; the server errors back off 1 s then 2 s.
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(7)), WAITS.stream().sorted().toList());
  }

  @Test
  public void aTimeoutIsRetriedAndAMalformedBodyFailsAtOnce() {
    http = http.withRequestTimeout(Duration.ofMillis(1000));
    server.enqueue("GET", "/links.json", new ReplayHttpServer.Scripted(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), 3000));
    server.enqueue("GET", "/uploads.json", FixtureHttpServer.status(200, "{\"error\": false, \"data\": [{\"id\": 2", Map.of()));
    PCollectionTuple fetched = pipeline.apply(read().withEndpoints(List.of(ElGooseEndpoint.LINKS, ElGooseEndpoint.UPLOADS)));
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("links", 3L));
    PAssert.that(fetched.get(ElGooseIO.FAILURES)).satisfies(failures -> {
      ElGooseFailure failure = failures.iterator().next();
      assertEquals("uploads", failure.getEndpoint());
      assertEquals("DATA", failure.getFailureType());
      assertThat(failure.getReason(), containsString("malformed JSON"));
      assertNull(failure.getPayload());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals(1, server.requestsTo("GET", "/uploads.json").size());
    // The slow answer timed out and was retried after 1 s (then 2 s more if the loaded machine was slow again).
    int linkRequests = server.requestsTo("GET", "/links.json").size();
    assertTrue(linkRequests >= 2);
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)).subList(0, linkRequests - 1), WAITS);
  }

  @Test
  public void aRecordLimitBoundsEachRequest() {
    server.enqueue("GET", "/songs.json", FixtureHttpServer.status(200, fixture("songs.json"), Map.of()));
    PCollectionTuple fetched = pipeline.apply(read().withEndpoints(List.of(ElGooseEndpoint.SONGS)).withRecordLimit(3));
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("songs", 3L));
    pipeline.run().waitUntilFinish();
    assertEquals(Map.of("limit", "3"), server.requestsTo("GET", "/songs.json").get(0).query());
  }

  @Test
  public void aRecordLimitReadsTheNewestShowsAndTheirSetlists() {
    server.enqueue("GET", "/shows.json", FixtureHttpServer.status(200, fixture("shows_latest5.json"), Map.of()));
    PCollectionTuple fetched = pipeline.apply(read()
        .withEndpoints(List.of(ElGooseEndpoint.SHOWS, ElGooseEndpoint.SETLISTS)).withRecordLimit(2));
    // The two newest shows: 2024-09-14 (no setlist yet) and 2024-06-22, whose 7 rows are cut to the limit of 2 too.
    PAssert.that(perEndpoint(fetched.get(ElGooseIO.RECORDS))).containsInAnyOrder(KV.of("shows", 2L), KV.of("setlists", 2L));
    pipeline.run().waitUntilFinish();
    assertEquals(Map.of("order_by", "showdate", "direction", "desc", "limit", "2"),
        server.requestsTo("GET", "/shows.json").get(0).query());
    assertEquals(List.of("/setlists/showdate/2024-06-22.json", "/setlists/showdate/2024-09-14.json"),
        server.requests().stream().map(ReplayHttpServer.Request::path).filter(p -> p.startsWith("/setlists")).sorted().toList());
  }

  @Test
  public void settersCheckTheirArguments() {
    assertThrows(IllegalArgumentException.class, () -> ElGooseIO.read().withBaseUrl("elgoose.net/api/v2"));
    assertThrows(IllegalArgumentException.class, () -> ElGooseIO.read().withEndpoints(List.of()));
    assertThrows(IllegalArgumentException.class, () -> ElGooseIO.read().withRecordLimit(0));
    assertThrows(IllegalArgumentException.class, () -> ElGooseEndpoint.parseList("setlists,albums"));
    assertEquals(List.of(ElGooseEndpoint.SHOWS, ElGooseEndpoint.SETLISTS), ElGooseEndpoint.parseList(" shows, setlists,shows"));
    assertEquals("https://elgoose.net/api/v2", ElGooseIO.DEFAULT_BASE_URL);
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static String fixture(String name) {
    try (var in = ElGooseIOTest.class.getClassLoader().getResourceAsStream("fixtures/elgoose/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

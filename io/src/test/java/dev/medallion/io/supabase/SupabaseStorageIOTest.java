package dev.medallion.io.supabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.testing.FixtureHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class SupabaseStorageIOTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SERVICE_KEY = "test-service-key";
  private static final String PREFIX = "scout/v1/bronze/";
  private static final String GOOD_JSON = "pi5-store014-01_20240618T101500Z.json";
  private static final String TRUNCATED_JSON = "pi5-store014-01_20240618T103000Z.json";
  private static final String CSV = "pi5-store022-02_20240618T101700Z.csv";
  private static final String NOT_FOUND_BODY =
      "{\"statusCode\":\"404\",\"code\":\"NoSuchKey\",\"error\":\"not_found\",\"message\":\"Object not found\"}";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private transient FixtureHttpServer server;

  @Before
  public void startServer() {
    server = FixtureHttpServer.replaying("supabase");
  }

  @After
  public void stopServer() {
    server.close();
  }

  private SupabaseStorageIO.Zone zone() {
    return SupabaseStorageIO.landingZone()
        .withProjectUrl(server.origin())
        .withServiceKey(SERVICE_KEY)
        .withLocation("supabase://sample/scout/v1/bronze/")
        .withPageSize(3)
        .withHttpClientConfiguration(HttpClientConfiguration.create().withSleeper(duration -> {}));
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = SupabaseStorageIOTest.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull("missing test resource " + path, in);
      return in.readAllBytes();
    }
  }

  /**
   * Listing entries by name, from the fixture pages, to derive the expected values independently.
   */
  private static JsonNode listingEntry(String name) throws IOException {
    for (String page : List.of("list_bronze_page1.json", "list_bronze_page2.json")) {
      for (JsonNode entry : MAPPER.readTree(resource("fixtures/supabase/" + page))) {
        if (name.equals(entry.path("name").asText())) {
          return entry;
        }
      }
    }
    throw new AssertionError("no listing entry " + name);
  }

  private static LandedFile expected(String name) throws IOException {
    JsonNode entry = listingEntry(name);
    byte[] content = resource("fixtures/supabase/objects/" + PREFIX + name);
    String eTag = entry.get("metadata").get("eTag").textValue();
    assertTrue("fixture eTags are quoted", eTag.startsWith("\"") && eTag.endsWith("\""));
    long size = entry.get("metadata").get("size").longValue();
    assertEquals("listing size of " + name, size, content.length);
    return LandedFile.create(
        PREFIX,
        name,
        content,
        size,
        eTag.substring(1, eTag.length() - 1),
        Instant.parse(entry.get("created_at").textValue()).toEpochMilli());
  }

  private static String header(FixtureHttpServer.Request request, String name) {
    return request.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElse(null);
  }

  private void assertAllRequestsAuthenticated() {
    assertFalse(server.requests().isEmpty());
    for (FixtureHttpServer.Request request : server.requests()) {
      assertEquals(
          request.method() + " " + request.path(),
          "Bearer " + SERVICE_KEY,
          header(request, "Authorization"));
      assertEquals(request.method() + " " + request.path(), SERVICE_KEY, header(request, "apikey"));
      assertEquals(HttpClientConfiguration.DEFAULT_USER_AGENT, header(request, "User-Agent"));
    }
  }

  @Test
  public void readYieldsTheThreeLandedFilesWithListingMetadata() throws IOException {
    LandedFile good = expected(GOOD_JSON);
    LandedFile truncated = expected(TRUNCATED_JSON);
    LandedFile csv = expected(CSV);
    // Spot-check the derived expectations against literal values from the fixture.
    assertEquals("12b599e53e8cd9ea2465f1b4de0614a6", good.checksum());
    assertEquals(Instant.parse("2024-06-18T10:15:04.512Z").toEpochMilli(), good.landedAtMillis());
    assertEquals(625, good.sizeBytes());
    assertEquals("80a5bb13355b5264cf71fa934a667d64", csv.checksum());
    assertEquals(Instant.parse("2024-06-18T10:17:09.940Z").toEpochMilli(), csv.landedAtMillis());
    assertEquals("scout/v1/bronze/processed/20240618/" + CSV, csv.processedPath());

    PCollection<LandedFile> files = pipeline.apply(zone().read());
    PAssert.that(files).containsInAnyOrder(good, truncated, csv);
    pipeline.run().waitUntilFinish();

    List<FixtureHttpServer.Request> listings = server.requestsTo("POST", "/object/list/sample");
    assertEquals(2, listings.size());
    List<Integer> offsets = new ArrayList<>();
    for (FixtureHttpServer.Request listing : listings) {
      JsonNode body = MAPPER.readTree(listing.body());
      assertEquals(PREFIX, body.get("prefix").textValue());
      assertEquals(3, body.get("limit").intValue());
      assertEquals("name", body.get("sortBy").get("column").textValue());
      assertEquals("asc", body.get("sortBy").get("order").textValue());
      offsets.add(body.get("offset").intValue());
    }
    assertEquals(List.of(0, 3), offsets);
    // Only the three files were downloaded: not the placeholder, not the processed/ folder.
    assertEquals(1, server.requestsTo("GET", "/object/sample/" + PREFIX + GOOD_JSON).size());
    assertEquals(1, server.requestsTo("GET", "/object/sample/" + PREFIX + TRUNCATED_JSON).size());
    assertEquals(1, server.requestsTo("GET", "/object/sample/" + PREFIX + CSV).size());
    assertEquals(5, server.requests().size());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void moveSendsTheMoveRequest() throws IOException {
    zone().move(PREFIX + GOOD_JSON, PREFIX + "processed/20240618/" + GOOD_JSON);

    List<FixtureHttpServer.Request> moves = server.requestsTo("POST", "/object/move");
    assertEquals(1, moves.size());
    JsonNode body = MAPPER.readTree(moves.get(0).body());
    assertEquals(3, body.size());
    assertEquals("sample", body.get("bucketId").textValue());
    assertEquals(PREFIX + GOOD_JSON, body.get("sourceKey").textValue());
    assertEquals(
        PREFIX + "processed/20240618/" + GOOD_JSON, body.get("destinationKey").textValue());
    assertEquals("application/json", header(moves.get(0), "Content-Type"));
    assertEquals(1, server.requests().size());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void moveOntoAnExistingDestinationFailsWith409() {
    String source = PREFIX + CSV;
    String destination = PREFIX + "processed/20240618/" + CSV;

    IOException e = assertThrows(IOException.class, () -> zone().move(source, destination));

    assertThat(e.getMessage(), containsString(source));
    assertThat(e.getMessage(), containsString(destination));
    assertThat(e.getMessage(), containsString("409"));
    assertThat(e.getMessage(), containsString("ResourceAlreadyExists"));
    assertThat(e.getMessage(), not(containsString(SERVICE_KEY)));
    // A 409 is not "source missing": no existence check follows.
    assertEquals(1, server.requests().size());
    assertEquals(1, server.requestsTo("POST", "/object/move").size());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void moveWhoseSourceIsGoneButDestinationExistsCountsAsDone() throws IOException {
    String source = PREFIX + TRUNCATED_JSON;
    String destination = PREFIX + "processed/20240618/" + TRUNCATED_JSON;
    server.enqueue(
        "POST",
        "/object/move",
        FixtureHttpServer.status(400, NOT_FOUND_BODY, Map.of("Content-Type", "application/json")));
    server.enqueue(
        "GET",
        "/object/sample/" + destination,
        FixtureHttpServer.status(200, "[]", Map.of("Content-Type", "application/json")));

    zone().move(source, destination);

    List<FixtureHttpServer.Request> moves = server.requestsTo("POST", "/object/move");
    assertEquals(1, moves.size());
    assertEquals(source, MAPPER.readTree(moves.get(0).body()).get("sourceKey").textValue());
    assertEquals(1, server.requestsTo("GET", "/object/sample/" + destination).size());
    assertEquals(2, server.requests().size());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void moveWhoseSourceAndDestinationAreBothGoneFails() {
    String source = PREFIX + TRUNCATED_JSON;
    String destination = PREFIX + "processed/20240618/" + TRUNCATED_JSON;
    server.enqueue(
        "POST",
        "/object/move",
        FixtureHttpServer.status(400, NOT_FOUND_BODY, Map.of("Content-Type", "application/json")));
    server.enqueue(
        "GET",
        "/object/sample/" + destination,
        FixtureHttpServer.status(400, NOT_FOUND_BODY, Map.of()));

    IOException e = assertThrows(IOException.class, () -> zone().move(source, destination));

    assertThat(e.getMessage(), containsString("move " + source + " to " + destination));
    assertThat(e.getMessage(), containsString("404 NoSuchKey Object not found"));
    assertEquals(1, server.requestsTo("GET", "/object/sample/" + destination).size());
  }

  @Test
  public void invalidKeyFailsCheckReadableWithAdviceButWithoutTheKey() throws IOException {
    server.enqueue(
        "POST",
        "/object/list/sample",
        FixtureHttpServer.status(
            400,
            new String(resource("fixtures/supabase/error_invalid_jwt.json")),
            Map.of("Content-Type", "application/json")));

    IOException e = assertThrows(IOException.class, () -> zone().checkReadable());

    assertThat(e.getMessage(), containsString("SUPABASE_SERVICE_KEY"));
    assertThat(e.getMessage(), containsString("InvalidJWT"));
    assertThat(e.getMessage(), containsString("jwt expired"));
    assertThat(e.getMessage(), containsString("list sample/" + PREFIX));
    assertThat(e.getMessage(), not(containsString(SERVICE_KEY)));
    List<FixtureHttpServer.Request> listings = server.requestsTo("POST", "/object/list/sample");
    assertEquals(1, listings.size());
    assertEquals(1, MAPPER.readTree(listings.get(0).body()).get("limit").intValue());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void checkReadablePassesWhenTheListingAnswers() throws IOException {
    server.enqueue(
        "POST",
        "/object/list/sample",
        FixtureHttpServer.status(200, "[]", Map.of("Content-Type", "application/json")));

    zone().checkReadable();

    assertEquals(1, server.requestsTo("POST", "/object/list/sample").size());
    assertAllRequestsAuthenticated();
  }

  @Test
  public void listingThatIsNotAnArrayIsADataError() {
    server.enqueue(
        "POST", "/object/list/sample", FixtureHttpServer.status(200, "{\"oops\":1}", Map.of()));

    IOException e = assertThrows(IOException.class, () -> zone().checkReadable());

    assertThat(e.getMessage(), containsString("did not return an array"));
  }

  @Test
  public void locationIsSplitIntoBucketAndFolderPrefix() {
    SupabaseStorageIO.Zone zone =
        SupabaseStorageIO.landingZone().withLocation("supabase://sample/scout/v1/bronze");
    assertEquals("sample", zone.bucket());
    assertEquals(PREFIX, zone.prefix());
    assertEquals("supabase://sample/scout/v1/bronze/", zone.describe());
    assertEquals("SupabaseLandingZone{supabase://sample/scout/v1/bronze/}", zone.toString());
    assertEquals(
        PREFIX + "processed/20240618/x.json",
        LandedFile.create(
                zone.prefix(),
                "x.json",
                new byte[0],
                Instant.parse("2024-06-18T23:59:59.999Z").toEpochMilli())
            .processedPath());

    SupabaseStorageIO.Zone bucketOnly =
        SupabaseStorageIO.landingZone().withLocation("supabase://sample");
    assertEquals("sample", bucketOnly.bucket());
    assertEquals("", bucketOnly.prefix());

    assertThrows(
        IllegalArgumentException.class,
        () -> SupabaseStorageIO.landingZone().withLocation("s3://sample/x/"));
    assertThrows(
        IllegalArgumentException.class,
        () -> SupabaseStorageIO.landingZone().withLocation("supabase:///x/"));
    assertThrows(
        IllegalArgumentException.class, () -> SupabaseStorageIO.landingZone().withPageSize(0));
    assertThrows(
        IllegalArgumentException.class, () -> SupabaseStorageIO.landingZone().withServiceKey(" "));
    assertTrue(SupabaseStorageIO.isSupabaseLocation("supabase://b/p"));
    assertFalse(SupabaseStorageIO.isSupabaseLocation("/tmp/b/p"));
  }

  @Test
  public void describeAndToStringNeverShowTheKey() {
    SupabaseStorageIO.Zone zone = zone();
    assertThat(zone.toString(), not(containsString(SERVICE_KEY)));
    assertThat(zone.describe(), not(containsString(SERVICE_KEY)));
  }

  @Test
  public void incompleteZoneSaysWhatIsMissing() {
    IllegalStateException noUrl =
        assertThrows(
            IllegalStateException.class,
            () ->
                SupabaseStorageIO.landingZone()
                    .withServiceKey(SERVICE_KEY)
                    .withLocation("supabase://sample/x/")
                    .read());
    assertThat(noUrl.getMessage(), containsString("SUPABASE_URL"));
    IllegalStateException noKey =
        assertThrows(
            IllegalStateException.class,
            () ->
                SupabaseStorageIO.landingZone()
                    .withProjectUrl(server.origin())
                    .withLocation("supabase://sample/x/")
                    .read());
    assertThat(noKey.getMessage(), containsString("SUPABASE_SERVICE_KEY"));
  }
}

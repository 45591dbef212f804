package dev.medallion.io.gdrive;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.StaticTokenProvider;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.ApiFaultServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The Drive landing zone against a loopback replay of the Drive API fixtures (fixtures/gdrive/, a
 * copy of the shared fixtures: two listing pages of one folder, whose four entries are a Google
 * Sheet and three XLSX files; the error bodies). Download bodies are XLSX workbooks written here
 * with POI; faults are queued ahead of the routes.
 */
public class GoogleDriveIOTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String FOLDER = "1AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  static final String SHEET_ID = "1XoDlM3nQ5sU7wY9aC1eG3iK5mO7qS9uW";
  static final String STORE_014_ID = "1Zq8fK2mP0rT4vX6yA9cE1gI3kM5oQ7sU";
  static final String STORE_022_ID = "1Yp7eJ1lO9qS3uW5xZ8bD0fH2jL4nP6rT";
  static final String PO_ID = "1Wn6dI0kN8pR2tV4wY7aC9eG1iK3mO5qS";
  static final String FIXTURE_TOKEN = "ya29.c.b0AXv0zTOl9kQ2mX8vY4nR7pL1sD3fG5hJ";
  static final String STATIC_TOKEN = "static-access-token-0123456789";

  /** The environment the zone's providers read, by name (a static map: providers serialize). */
  static final Map<String, String> ENV = new ConcurrentHashMap<>();

  /** Every wait the client asked for (backoff scale 0: nothing actually sleeps). */
  static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private transient ApiFaultServer server;

  static String env(String name) {
    return ENV.get(name);
  }

  @Before
  public void start() {
    server = ApiFaultServer.over("fixtures/gdrive/");
    ENV.clear();
    ENV.put("TEST_GDRIVE_TOKEN", STATIC_TOKEN);
    WAITS.clear();
  }

  @After
  public void stop() {
    server.close();
  }

  static HttpClientConfiguration http() {
    return HttpClientConfiguration.create().withSleeper(WAITS::add).withBackoffScale(0);
  }

  private GoogleDriveIO.Zone zone() {
    return GoogleDriveIO.landingZone()
        .withLocation("gdrive://" + FOLDER)
        .withBaseUrl(server.baseUrl())
        .withPageSize(3)
        .withHttpClientConfiguration(http())
        .withTokenProvider(
            StaticTokenProvider.fromEnvironment("TEST_GDRIVE_TOKEN")
                .withSecretSource(GoogleDriveIOTest::env));
  }

  static byte[] workbook(String sheet, String firstCell) throws IOException {
    try (XSSFWorkbook workbook = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      XSSFSheet s = workbook.createSheet(sheet);
      s.createRow(0).createCell(0).setCellValue("SKU");
      s.createRow(1).createCell(0).setCellValue(firstCell);
      workbook.write(out);
      return out.toByteArray();
    }
  }

  private void serveFile(String id, byte[] content) {
    server.enqueue(
        "GET",
        "/files/" + id,
        new ReplayHttpServer.Scripted(
            200, Map.of("Content-Type", DriveFile.XLSX_MIME), content, 0));
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        GoogleDriveIOTest.class.getClassLoader().getResourceAsStream("fixtures/gdrive/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  public void listsEveryPageWithTheFolderQueryAndParsesTheFields() throws Exception {
    List<DriveFile> files = zone().list();

    // page 1: the Sheet and stores 014 and 022; page 2 (no nextPageToken): the PO file.
    assertEquals(4, files.size());
    assertEquals(List.of(SHEET_ID, STORE_014_ID, STORE_022_ID, PO_ID), ids(files));
    DriveFile sheet = files.get(0);
    assertTrue(sheet.isSheet());
    assertNull(sheet.md5Checksum());
    assertNull(sheet.size());
    DriveFile store014 = files.get(1);
    assertEquals("store_014_stock_health_2024-12-04.xlsx", store014.name());
    assertEquals("9b2f6e1c4d8a7b3e5f0a1c2d3e4f5a6b", store014.md5Checksum());
    assertEquals(Long.valueOf(48213), store014.size()); // "48213", a JSON string
    assertEquals(Instant.parse("2024-12-04T06:12:33.512Z"), store014.modifiedTime());

    List<ReplayHttpServer.Request> lists = server.requestsTo("GET", "/files");
    assertEquals(2, lists.size());
    assertEquals("'" + FOLDER + "' in parents and trashed=false", lists.get(0).query().get("q"));
    assertEquals(DriveClient.LIST_FIELDS, lists.get(0).query().get("fields"));
    assertNull(lists.get(0).query().get("pageToken"));
    assertEquals(
        "~!!~AI9FV7QzN0xV2n8Wc1fY5Lr3pT0kHj6sGm4dBqA", lists.get(1).query().get("pageToken"));
    assertEquals(List.of("Bearer " + STATIC_TOKEN), lists.get(1).headers().get("Authorization"));
  }

  @Test
  public void readDownloadsTheFilesAndExportsTheSheetAsXlsx() throws Exception {
    byte[] store014 = workbook("Stock", "A-014");
    byte[] store022 = workbook("Stock", "A-022");
    byte[] po = workbook("PO Lines", "PO-1");
    byte[] exported = workbook("Notes", "n/a");
    serveFile(STORE_014_ID, store014);
    serveFile(STORE_022_ID, store022);
    serveFile(PO_ID, po);
    server.enqueue(
        "GET",
        "/files/" + SHEET_ID + "/export",
        new ReplayHttpServer.Scripted(200, Map.of(), exported, 0));

    PCollection<String> landed =
        pipeline
            .apply("ReadDrive", zone().read())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (LandedFile f) ->
                            f.path()
                                + "|"
                                + f.checksum()
                                + "|"
                                + f.sizeBytes()
                                + "|"
                                + Instant.ofEpochMilli(f.landedAtMillis())));

    String prefix = "gdrive://" + FOLDER + "/";
    // The checksums are the MD5 of the bytes served (not the fixture's invented md5Checksum);
    // the Sheet's is the MD5 of its id and modifiedTime; landed at = modifiedTime.
    PAssert.that(landed)
        .containsInAnyOrder(
            prefix
                + "store_014_stock_health_2024-12-04.xlsx|"
                + md5(store014)
                + "|"
                + store014.length
                + "|2024-12-04T06:12:33.512Z",
            prefix
                + "store_022_stock_health_2024-12-04.xlsx|"
                + md5(store022)
                + "|"
                + store022.length
                + "|2024-12-04T06:14:02.007Z",
            prefix
                + "po_snapshot_2024-12-04.xlsx|"
                + md5(po)
                + "|"
                + po.length
                + "|2024-12-04T07:01:55.860Z",
            prefix
                + "PO snapshot notes (do not ingest).xlsx|"
                + md5(
                    ("gdrive-sheet:" + SHEET_ID + "@2024-12-03T17:40:19.331Z")
                        .getBytes(StandardCharsets.UTF_8))
                + "|"
                + exported.length
                + "|2024-12-03T17:40:19.331Z");
    pipeline.run().waitUntilFinish();

    ReplayHttpServer.Request export =
        server.requestsTo("GET", "/files/" + SHEET_ID + "/export").get(0);
    assertEquals(DriveFile.XLSX_MIME, export.query().get("mimeType"));
    assertEquals("media", server.requestsTo("GET", "/files/" + PO_ID).get(0).query().get("alt"));
    // the Sheet is never asked for alt=media (Drive refuses it: fileNotDownloadable)
    assertTrue(server.requestsTo("GET", "/files/" + SHEET_ID).isEmpty());
  }

  @Test
  public void skipsTheSheetWithAReasonWhenExportIsOff() throws Exception {
    GoogleDriveIO.Zone zone = zone().withSheets(GoogleDriveIO.SheetsHandling.SKIP);
    List<DriveFile> listed = zone.list();
    assertThat(
        listed.get(0).skipReason(GoogleDriveIO.SheetsHandling.SKIP).orElseThrow(),
        containsString("Google Sheets"));
    List<DriveFile> readable =
        GoogleDriveIO.readableFiles(
            zone, listed, org.apache.beam.sdk.metrics.Metrics.counter("test", "skipped"));
    assertEquals(List.of(STORE_014_ID, STORE_022_ID, PO_ID), ids(readable));
    assertTrue(
        new DriveFile("f", "sub", DriveFile.FOLDER_MIME, Instant.EPOCH, null, null)
            .skipReason(GoogleDriveIO.SheetsHandling.EXPORT_XLSX)
            .isPresent());
  }

  @Test
  public void aSheetAskedForItsBytesFailsAtOnceSayingToExportIt() throws Exception {
    DriveFile sheet = zone().list().get(0);
    HttpFailure failure = assertThrows(HttpFailure.class, () -> zone().client().download(sheet));
    assertEquals(403, failure.status());
    assertThat(failure.getMessage(), containsString("fileNotDownloadable"));
    assertThat(failure.getMessage(), containsString("exported"));
    assertEquals(1, server.requestsTo("GET", "/files/" + SHEET_ID).size()); // not retried
  }

  @Test
  public void aFileModifiedAfterItWasFirstSeenIsANewVersion() throws Exception {
    GoogleDriveIO.Zone zone = zone();
    byte[] first = workbook("Stock", "A-014");
    serveFile(STORE_014_ID, first);
    DriveFile seen = zone.list().get(1);
    LandedFile v1 = zone.fetch(seen);

    // Re-uploaded: the listing shows a new md5Checksum and modifiedTime, the bytes are new.
    byte[] second = workbook("Stock", "A-014-corrected");
    JsonNode page1 = MAPPER.readTree(fixture("files_list_page1.json"));
    com.fasterxml.jackson.databind.node.ObjectNode entry =
        (com.fasterxml.jackson.databind.node.ObjectNode) page1.path("files").get(1);
    entry.put("md5Checksum", md5(second));
    entry.put("modifiedTime", "2024-12-04T09:30:00.000Z");
    entry.put("size", Integer.toString(second.length));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(200, page1.toString(), Map.of("Content-Type", "application/json")));
    serveFile(STORE_014_ID, second);
    DriveFile modified = zone.list().get(1);
    LandedFile v2 = zone.fetch(modified);

    assertNotEquals(seen.versionKey(), modified.versionKey());
    assertEquals(STORE_014_ID + "@" + md5(second), modified.versionKey());
    // the ledger's key: a new checksum, so the new version is ingested; same path and name
    assertEquals(md5(first), v1.checksum());
    assertEquals(md5(second), v2.checksum());
    assertEquals(v1.path(), v2.path());
    assertEquals(Instant.parse("2024-12-04T09:30:00Z").toEpochMilli(), v2.landedAtMillis());
  }

  @Test
  public void quotaErrors403And429AreRetriedWithBackoff() throws Exception {
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            403,
            new String(fixture("error_403_rate_limit.json"), StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            429,
            new String(fixture("error_429.json"), StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")));

    assertEquals(4, zone().list().size());

    // 403 userRateLimitExceeded, 429, then page 1 and page 2: the default RATE_LIMIT backoff of
    // 1 s then 2 s (doubling), scaled to 0 ms by the test's configuration.
    assertEquals(4, server.requestsTo("GET", "/files").size());
    assertEquals(List.of(Duration.ZERO, Duration.ZERO), WAITS);
  }

  @Test
  public void a403ThatIsNotAQuotaErrorIsNotRetried() {
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            403,
            "{\"error\":{\"code\":403,\"message\":\"The user does not have sufficient permissions"
                + " for this file.\",\"errors\":[{\"reason\":\"insufficientPermissions\"}]}}",
            Map.of()));
    HttpFailure failure = assertThrows(HttpFailure.class, () -> zone().list());
    assertEquals(FailureType.AUTHENTICATION, failure.type());
    assertThat(failure.getMessage(), containsString("share the folder"));
    assertEquals(1, server.requestsTo("GET", "/files").size());
  }

  @Test
  public void rateLimitsThatNeverEndFailAfterThePolicysAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          "GET",
          "/files",
          ReplayHttpServer.status(
              403, "{\"error\":{\"errors\":[{\"reason\":\"rateLimitExceeded\"}]}}", Map.of()));
    }
    HttpFailure failure = assertThrows(HttpFailure.class, () -> zone().list());
    assertEquals(FailureType.RATE_LIMIT, failure.type());
    assertEquals(3, server.requestsTo("GET", "/files").size());
  }

  @Test
  public void serviceAccountSignsAnRs256JwtAndMintsANewTokenOnA401() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    ENV.put("TEST_GDRIVE_KEY", serviceAccountKey(keys, server.origin() + "/token"));
    Instant now = Instant.parse("2024-12-04T08:00:00Z");
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            401,
            new String(fixture("error_401.json"), StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")));

    GoogleDriveIO.Zone zone =
        zone()
            .withTokenProvider(
                ServiceAccountTokenProvider.fromEnvironment("TEST_GDRIVE_KEY")
                    .withSecretSource(GoogleDriveIOTest::env)
                    .withClock(Clock.fixed(now, ZoneOffset.UTC)));
    assertEquals(4, zone.list().size());

    // one token for the first request; the 401 mints a second; page 1 and 2 use it
    List<ReplayHttpServer.Request> tokens = server.requestsTo("POST", "/token");
    assertEquals(2, tokens.size());
    List<ReplayHttpServer.Request> lists = server.requestsTo("GET", "/files");
    assertEquals(3, lists.size());
    assertEquals(List.of("Bearer " + FIXTURE_TOKEN), lists.get(2).headers().get("Authorization"));

    Map<String, String> form = formOf(tokens.get(1).body());
    assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
    String[] jwt = form.get("assertion").split("\\.");
    assertEquals(3, jwt.length);
    JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[0]));
    JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertEquals("RS256", header.path("alg").asText());
    assertEquals("key-1", header.path("kid").asText());
    assertEquals("medallion@medallion-test.iam.gserviceaccount.com", claims.path("iss").asText());
    assertEquals(ServiceAccountTokenProvider.DRIVE_READONLY_SCOPE, claims.path("scope").asText());
    assertEquals(server.origin() + "/token", claims.path("aud").asText());
    assertEquals(1733299200L, claims.path("iat").asLong()); // 2024-12-04T08:00:00Z
    assertEquals(1733299200L + 3600, claims.path("exp").asLong());

    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(keys.getPublic());
    verify.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(
        "the JWT verifies with the key's public half",
        verify.verify(Base64.getUrlDecoder().decode(jwt[2])));

    // a token refused twice fails as AUTHENTICATION, and nothing secret is in the message
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          "GET",
          "/files",
          ReplayHttpServer.status(
              401, new String(fixture("error_401.json"), StandardCharsets.UTF_8), Map.of()));
    }
    HttpFailure failure = assertThrows(HttpFailure.class, zone::list);
    assertEquals(FailureType.AUTHENTICATION, failure.type());
    assertThat(failure.getMessage(), not(containsString(FIXTURE_TOKEN)));
    assertThat(failure.getMessage(), not(containsString("PRIVATE KEY")));
  }

  @Test
  public void aTokenIsMintedAgainBeforeItExpires() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    ENV.put(
        "TEST_GDRIVE_KEY",
        serviceAccountKey(generator.generateKeyPair(), server.origin() + "/token"));
    MutableClock clock = new MutableClock(Instant.parse("2024-12-04T08:00:00Z"));
    ServiceAccountTokenProvider provider =
        ServiceAccountTokenProvider.fromEnvironment("TEST_GDRIVE_KEY")
            .withSecretSource(GoogleDriveIOTest::env)
            .withClock(clock);
    provider.open(http());
    assertEquals(FIXTURE_TOKEN, provider.token());
    clock.now = clock.now.plusSeconds(3599 - 61); // expires_in 3599; more than a minute left
    provider.token();
    assertEquals(1, server.requestsTo("POST", "/token").size());
    clock.now = clock.now.plusSeconds(2); // within the last minute
    provider.token();
    assertEquals(2, server.requestsTo("POST", "/token").size());
  }

  @Test
  public void aMissingOrBrokenKeyNamesTheVariableNotTheValue() {
    ServiceAccountTokenProvider provider =
        ServiceAccountTokenProvider.fromEnvironment("TEST_GDRIVE_KEY")
            .withSecretSource(GoogleDriveIOTest::env);
    provider.open(http());
    HttpFailure unset = assertThrows(HttpFailure.class, provider::token);
    assertThat(unset.getMessage(), containsString("TEST_GDRIVE_KEY is not set"));

    ENV.put("TEST_GDRIVE_KEY", "{\"type\":\"service_account\",\"private_key\":\"sekrit-value\"}");
    provider.open(http());
    HttpFailure partial = assertThrows(HttpFailure.class, provider::token);
    assertThat(partial.getMessage(), containsString("client_email, token_uri"));
    assertThat(partial.getMessage(), not(containsString("sekrit-value")));
  }

  @Test
  public void fromEnvironmentPrefersTheServiceAccountAndNeedsOneCredential() {
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> GoogleDriveIO.fromEnvironment("gdrive://" + FOLDER, name -> null));
    assertThat(none.getMessage(), containsString(GoogleDriveIO.SERVICE_ACCOUNT_VARIABLE));
    assertThat(none.getMessage(), containsString(GoogleDriveIO.ACCESS_TOKEN_VARIABLE));

    GoogleDriveIO.Zone withToken =
        GoogleDriveIO.fromEnvironment(
            "gdrive://" + FOLDER,
            Map.of(
                    GoogleDriveIO.ACCESS_TOKEN_VARIABLE,
                    "t0k3n-value",
                    "GDRIVE_BASE_URL",
                    server.baseUrl())
                ::get);
    assertTrue(withToken.tokens() instanceof StaticTokenProvider);
    assertEquals(server.baseUrl(), withToken.baseUrl());
    assertEquals("gdrive://" + FOLDER, withToken.describe());
    assertThat(withToken.toString(), not(containsString("t0k3n-value")));

    GoogleDriveIO.Zone withKey =
        GoogleDriveIO.fromEnvironment(
            "gdrive://" + FOLDER,
            Map.of(
                    GoogleDriveIO.ACCESS_TOKEN_VARIABLE, "t0k3n-value",
                    GoogleDriveIO.SERVICE_ACCOUNT_VARIABLE, "{}")
                ::get);
    assertTrue(withKey.tokens() instanceof ServiceAccountTokenProvider);
    assertEquals(GoogleDriveIO.DEFAULT_BASE_URL, withKey.baseUrl());

    IllegalArgumentException plain =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GoogleDriveIO.fromEnvironment(
                    "gdrive://" + FOLDER,
                    Map.of(
                            GoogleDriveIO.ACCESS_TOKEN_VARIABLE,
                            "t0k3n-value",
                            "GDRIVE_BASE_URL",
                            "http://drive.example.com/drive/v3")
                        ::get));
    assertThat(plain.getMessage(), containsString("GDRIVE_BASE_URL"));
    assertThrows(
        IllegalArgumentException.class,
        () -> GoogleDriveIO.landingZone().withLocation("gdrive://not a folder id"));
  }

  @Test
  public void eachPollOfAWatchListsTheReadableFilesByVersion() throws Exception {
    GoogleDriveIO.Zone zone = zone().withSheets(GoogleDriveIO.SheetsHandling.SKIP);
    List<String> keys = new ArrayList<>();
    new GoogleDriveIO.PollDriveFolder(zone).poll().forEach(file -> keys.add(file.versionKey()));
    assertEquals(
        List.of(
            STORE_014_ID + "@9b2f6e1c4d8a7b3e5f0a1c2d3e4f5a6b",
            STORE_022_ID + "@0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
            PO_ID + "@7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"),
        keys);
  }

  static String serviceAccountKey(KeyPair keys, String tokenUri) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return MAPPER
        .createObjectNode()
        .put("type", "service_account")
        .put("project_id", "medallion-test")
        .put("private_key_id", "key-1")
        .put("private_key", pem)
        .put("client_email", "medallion@medallion-test.iam.gserviceaccount.com")
        .put("token_uri", tokenUri)
        .toString();
  }

  private static Map<String, String> formOf(String body) {
    Map<String, String> form = new java.util.HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  private static List<String> ids(List<DriveFile> files) {
    List<String> ids = new ArrayList<>();
    files.forEach(f -> ids.add(f.id()));
    return ids;
  }

  /** A clock a test moves by hand. */
  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

package dev.medallion.cli;

import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.io.gdrive.DriveFile;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * stock_health with {@code --source gdrive://FOLDER_ID}, through the real CLI, against a loopback
 * replay of the Drive API (the gdrive fixtures' error bodies; listings shaped like
 * files_list_page1/2.json and naming this test's files; XLSX bodies written with POI and served as
 * media). One corrupt file among five, a Google Sheet exported as XLSX, a Google Doc skipped, two
 * listing pages, a 401 refreshed, a 403 rate limit and a 429 retried (Retry-After: 0, so nothing
 * waits); then {@code medallion retry} downloads the replaced file again by its id, and a run that
 * reads only new versions reads a modified file and nothing else.
 */
public class InventoryDriveTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String FOLDER = "1AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  static final String TOKEN = "drive-test-token-0123456789";
  static final String H =
      "business_date,store_id,sku,description,supplier,on_hand,on_order,sales_28d,avg_daily_sales,"
          + "days_of_cover,reorder_point,suggested_order_qty,stock_value,status";
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  // Quota errors ask for no wait, so the client's retries cost nothing here.
  static final Map<String, String> NO_WAIT =
      Map.of("Content-Type", "application/json", "Retry-After", "0");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  ApiFaultServer server;
  Path work;
  Path out;

  @Before
  public void start() throws IOException {
    InventoryTestTables.truncate();
    server = ApiFaultServer.over("fixtures/gdrive/");
    ProcessEnvironment.setForTests("GDRIVE_ACCESS_TOKEN", TOKEN);
    ProcessEnvironment.setForTests("GDRIVE_BASE_URL", server.baseUrl());
    work = folder.newFolder("xlsx").toPath();
    out = folder.newFolder("out").toPath();
  }

  @After
  public void stop() {
    ProcessEnvironment.setForTests("GDRIVE_ACCESS_TOKEN", null);
    ProcessEnvironment.setForTests("GDRIVE_BASE_URL", null);
    server.close();
  }

  /** A listing entry as Drive sends it (fields of DriveClient.LIST_FIELDS). */
  static ObjectNode entry(String id, String name, String mime, String modified, byte[] content)
      throws Exception {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("id", id);
    e.put("name", name);
    e.put("mimeType", mime);
    e.putArray("parents").add(FOLDER);
    e.put("modifiedTime", modified);
    if (content != null) {
      e.put("md5Checksum", md5(content));
      e.put("size", Integer.toString(content.length));
    }
    return e;
  }

  static ObjectNode xlsx(String id, String name, String modified, byte[] content) throws Exception {
    return entry(id, name, DriveFile.XLSX_MIME, modified, content);
  }

  static String page(String nextPageToken, ObjectNode... files) {
    ObjectNode page = MAPPER.createObjectNode();
    if (nextPageToken != null) {
      page.put("nextPageToken", nextPageToken);
    }
    ArrayNode list = page.putArray("files");
    for (ObjectNode f : files) {
      list.add(f);
    }
    return page.toString();
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  static String fixture(String name) throws IOException {
    try (InputStream in =
        InventoryDriveTest.class.getClassLoader().getResourceAsStream("fixtures/gdrive/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  void media(String id, byte[] content) {
    server.enqueue(
        "GET",
        "/files/" + id,
        new ReplayHttpServer.Scripted(
            200, Map.of("Content-Type", DriveFile.XLSX_MIME), content, 0));
  }

  byte[] stock(String store, List<Object> row) throws IOException {
    Path p = SampleWorkbooks.stock(Files.createTempDirectory(work, "s"), store, DAY, List.of(row));
    return Files.readAllBytes(p);
  }

  static final List<Object> SUPPLIER_A1 = row("A1", "Acme", 7, 10, 6, 2.5);

  @Test
  public void driveFolderPagesFaultsSheetCorruptFileRetryAndNewVersion() throws Exception {
    byte[] suppliers =
        Files.readAllBytes(
            SampleWorkbooks.suppliers(
                Files.createTempDirectory(work, "m"),
                LocalDate.of(2024, 12, 1),
                List.of(SUPPLIER_A1)));
    byte[] s01 = stock("S01", row("A1", "Widget", 30, 0, 28));
    byte[] s02Corrupt =
        Files.readAllBytes(SampleWorkbooks.corrupt(work.resolve("stock_S02_20241204.xlsx")));
    byte[] s03Export = stock("S03", row("A1", "Widget", 0, 0, 56));
    byte[] s04 = stock("S04", row("A1", "Widget", 30, 0, 28));

    // Page 1: the supplier master, S01, the corrupt S02 and a Google Doc; page 2: S03 as a Google
    // Sheet (no md5Checksum, exported) and S04. Faults: 401 on the first listing (refresh, once),
    // 403 rateLimitExceeded on page 2, 429 on S01's download.
    server.enqueue("GET", "/files", ReplayHttpServer.status(401, fixture("error_401.json"), JSON));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            200,
            page(
                "page-2-token",
                xlsx("idSUP", "suppliers_20241201.xlsx", "2024-12-01T06:00:00.000Z", suppliers),
                xlsx("idS01", "stock_S01_20241204.xlsx", "2024-12-04T06:01:00.000Z", s01),
                xlsx("idS02", "stock_S02_20241204.xlsx", "2024-12-04T06:02:00.000Z", s02Corrupt),
                entry(
                    "idDOC",
                    "Stock notes",
                    "application/vnd.google-apps.document",
                    "2024-12-04T06:03:00.000Z",
                    null)),
            JSON));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(403, fixture("error_403_rate_limit.json"), NO_WAIT));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            200,
            page(
                null,
                entry(
                    "idS03",
                    "stock_S03_20241204",
                    DriveFile.SHEETS_MIME,
                    "2024-12-04T06:04:00.000Z",
                    null),
                xlsx("idS04", "stock_S04_20241204.xlsx", "2024-12-04T06:05:00.000Z", s04)),
            JSON));
    media("idSUP", suppliers);
    server.enqueue(
        "GET", "/files/idS01", ReplayHttpServer.status(429, fixture("error_429.json"), NO_WAIT));
    media("idS01", s01);
    media("idS02", s02Corrupt);
    // S04's download is refused for quota three times: the HTTP client's three attempts fail, and
    // the worker tries the file again after retry_backoff (100ms here), which succeeds.
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          "GET", "/files/idS04", ReplayHttpServer.status(429, fixture("error_429.json"), NO_WAIT));
    }
    media("idS04", s04);
    server.enqueue(
        "GET", "/files/idS03/export", new ReplayHttpServer.Scripted(200, Map.of(), s03Export, 0));

    Path config = folder.getRoot().toPath().resolve("inventory.properties");
    Files.writeString(config, "stock_health.retry_backoff = 100ms\n");
    CapturedRun.Result first =
        run("run", "stock_health", "--source", "gdrive://" + FOLDER, "--config", config.toString());
    assertEquals(first.errors(), 0, first.exitCode());
    assertThat(first.output(), containsString("medallion retry --pipeline stock_health"));

    // Listing: 401, page 1 with a refreshed token, page 2 refused once (quota) then served.
    List<ReplayHttpServer.Request> lists = server.requestsTo("GET", "/files");
    assertEquals(4, lists.size());
    assertEquals("'" + FOLDER + "' in parents and trashed=false", lists.get(0).query().get("q"));
    assertEquals(null, lists.get(1).query().get("pageToken"));
    assertEquals("page-2-token", lists.get(2).query().get("pageToken"));
    assertEquals("page-2-token", lists.get(3).query().get("pageToken"));
    assertEquals(List.of("Bearer " + TOKEN), lists.get(1).headers().get("Authorization"));
    assertEquals(2, server.requestsTo("GET", "/files/idS01").size()); // 429, then the bytes
    assertEquals("media", server.requestsTo("GET", "/files/idS01").get(1).query().get("alt"));
    assertEquals(4, server.requestsTo("GET", "/files/idS04").size()); // 3 x 429, then the bytes
    assertEquals(
        DriveFile.XLSX_MIME,
        server.requestsTo("GET", "/files/idS03/export").get(0).query().get("mimeType"));
    assertTrue(server.requestsTo("GET", "/files/idDOC").isEmpty());

    // Hand-worked (A1: lead 7, min 10, pack 6, cost 2.5; safety 7, review 14):
    // S01 30 on hand, sales 28: avg 1, cover 30, rp 1*7+7 = 14 < 30: healthy; value 75.00
    // S03 (the Sheet) 0 on hand, sales 56: out_of_stock; avg 2, rp 28, order max(56, 10) -> 60
    String s01Line = "2024-12-04,S01,A1,Widget,Acme,30,0,28,1.0000,30.0,14.00,0,75.00,healthy";
    String s03Line = "2024-12-04,S03,A1,Widget,Acme,0,0,56,2.0000,0.0,28.00,60,0.00,out_of_stock";
    String s04Line = s01Line.replace("S01", "S04");
    assertEquals(List.of(H, s01Line, s03Line, s04Line), csv());
    String prefix = "gdrive://" + FOLDER + "/";
    assertEquals(
        List.of(
            prefix + "Stock notes|idDOC|skipped|",
            prefix + "stock_S01_20241204.xlsx|idS01|completed|" + md5(s01),
            prefix + "stock_S02_20241204.xlsx|idS02|failed|" + md5(s02Corrupt),
            prefix + "stock_S03_20241204.xlsx|idS03|completed|",
            prefix + "stock_S04_20241204.xlsx|idS04|completed|" + md5(s04),
            prefix + "suppliers_20241201.xlsx|idSUP|completed|" + md5(suppliers)),
        TestDatabase.rows(
            "SELECT concat_ws('|', file_path, drive_file_id, status, coalesce(checksum, ''))"
                + " FROM ops.file_jobs ORDER BY file_path"));
    assertEquals(
        List.of(
            "Stock notes: a Google-native file (application/vnd.google-apps.document) with no file"
                + " content to download; only binary files and Sheets are read",
            "stock_S02_20241204.xlsx: not a readable XLSX workbook"),
        TestDatabase.rows(
            "SELECT regexp_replace(error, '(workbook).*$', '\\1') FROM ops.file_jobs"
                + " WHERE status IN ('failed', 'skipped') ORDER BY file_path"));

    // S02 replaced in Drive (same id, new content): retry reads its metadata by id, downloads it
    // again and completes the date. S02: 10 on hand, sales 28: avg 1, cover 10 >= lead 7, position
    // 10 <= rp 14: low; target 1*21+7 = 28, order max(28-10, 10) = 18 (3 packs of 6); value 25.00
    byte[] s02 = stock("S02", row("A1", "Widget", 10, 0, 28));
    server.enqueue(
        "GET",
        "/files/idS02",
        ReplayHttpServer.status(
            200,
            xlsx("idS02", "stock_S02_20241204.xlsx", "2024-12-04T08:00:00.000Z", s02).toString(),
            JSON));
    media("idS02", s02);
    CapturedRun.Result retry = run("retry", "--pipeline", "stock_health", "--date", "2024-12-04");
    assertEquals(retry.errors(), 0, retry.exitCode());
    List<ReplayHttpServer.Request> s02Requests = server.requestsTo("GET", "/files/idS02");
    assertEquals(3, s02Requests.size()); // first download, metadata, second download
    assertEquals(
        "id,name,mimeType,modifiedTime,md5Checksum,size", s02Requests.get(1).query().get("fields"));
    assertEquals("media", s02Requests.get(2).query().get("alt"));
    assertEquals(4, server.requestsTo("GET", "/files").size()); // retry lists nothing
    assertEquals(
        List.of("stock_S02_20241204.xlsx|idS02|completed|1|1|" + md5(s02)),
        TestDatabase.rows(
            "SELECT concat_ws('|', file_name, drive_file_id, status, retry_count, rows, checksum)"
                + " FROM ops.file_jobs WHERE run_id = (SELECT run_id FROM ops.pipeline_runs"
                + " ORDER BY started_at DESC LIMIT 1)"));
    String s02Line = "2024-12-04,S02,A1,Widget,Acme,10,0,28,1.0000,10.0,14.00,18,25.00,low";
    assertEquals(List.of(H, s01Line, s02Line, s03Line, s04Line), csv());
    assertEquals(4L, TestDatabase.count("SELECT count(*) FROM gold.stock_health"));

    // S01 modified in Drive (new md5Checksum and modifiedTime): a continuous run's poll takes only
    // new versions, so it downloads S01 alone and rewrites the date. S01 now 5 on hand: avg 1,
    // cover 5 < lead 7:
    // emergency; order max(28-5, 10) = 23 -> 24; value 12.50.
    byte[] s01v2 = stock("S01", row("A1", "Widget", 5, 0, 28));
    server.enqueue(
        "GET",
        "/files",
        ReplayHttpServer.status(
            200,
            page(
                null,
                xlsx("idSUP", "suppliers_20241201.xlsx", "2024-12-01T06:00:00.000Z", suppliers),
                xlsx("idS02", "stock_S02_20241204.xlsx", "2024-12-04T08:00:00.000Z", s02),
                entry(
                    "idS03",
                    "stock_S03_20241204",
                    DriveFile.SHEETS_MIME,
                    "2024-12-04T06:04:00.000Z",
                    null),
                xlsx("idS04", "stock_S04_20241204.xlsx", "2024-12-04T06:05:00.000Z", s04),
                xlsx("idS01", "stock_S01_20241204.xlsx", "2024-12-04T09:30:00.000Z", s01v2)),
            JSON));
    media("idS01", s01v2);
    CapturedRun.Result again =
        run(
            "run",
            "stock_health",
            "--source",
            "gdrive://" + FOLDER,
            "--continuous",
            "--poll-interval",
            "1s",
            "--max-polls",
            "1");
    assertEquals(again.errors(), 0, again.exitCode());
    assertEquals(3, server.requestsTo("GET", "/files/idS01").size());
    assertEquals(4, server.requestsTo("GET", "/files/idS04").size()); // not again
    assertEquals(1, server.requestsTo("GET", "/files/idS03/export").size());
    assertEquals(1, server.requestsTo("GET", "/files/idSUP").size());
    String s01v2Line = "2024-12-04,S01,A1,Widget,Acme,5,0,28,1.0000,5.0,14.00,24,12.50,emergency";
    assertEquals(List.of(H, s01v2Line, s02Line, s03Line, s04Line), csv());
    assertEquals(
        List.of("stock_S01_20241204.xlsx|completed|idS01@" + md5(s01v2)),
        TestDatabase.rows(
            "SELECT concat_ws('|', file_name, status, source_version) FROM ops.file_jobs WHERE"
                + " run_id = (SELECT run_id FROM ops.pipeline_runs ORDER BY started_at DESC LIMIT"
                + " 1)"));
  }

  /** The CLI's wiring of --continuous, --max-polls and watch (a continuous run of one poll). */
  @Test
  public void continuousRunThroughTheCliPollsOnceAndFlagsAreChecked() throws Exception {
    Path in = folder.newFolder("in").toPath();
    SampleWorkbooks.suppliers(in, LocalDate.of(2024, 12, 1), List.of(SUPPLIER_A1));
    SampleWorkbooks.stock(in, "S01", DAY, List.of(row("A1", "Widget", 30, 0, 28)));
    // Landed a while ago: a watch leaves a file written within the last poll interval (at most a
    // minute) for a later poll, as it may still be being copied in.
    try (Stream<Path> landed = Files.list(in)) {
      for (Path file : landed.toList()) {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(120)));
      }
    }

    CapturedRun.Result noSource = CapturedRun.execute(List.of("watch"));
    assertEquals(2, noSource.exitCode());
    assertThat(noSource.errors(), containsString("watch needs one of --drive-folder-id ID"));
    CapturedRun.Result notContinuous =
        run("run", "stock_health", "--source", in.toString(), "--max-polls", "2");
    assertEquals(2, notContinuous.exitCode());
    assertThat(
        notContinuous.errors(), containsString("--max-polls only applies with --continuous"));

    CapturedRun.Result once =
        run(
            "run",
            "stock_health",
            "--source",
            in.toString(),
            "--continuous",
            "--poll-interval",
            "5m",
            "--max-polls",
            "1");
    assertEquals(once.errors(), 0, once.exitCode());
    assertThat(once.output(), containsString("stock_health pipeline, continuous"));
    // one poll took both files; the input ended with them, so the date's final pane rewrote it
    assertThat(
        TestDatabase.rows("SELECT message FROM ops.run_logs WHERE layer = 'gold'").toString(),
        containsString("stock_health snapshot for 2024-12-04 rewritten: 1 row(s)"));
    assertEquals(
        List.of(H, "2024-12-04,S01,A1,Widget,Acme,30,0,28,1.0000,30.0,14.00,0,75.00,healthy"),
        csv());
  }

  List<String> csv() throws IOException {
    return Files.readAllLines(out.resolve("20241204.csv"));
  }

  CapturedRun.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output-dir", out.toString()));
    return StockHealthEndToEndTest.run(all.toArray(String[]::new));
  }
}

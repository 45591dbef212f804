package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Two small pipelines registered from a definition alone (test sources, package
 * dev.medallion.platform.example): a file pipeline on the file skeleton and an API pipeline on the
 * API skeleton, run through the real CLI against a real PostgreSQL and a loopback HTTP server. The
 * readings pipeline also proves the quarantine replay: records set aside for a rule, the rule
 * relaxed, the replay lands them exactly once.
 */
public class PipelineFromDefinitionTest {
  private static final Pattern REPLAY_RUN = Pattern.compile("Replay (readings-\\S+):");
  private static final String TOKEN = "s3cret-catalog-token";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> items = new ConcurrentHashMap<>();
  private HttpServer catalog;
  private volatile boolean pageTwoFails;

  @Before
  public void clean() throws IOException {
    TestDatabase.truncate(
        "bronze.readings_raw",
        "silver.readings",
        "bronze.catalog_raw",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status",
        "ops.landed_files");
    dev.medallion.platform.example.ExampleSecrets.set("CATALOG_TOKEN", TOKEN);
  }

  @After
  public void stopServer() {
    if (catalog != null) {
      catalog.stop(0);
    }
  }

  @Test
  public void pipelinesListsTheExamplesBesideEdgeAndBand() {
    CapturedRun.Result listed = CapturedRun.execute(List.of("pipelines"));
    assertEquals(0, listed.exitCode());
    for (String expected :
        List.of(
            "readings",
            "bronze.readings_raw",
            "silver.readings",
            "catalog",
            "bronze.catalog_raw",
            "edge",
            "platinum.store_features",
            "band",
            "gold.band_song_statistics",
            "every 15 minutes")) {
      assertThat(listed.output(), containsString(expected));
    }
    assertEquals(0, MedallionCli.execute("run", "readings", "--help"));
    assertEquals(2, MedallionCli.execute("run", "readings", "--max-value", "-1", "--source", "x"));
  }

  @Test
  public void aFilePipelineFromItsDefinitionAndAReplayThatLandsRelaxedRecordsOnce()
      throws IOException {
    Path landing = folder.newFolder("readings").toPath();
    Files.writeString(
        landing.resolve("r1.csv"),
        "reading_id,device,value\nR1,d1,12.5\nR2,d1,120\nR3,d2,7\nR4,d2,150.25\n");

    assertEquals(
        0, run("run", "readings", "--source", landing.toString(), "--max-value", "100").exitCode());
    assertEquals(
        List.of("R1|d1|12.50", "R3|d2|7.00"),
        TestDatabase.rows("SELECT reading_id, device, value FROM silver.readings ORDER BY 1"));
    assertEquals(
        List.of(
            "silver|invalid_value|1|value 120 is above the limit 100",
            "silver|invalid_value|3|value 150.25 is above the limit 100"),
        TestDatabase.rows(
            "SELECT layer, error_class, record_index, reason FROM ops.quarantine ORDER BY record_index"));
    assertEquals(
        List.of("processed|2", "quarantined|2"),
        TestDatabase.rows(
            "SELECT status, count(*) FROM bronze.readings_raw GROUP BY 1 ORDER BY 1"));
    assertThat(
        run("quarantine", "list", "--pipeline", "readings").output(),
        containsString("value 120 is above the limit 100"));

    // The rule relaxed to 130: R2 (120) lands, R4 (150.25) is set aside again with the new reason.
    CapturedRun.Result first =
        run(
            "quarantine",
            "replay",
            "--pipeline",
            "readings",
            "--reason-like",
            "ABOVE THE LIMIT",
            "--maxValue=130");
    assertEquals(0, first.exitCode());
    assertThat(first.output(), containsString("1 record(s) landed, 1 set aside again"));
    Matcher replayRun = REPLAY_RUN.matcher(first.output());
    assertTrue(first.output(), replayRun.find());
    assertEquals(
        List.of("R1|12.50", "R2|120.00", "R3|7.00"),
        TestDatabase.rows("SELECT reading_id, value FROM silver.readings ORDER BY 1"));
    assertEquals(
        List.of(
            "1|t|" + replayRun.group(1) + "|value 120 is above the limit 100",
            "3|f|" + replayRun.group(1) + "|value 150.25 is above the limit 130"),
        TestDatabase.rows(
            "SELECT record_index, replayed_at IS NOT NULL, replay_run_id, reason FROM ops.quarantine ORDER BY 1"));

    CapturedRun.Result second =
        run("quarantine", "replay", "--pipeline", "readings", "--maxValue=1000");
    assertThat(second.output(), containsString("1 record(s) landed, 0 set aside again"));
    assertThat(
        run("quarantine", "replay", "--pipeline", "readings").output(),
        containsString("Nothing to replay"));

    // Every reading exactly once; nothing deleted from the quarantine; 12.5 + 120 + 7 + 150.25 =
    // 289.75.
    assertEquals(
        List.of("4|4|289.75"),
        TestDatabase.rows(
            "SELECT count(*), count(DISTINCT reading_id), sum(value) FROM silver.readings"));
    assertEquals(
        List.of("2|2"),
        TestDatabase.rows("SELECT count(*), count(replayed_at) FROM ops.quarantine"));
    assertEquals(
        List.of("processed|4"),
        TestDatabase.rows("SELECT status, count(*) FROM bronze.readings_raw GROUP BY 1"));
    assertEquals(
        List.of("succeeded|3"),
        TestDatabase.rows(
            "SELECT status, count(*) FROM ops.pipeline_runs GROUP BY 1")); // the run and two
    // replays
  }

  @Test
  public void aReadingSilverRefusesIsQuarantinedAndTheOthersLand() throws IOException {
    Path landing = folder.newFolder("refused").toPath();
    // -99,999,999,999 passes the rule (it is below --max-value) but not numeric(12, 2).
    Files.writeString(
        landing.resolve("r1.csv"),
        "reading_id,device,value\nR1,d1,12.5\nR2,d1,-99999999999\nR3,d2,7\n");

    assertEquals(
        0, run("run", "readings", "--source", landing.toString(), "--max-value", "100").exitCode());
    assertEquals(
        List.of("R1|d1|12.50", "R3|d2|7.00"),
        TestDatabase.rows("SELECT reading_id, device, value FROM silver.readings ORDER BY 1"));
    assertEquals(
        List.of(
            "silver|rejected_by_sink|silver.readings/R2|-1|silver.readings refused the row: numeric"
                + " field overflow (A field with precision 12, scale 2 must round to an absolute"
                + " value less than 10^10.) [SQLState 22003]"),
        TestDatabase.rows(
            "SELECT layer, error_class, source, record_index, reason FROM ops.quarantine"));
    assertEquals(
        List.of("processed|2", "quarantined|1"),
        TestDatabase.rows(
            "SELECT status, count(*) FROM bronze.readings_raw GROUP BY 1 ORDER BY 1"));
  }

  @Test
  public void anApiPipelineFromItsDefinitionPagesWithItsTokenAndVersionsChangedRows()
      throws IOException {
    items.put("1", "{\"id\": 1, \"name\": \"anchor\"}");
    items.put("2", "{\"id\": 2, \"name\": \"buoy\"}");
    items.put("3", "{\"id\": 3, \"name\": \"cleat\"}");
    String baseUrl = startCatalog();

    assertEquals(0, run("run", "catalog", "--catalog-base-url", baseUrl).exitCode());
    assertEquals(
        List.of("GET /items?page=1 Bearer " + TOKEN, "GET /items?page=2 Bearer " + TOKEN),
        requests);
    assertEquals(
        List.of("items|1|1|anchor", "items|2|1|buoy", "items|3|1|cleat"),
        TestDatabase.rows(
            "SELECT endpoint, natural_key, version, raw_data->>'name' FROM bronze.catalog_raw ORDER BY 2"));
    assertEquals(
        List.of("bronze.catalog_raw[items]|completed|3"),
        TestDatabase.rows(
            "SELECT table_name, status, records_processed FROM ops.processing_status"));

    items.put("2", "{\"id\": 2, \"name\": \"bollard\"}");
    assertEquals(0, run("run", "catalog", "--catalog-base-url", baseUrl).exitCode());
    assertEquals(
        List.of("1|1", "2|1", "2|2", "3|1"),
        TestDatabase.rows("SELECT natural_key, version FROM bronze.catalog_raw ORDER BY 1, 2"));

    // A page that fails: the run fails naming the endpoint, the request is quarantined, the token
    // never shows.
    pageTwoFails = true;
    CapturedRun.Result failed = run("run", "catalog", "--catalog-base-url", baseUrl);
    assertEquals(1, failed.exitCode());
    assertThat(failed.output(), containsString("endpoint(s) failed: items"));
    assertThat(failed.output(), not(containsString(TOKEN)));
    List<String> quarantined =
        TestDatabase.rows("SELECT error_class, source, reason FROM ops.quarantine");
    assertEquals(quarantined.toString(), 1, quarantined.size());
    assertThat(quarantined.get(0), containsString("request_failed|items /items?page=2"));
    assertThat(quarantined.get(0), not(containsString(TOKEN)));
  }

  private String startCatalog() throws IOException {
    catalog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    catalog.createContext(
        "/items",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String query = exchange.getRequestURI().getQuery();
          requests.add("GET /items?" + query + " " + auth);
          int status;
          String body;
          if (!("Bearer " + TOKEN).equals(auth)) {
            status = 401;
            body = "{\"message\": \"Authorization Error\"}";
          } else if ("page=1".equals(query)) {
            status = 200;
            body =
                "{\"items\": [" + items.get("1") + ", " + items.get("2") + "], \"next_page\": 2}";
          } else if (pageTwoFails) {
            status = 404; // an API that echoes the request's headers in its error, as some do
            body =
                "{\"error\": \"no such page\", \"request_headers\": {\"Authorization\": \""
                    + auth
                    + "\"}}";
          } else {
            status = 200;
            body = "{\"items\": [" + items.get("3") + "], \"next_page\": null}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    catalog.start();
    return "http://127.0.0.1:" + catalog.getAddress().getPort();
  }

  private static CapturedRun.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return CapturedRun.execute(all);
  }
}

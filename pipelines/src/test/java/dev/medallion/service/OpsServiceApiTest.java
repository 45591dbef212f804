package dev.medallion.service;

import static dev.medallion.service.RecordedRuns.layers;
import static dev.medallion.service.RecordedRuns.n;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.ops.Layer;
import dev.medallion.ops.PipelineLock;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.quality.QuarantineQuality;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The operations API over real HTTP (Javalin on loopback), on the embedded PostgreSQL, with run
 * history recorded through {@link RunRecorder} and real runs of the test-only readings pipeline
 * (and band's bronze on the bundled ElGoose recording) started through the runner.
 */
public class OpsServiceApiTest {
  private static final String TOKEN = "test-token-7f3a9c";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service's clock: "the last 24 hours" are from 2024-06-21T12:00Z. */
  private static final Instant NOW = Instant.parse("2024-06-22T12:00:00Z");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final HttpClient http = HttpClient.newHttpClient();
  private OpsService service;
  private String base;

  @Before
  public void recordRunsAndStart() throws IOException {
    TestDatabase.truncate(
        "bronze.readings_raw",
        "silver.readings",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status",
        "ops.landed_files",
        "ops.run_logs");
    JdbcTarget target = TestDatabase.target();
    RecordedRuns runs = new RecordedRuns(target);
    runs.run(
        "edge-1",
        "edge",
        RunStatus.SUCCEEDED,
        Instant.parse("2024-06-20T06:00:00Z"),
        10_900,
        null,
        layers(
            Layer.BRONZE, n(100, 98, 2, 2_097_152, 3_200),
            Layer.SILVER, n(98, 95, 3, 0, 5_600),
            Layer.GOLD, n(95, 12, 0, 0, 2_100),
            Layer.PLATINUM, n(12, 3, 0, 0, 0)));
    RecordedRuns.quarantined(
        "edge-1", "edge", Layer.BRONZE, "missing_field", 2, "store_id is missing");
    RecordedRuns.quarantined(
        "edge-1", "edge", Layer.SILVER, "duplicate", 3, "duplicate transaction");
    runs.run(
        "band-2",
        "band",
        RunStatus.FAILED,
        Instant.parse("2024-06-21T18:00:00Z"),
        4_000,
        "endpoint(s) failed: shows",
        layers(Layer.BRONZE, n(40, 40, 0, 1_000, 1_000), Layer.SILVER, n(40, 38, 2, 0, 2_000)));
    RecordedRuns.quarantined(
        "band-2", "band", Layer.SILVER, "invalid_type", 2, "showdate is not a date");
    runs.run(
        "edge-3",
        "edge",
        RunStatus.SUCCEEDED,
        Instant.parse("2024-06-22T06:00:00Z"),
        2_000,
        null,
        layers(Layer.BRONZE, n(50, 49, 1, 1_000, 500), Layer.SILVER, n(49, 49, 0, 0, 500)));
    RecordedRuns.quarantined(
        "edge-3", "edge", Layer.BRONZE, "missing_field", 1, "amount is missing");

    Path landing = folder.newFolder("readings").toPath();
    // R2 (120) is above the readings pipeline's default limit of 100 and is set aside.
    Files.writeString(
        landing.resolve("r1.csv"), "reading_id,device,value\nR1,d1,12.5\nR2,d1,120\nR3,d2,7\n");
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    service =
        new OpsService(
                target,
                new RunLauncher(
                    target,
                    PipelineRegistry.load(),
                    Map.of("readings", List.of("--source=" + landing)),
                    "direct",
                    System.out,
                    clock),
                List.of("other-token-1", TOKEN),
                new QuarantineQuality(target),
                clock)
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + service.port();
  }

  @After
  public void stop() throws Exception {
    service.close();
  }

  @Test
  public void executionsInTheSeedsShapeNewestFirst() throws Exception {
    JsonNode body = get("/api/v1/etl/executions", 200);
    assertEquals(List.of("edge-3", "band-2", "edge-1"), ids(body));
    assertEquals(3, body.get("total").asInt());
    JsonNode edge = body.get("executions").get(2);
    assertEquals("edge", edge.get("pipeline_id").asText());
    assertEquals("completed", edge.get("status").asText());
    JsonNode bronze = edge.at("/layers/bronze");
    assertEquals("completed", bronze.get("status").asText());
    assertEquals(98, bronze.get("records").asLong());
    // 2,097,152 bytes = 2 MiB
    assertEquals(2.0, bronze.get("size_mb").asDouble(), 0.0);
    assertEquals(3_200, bronze.get("duration_ms").asLong());
    assertEquals(95, edge.at("/layers/silver/records").asLong());
    assertEquals(3, edge.at("/layers/silver/records_filtered").asLong());
    assertEquals("gold.store_daily_summary", edge.at("/layers/gold/tables_updated/0").asText());
    assertEquals("platinum.store_features", edge.at("/layers/platinum/tables_updated/0").asText());
    assertEquals(10_900, edge.get("total_duration_ms").asLong());
    assertEquals("2024-06-20T06:00:00Z", edge.get("started_at").asText());
    assertEquals("2024-06-20T06:00:10Z", edge.get("completed_at").asText());

    JsonNode band = body.get("executions").get(1);
    assertEquals("failed", band.get("status").asText());
    assertEquals("failed", band.at("/layers/silver/status").asText());
    assertEquals("skipped", band.at("/layers/gold/status").asText());
    assertEquals("endpoint(s) failed: shows", band.get("error").asText());
  }

  @Test
  public void filtersAndPaging() throws Exception {
    assertEquals(
        List.of("edge-3", "edge-1"), ids(get("/api/v1/etl/executions?pipeline_id=edge", 200)));
    assertEquals(List.of("band-2"), ids(get("/api/v1/etl/executions?status=failed", 200)));
    assertEquals(
        List.of("edge-3", "edge-1"), ids(get("/api/v1/etl/executions?status=completed", 200)));
    assertEquals(
        List.of("band-2"),
        ids(get("/api/v1/etl/executions?date_from=2024-06-21&date_to=2024-06-21", 200)));
    assertEquals(
        List.of("edge-3", "band-2"), ids(get("/api/v1/etl/executions?date_from=2024-06-21", 200)));
    JsonNode first = get("/api/v1/etl/executions?page_size=2", 200);
    assertEquals(List.of("edge-3", "band-2"), ids(first));
    assertEquals(2, first.get("next_page").asInt());
    JsonNode second = get("/api/v1/etl/executions?page_size=2&page=2", 200);
    assertEquals(List.of("edge-1"), ids(second));
    assertTrue(second.get("next_page").isNull());
  }

  @Test
  public void badReadsAre400WithAMessage() throws Exception {
    assertThat(
        get("/api/v1/etl/executions?status=done", 400).get("error").asText(),
        containsString("status 'done' is not one of"));
    assertThat(
        get("/api/v1/etl/executions?date_from=2024-13-01", 400).get("error").asText(),
        containsString("date_from '2024-13-01' is not a date"));
    assertThat(
        get("/api/v1/etl/executions?date_from=2024-06-22&date_to=2024-06-21", 400)
            .get("error")
            .asText(),
        containsString("is after date_to"));
    assertThat(
        get("/api/v1/etl/executions?pipeline_id=nope", 400).get("error").asText(),
        containsString("unknown pipeline 'nope'"));
    assertThat(
        get("/api/v1/etl/executions?page=0", 400).get("error").asText(),
        containsString("page '0' must be a whole number"));
    assertThat(
        get("/api/v1/etl/executions/nope/logs", 404).get("error").asText(),
        containsString("no execution nope"));
  }

  @Test
  public void badTriggersAre400AndStartNothing() throws Exception {
    Map<String, String> cases =
        Map.of(
            "{not json", "the body is not JSON",
            "[1]", "the body must be a JSON object",
            "{\"pipeline_id\": \"nope\"}", "unknown pipeline 'nope'",
            "{}", "pipeline_id is required",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"date_range\": {\"start\": \"2024-06-31\", \"end\": \"2024-07-01\"}}}",
                "parameters.date_range.start '2024-06-31' is not a date",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"date_range\": {\"start\": \"2024-07-02\", \"end\": \"2024-07-01\"}}}",
                "start 2024-07-02 is after end 2024-07-01",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"layers\": \"copper\"}}",
                "Unknown layer 'copper'",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"mode\": \"fast\"}}",
                "parameters.mode must be incremental or full",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"speed\": 3}}",
                "unknown field 'parameters.speed'",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"force\": \"yes\"}}",
                "parameters.force must be true or false");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> response = post("/api/v1/etl/trigger", c.getKey(), TOKEN);
      assertEquals(c.getKey() + " -> " + response.body(), 400, response.statusCode());
      assertThat(
          c.getKey(),
          JSON.readTree(response.body()).get("error").asText(),
          containsString(c.getValue()));
    }
    HttpResponse<String> badMode =
        post("/functions/v1/process_tabular_data", "{\"mode\": \"everything\"}", TOKEN);
    assertEquals(400, badMode.statusCode());
    assertThat(badMode.body(), containsString("bronze_only, silver_only, gold_only, complete"));
    assertEquals(3L, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
    assertEquals(0L, TestDatabase.count("SELECT count(*) FROM ops.run_logs"));
    assertTrue(service.launcher().going().isEmpty());
  }

  @Test
  public void writesNeedABearerTokenReadsFromLoopbackDoNot() throws Exception {
    String body = "{\"pipeline_id\": \"readings\"}";
    HttpResponse<String> none = post("/api/v1/etl/trigger", body, null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
    assertThat(none.body(), containsString("writes need Authorization: Bearer TOKEN"));
    HttpResponse<String> wrong = post("/api/v1/etl/trigger", body, TOKEN + "x");
    assertEquals(401, wrong.statusCode());
    assertThat(wrong.body(), containsString("the token given is not one"));
    assertEquals(
        401,
        post("/functions/v1/process_tabular_data", "{\"mode\": \"complete\"}", null).statusCode());
    assertEquals(0L, TestDatabase.count("SELECT count(*) FROM ops.run_logs"));
    get("/api/v1/etl/executions", 200);
    // Whether a caller is on this machine is read from its address literal.
    assertTrue(Access.loopback("127.0.0.1"));
    assertTrue(Access.loopback("0:0:0:0:0:0:0:1"));
    assertTrue(Access.loopback("[::1]"));
    assertFalse(Access.loopback("192.0.2.7"));
    assertFalse(Access.loopback(null));
    Access access = new Access(List.of("abcd1234", " efgh5678 "));
    assertTrue(access.bearerAccepted("Bearer efgh5678"));
    assertTrue(access.bearerAccepted("bearer abcd1234"));
    assertFalse(access.bearerAccepted("Bearer abcd123"));
    assertFalse(access.bearerAccepted("Basic abcd1234"));
    assertFalse(new Access(List.of()).bearerAccepted("Bearer "));
  }

  @Test
  public void aTriggerRunsThePipelineThroughTheRunnerAndKeepsItsLog() throws Exception {
    HttpResponse<String> response =
        post(
            "/api/v1/etl/trigger",
            "{\"pipeline_id\": \"readings\", \"parameters\": {\"layers\": [\"bronze\", \"silver\"],"
                + " \"mode\": \"incremental\", \"force\": false,"
                + " \"date_range\": {\"start\": \"2024-06-20\", \"end\": \"2024-06-21\"}}}",
            TOKEN);
    assertEquals(response.body(), 200, response.statusCode());
    JsonNode scheduled = JSON.readTree(response.body());
    String id = scheduled.get("execution_id").asText();
    assertThat(id, containsString("readings-"));
    assertEquals("scheduled", scheduled.get("status").asText());
    assertEquals("2024-06-22T12:00:00Z", scheduled.get("estimated_start").asText());

    JobRunner.Outcome outcome = await(id);
    assertEquals(RunStatus.SUCCEEDED, outcome.status());
    assertEquals(
        List.of("R1|12.50", "R3|7.00"),
        TestDatabase.rows("SELECT reading_id, value FROM silver.readings ORDER BY 1"));
    JsonNode run = get("/api/v1/etl/executions/" + id, 200);
    assertEquals("completed", run.get("status").asText());
    // bronze: 3 records read and written; silver: 3 in, 2 out, R2 set aside
    assertEquals(3, run.at("/layers/bronze/records").asLong());
    assertEquals(2, run.at("/layers/silver/records").asLong());
    assertEquals(1, run.at("/layers/silver/records_filtered").asLong());

    List<String> messages = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    for (JsonNode line : get("/api/v1/etl/executions/" + id + "/logs", 200).get("logs")) {
      messages.add(line.get("message").asText());
      levels.add(
          line.get("level").asText()
              + "|"
              + line.get("layer").asText()
              + "|"
              + line.get("message").asText());
      assertFalse(line.get("timestamp").asText().isEmpty());
    }
    assertEquals(
        "Scheduled by POST /api/v1/etl/trigger (date_range 2024-06-20..2024-06-21 (as of 2024-06-21)):"
            + " readings, layers bronze,silver",
        messages.get(0));
    assertThat(
        messages.get(1), containsString("Run " + id + ": readings pipeline, layers bronze,silver"));
    assertThat(
        levels,
        hasItem(
            "warning|null|1 record(s) set aside with their reasons: medallion quarantine list"
                + " --pipeline readings --run "
                + id));
  }

  @Test
  public void aTriggerWhileAnotherRunHoldsThePipelinesLockIsRefusedAndStartsNothing()
      throws Exception {
    // What a CLI run of readings holds for its whole run: the pipeline's advisory lock, and its
    // run recorded as running.
    new RunRecorder(TestDatabase.target())
        .started(
            "readings-cli",
            "readings",
            dev.medallion.ops.Mode.INCREMENTAL,
            java.util.EnumSet.of(Layer.BRONZE),
            "DirectRunner",
            false);
    try (PipelineLock cli =
        PipelineLock.acquire(TestDatabase.target(), "readings", false, line -> {})) {
      HttpResponse<String> refused =
          post("/api/v1/etl/trigger", "{\"pipeline_id\": \"readings\"}", TOKEN);
      assertEquals(409, refused.statusCode());
      assertThat(refused.body(), containsString("run readings-cli (process "));
      assertThat(
          refused.body(),
          containsString(
              "is still going and only one run of a pipeline writes at a time; not started."));
      assertEquals(0L, TestDatabase.count("SELECT count(*) FROM ops.run_logs"));
      assertEquals(0L, TestDatabase.count("SELECT count(*) FROM bronze.readings_raw"));
    }
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET status = 'succeeded' WHERE run_id = 'readings-cli'");
    // The lock released, the same trigger runs.
    HttpResponse<String> accepted =
        post("/api/v1/etl/trigger", "{\"pipeline_id\": \"readings\"}", TOKEN);
    assertEquals(accepted.body(), 200, accepted.statusCode());
    assertEquals(
        RunStatus.SUCCEEDED,
        await(JSON.readTree(accepted.body()).get("execution_id").asText()).status());
  }

  @Test
  public void aTriggerWhileACliRunInAnotherProcessHoldsTheLockIsRefusedThenRunsAfterIt()
      throws Exception {
    // Another JVM (started from this test's class path) takes readings' advisory lock and records
    // its run as running, as a CLI run does for its whole run; it ends when its stdin closes.
    JdbcTarget target = TestDatabase.target();
    Process cli =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                LockHoldingProcess.class.getName(),
                target.url(),
                "postgres",
                "postgres",
                "readings",
                "readings-other-process")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      java.io.BufferedReader said =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  cli.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String line = said.readLine();
      while (line != null && !line.startsWith("holding ")) {
        line = said.readLine();
      }
      assertEquals("holding " + cli.pid(), line);

      HttpResponse<String> refused =
          post("/api/v1/etl/trigger", "{\"pipeline_id\": \"readings\"}", TOKEN);
      assertEquals(409, refused.statusCode());
      // The message names the other process's run, its process id and says nothing started.
      assertThat(
          refused.body(), containsString("run readings-other-process (process " + cli.pid()));
      assertThat(
          refused.body(),
          containsString(
              "is still going and only one run of a pipeline writes at a time; not started."
                  + " Trigger it again once that run has ended."));
      assertEquals(0L, TestDatabase.count("SELECT count(*) FROM ops.run_logs"));
      assertEquals(0L, TestDatabase.count("SELECT count(*) FROM bronze.readings_raw"));
      assertEquals(
          List.of("readings-other-process|running"),
          TestDatabase.rows(
              "SELECT run_id || '|' || status FROM ops.pipeline_runs WHERE pipeline = 'readings'"));
    } finally {
      cli.getOutputStream().close();
      assertTrue(cli.waitFor(2, TimeUnit.MINUTES));
    }
    assertEquals(0, cli.exitValue());

    // That run ended and let the lock go: the same trigger runs, after it, never alongside.
    HttpResponse<String> accepted =
        post("/api/v1/etl/trigger", "{\"pipeline_id\": \"readings\"}", TOKEN);
    assertEquals(accepted.body(), 200, accepted.statusCode());
    String id = JSON.readTree(accepted.body()).get("execution_id").asText();
    assertEquals(RunStatus.SUCCEEDED, await(id).status());
    assertEquals(
        List.of("readings-other-process|succeeded|true"),
        TestDatabase.rows(
            "SELECT o.run_id || '|' || o.status || '|' || (t.started_at >= o.completed_at)"
                + " FROM ops.pipeline_runs o, ops.pipeline_runs t"
                + " WHERE o.run_id = 'readings-other-process' AND t.run_id = '"
                + id
                + "'"));
  }

  @Test
  public void dataQualityFromTheQuarantinesErrorClasses() throws Exception {
    JsonNode metrics = get("/api/v1/etl/data-quality", 200).get("quality_metrics");
    // Runs since 2024-06-21T12:00Z: band-2 (40 records in, 2 invalid_type) and edge-3 (50 in, 1
    // missing_field). total 90, issues 3, valid 87, score 87 / 90 * 100 = 96.67.
    JsonNode last = metrics.get("last_24h");
    assertEquals(90, last.get("total_records").asLong());
    assertEquals(87, last.get("valid_records").asLong());
    assertEquals(96.67, last.get("quality_score").asDouble(), 0.0);
    assertEquals(1, last.at("/issues/missing_fields").asLong());
    assertEquals(2, last.at("/issues/invalid_types").asLong());
    assertEquals(0, last.at("/issues/duplicates").asLong());
    JsonNode byPipeline = metrics.get("by_pipeline");
    assertEquals(2, byPipeline.size());
    // band: 40 in, 2 issues -> 38 / 40 = 95.00; edge: 50 in, 1 issue -> 49 / 50 = 98.00
    assertEquals("band", byPipeline.get(0).get("pipeline_id").asText());
    assertEquals(95.0, byPipeline.get(0).get("quality_score").asDouble(), 0.0);
    assertEquals(2, byPipeline.get(0).get("issues").asLong());
    assertEquals("edge", byPipeline.get(1).get("pipeline_id").asText());
    assertEquals(98.0, byPipeline.get(1).get("quality_score").asDouble(), 0.0);
    assertEquals(49, byPipeline.get(1).get("valid_records").asLong());
  }

  @Test
  public void processTabularDataRunsTheLayersOfItsMode() throws Exception {
    // The function runs band in medallion serve; here the small readings pipeline stands in (band's
    // layers take minutes on the DirectRunner). bronze_only: bronze alone, silver not touched.
    service.withTabularPipeline("readings");
    HttpResponse<String> response =
        post("/functions/v1/process_tabular_data", "{\"mode\": \"bronze_only\"}", TOKEN);
    assertEquals(response.body(), 200, response.statusCode());
    JsonNode body = JSON.readTree(response.body());
    assertEquals("scheduled", body.get("status").asText());
    assertEquals("readings", body.get("pipeline_id").asText());
    assertEquals("bronze_only", body.get("mode").asText());
    assertEquals("bronze", body.get("layers").asText());
    String id = body.get("execution_id").asText();
    assertEquals(RunStatus.SUCCEEDED, await(id).status());
    assertEquals(
        List.of("readings|bronze"),
        TestDatabase.rows(
            "SELECT pipeline, layers FROM ops.pipeline_runs WHERE run_id = '" + id + "'"));
    assertEquals(3L, TestDatabase.count("SELECT count(*) FROM bronze.readings_raw"));
    assertEquals(0L, TestDatabase.count("SELECT count(*) FROM silver.readings"));
    JsonNode run = get("/api/v1/etl/executions/" + id, 200);
    assertEquals("completed", run.at("/layers/bronze/status").asText());
    assertEquals("skipped", run.at("/layers/silver/status").asText());
  }

  private JobRunner.Outcome await(String id) throws Exception {
    return service.launcher().launched(id).orElseThrow().outcome().get(5, TimeUnit.MINUTES);
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.get("executions").forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }

  private JsonNode get(String path, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(path + ": " + response.body(), expectedStatus, response.statusCode());
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

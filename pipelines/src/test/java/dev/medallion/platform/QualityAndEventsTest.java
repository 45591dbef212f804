package dev.medallion.platform;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Mode;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.events.Webhook;
import dev.medallion.ops.events.WebhookDelivery;
import dev.medallion.platform.example.ReadingsPipeline;
import dev.medallion.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Data quality and events of real runs of the readings example (CSV -> bronze -> silver, values
 * above --max-value quarantined) on a real PostgreSQL, with webhook receivers on loopback: the
 * checks and metrics each run leaves, each event written once per state change and delivered with a
 * valid HMAC-SHA256 signature, the Slack/Discord alert of a failed check and a failed run, a
 * receiver that is down (retried with backoff, the run still succeeds), and LISTEN hearing NOTIFY.
 * Waits between attempts are recorded, not slept.
 */
public class QualityAndEventsTest {
  private static final String SECRET = "events-hmac-secret-1";
  private static final String ALERT_SECRET = "alerts-hmac-secret-2";
  private static final ObjectMapper JSON = new ObjectMapper();
  // R1 12.5, R2 120, R3 7, R4 150.25: with --max-value 100, R2 and R4 are quarantined by silver.
  private static final String READINGS =
      "reading_id,device,value\nR1,d1,12.5\nR2,d1,120\nR3,d2,7\nR4,d2,150.25\n";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** One request a receiver got. */
  record Received(String path, String event, String signature, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> eventsAnswers = new ConcurrentLinkedQueue<>();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private Path landing;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Before
  public void start() throws IOException {
    TestDatabase.truncate(
        "bronze.readings_raw",
        "silver.readings",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status",
        "ops.landed_files",
        "ops.events",
        "ops.event_deliveries",
        "ops.data_quality_checks",
        "ops.data_quality_metrics");
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/events", exchange -> receive(exchange, eventsAnswers.poll()));
    receiver.createContext("/alerts", exchange -> receive(exchange, null));
    receiver.start();
    landing = folder.newFolder("readings").toPath();
  }

  @After
  public void stop() {
    receiver.stop(0);
  }

  private void receive(HttpExchange exchange, Integer status) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst(WebhookDelivery.EVENT_HEADER),
            exchange.getRequestHeaders().getFirst(WebhookDelivery.SIGNATURE_HEADER),
            body));
    exchange.sendResponseHeaders(status == null ? 204 : status, -1);
    exchange.close();
  }

  private WebhookDelivery delivery() {
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    return WebhookDelivery.to(
            TestDatabase.target(),
            List.of(
                Webhook.of("ops", base + "/events", SECRET, Webhook.Format.EVENTS),
                Webhook.of("alerts", base + "/alerts", ALERT_SECRET, Webhook.Format.ALERT)))
        .withSleeper(waits::add);
  }

  private JobRunner.Outcome run(int maxValue) {
    JobRunner runner =
        new JobRunner(
                TestDatabase.target(),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                HttpClientConfiguration.create())
            .withEvents(delivery());
    JobRunner.Outcome outcome =
        runner.run(
            JobRunner.plan(
                new ReadingsPipeline(),
                RunRequest.of(
                    null,
                    Mode.INCREMENTAL,
                    RunnerProfiles.DEFAULT,
                    List.of("--source=" + landing, "--maxValue=" + maxValue))));
    System.out.print(printed.toString(StandardCharsets.UTF_8)); // the run's lines in the test log
    return outcome;
  }

  @Test
  public void aRunLeavesItsChecksMetricsAndEachEventOnceSignedAndNotified()
      throws IOException, SQLException {
    Files.writeString(landing.resolve("r1.csv"), READINGS);
    try (Connection listener = ConnectionPool.dedicated(TestDatabase.target())) {
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN medallion_events");
      }
      JobRunner.Outcome outcome = run(100);
      assertEquals(RunStatus.SUCCEEDED, outcome.status());
      String runId = outcome.runId();

      // bronze in 4 = silver out 2 (R1, R3) + quarantined 0 (bronze) + 2 (silver): difference 0.
      // silver_plausible: no silver value above 100 (12.50, 7.00): 0.
      assertEquals(
          List.of(
              "bronze_silver_reconciliation|bronze.readings_raw -> silver.readings|0|0|t",
              "silver_plausible|silver.readings|0|0|t"),
          TestDatabase.rows(
              "SELECT check_name, table_name, expected_result, actual_result, passed"
                  + " FROM ops.data_quality_checks WHERE run_id = '"
                  + runId
                  + "' ORDER BY executed_at, check_name"));
      assertThat(
          printed.toString(StandardCharsets.UTF_8),
          containsString("Quality checks: 2 of 2 passed"));
      assertEquals(
          List.of(
              "bronze|records_in|4|info",
              "bronze|records_out|4|info",
              "bronze|records_quarantined|0|info",
              "silver|invalid_value|2|warning",
              "silver|records_in|4|info",
              "silver|records_out|2|info",
              "silver|records_quarantined|2|warning"),
          TestDatabase.rows(
              "SELECT layer, metric_type, count, severity FROM ops.data_quality_metrics"
                  + " WHERE execution_id = '"
                  + runId
                  + "' ORDER BY layer, metric_type"));
      assertEquals(
          List.of(
              "[\"value 120 is above the limit 100\", \"value 150.25 is above the limit 100\"]"),
          TestDatabase.rows(
              "SELECT details->'examples' FROM ops.data_quality_metrics WHERE metric_type = 'invalid_value'"));

      // Each state change once: started; completed with its two layers.
      List<String> expected =
          List.of("execution.started", "execution.completed", "layer.completed", "layer.completed");
      assertEquals(expected, events(runId));
      assertEquals(
          List.of("bronze|4|4|0", "silver|4|2|2"),
          TestDatabase.rows(
              "SELECT payload->>'layer', payload->>'records_in', payload->>'records_out',"
                  + " payload->>'quarantined' FROM ops.events WHERE event_type = 'layer.completed' ORDER BY id"));

      // The events webhook got each once, in order, signed; the alert webhook skipped them all.
      List<Received> got = received.stream().filter(r -> r.path().equals("/events")).toList();
      assertEquals(expected, got.stream().map(Received::event).toList());
      for (Received r : got) {
        assertEquals("sha256=" + WebhookDelivery.sign(SECRET, r.body()), r.signature());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(runId, body.path("run_id").asText());
        assertEquals(r.event(), body.path("type").asText());
      }
      assertEquals(0, received.stream().filter(r -> r.path().equals("/alerts")).count());
      assertEquals(
          List.of("alerts|skipped|4", "ops|delivered|4"),
          TestDatabase.rows(
              "SELECT webhook, status, count(*) FROM ops.event_deliveries GROUP BY 1, 2 ORDER BY 1"));

      // LISTEN heard one NOTIFY per event, at its commit.
      List<String> heard = new ArrayList<>();
      PGConnection pg = listener.unwrap(PGConnection.class);
      while (heard.size() < expected.size()) {
        PGNotification[] notes = pg.getNotifications(10_000);
        assertTrue("no NOTIFY within 10 s; heard " + heard, notes != null && notes.length > 0);
        for (PGNotification note : notes) {
          JsonNode body = JSON.readTree(note.getParameter());
          assertEquals(runId, body.path("run_id").asText());
          heard.add(body.path("type").asText());
        }
      }
      assertEquals(expected, heard);
    }
  }

  @Test
  public void aFailedCheckAndAFailedRunAreAlertsAndNeverFailTheRun() throws IOException {
    Files.writeString(landing.resolve("r1.csv"), READINGS);
    // --max-value 200 lets R2 (120) and R4 (150.25) into silver: silver_plausible counts 2.
    JobRunner.Outcome lenient = run(200);
    assertEquals(RunStatus.SUCCEEDED, lenient.status());
    assertEquals(
        List.of("bronze_silver_reconciliation|0|t", "silver_plausible|2|f"),
        TestDatabase.rows(
            "SELECT check_name, actual_result, passed FROM ops.data_quality_checks ORDER BY check_name"));
    assertEquals(
        List.of(
            "execution.started",
            "execution.completed",
            "layer.completed",
            "layer.completed",
            "quality.issue_detected"),
        events(lenient.runId()));

    // A failed run: silver's table is away while the run writes it.
    Files.writeString(landing.resolve("r2.csv"), "reading_id,device,value\nR5,d3,1\n");
    TestDatabase.execute("ALTER TABLE silver.readings RENAME TO readings_away");
    JobRunner.Outcome failed;
    try {
      failed = run(200);
    } finally {
      TestDatabase.execute("ALTER TABLE silver.readings_away RENAME TO readings");
    }
    assertEquals(RunStatus.FAILED, failed.status());
    assertEquals(List.of("execution.started", "execution.failed"), events(failed.runId()));
    assertEquals(
        0,
        TestDatabase.count(
            "SELECT count(*) FROM ops.data_quality_checks WHERE run_id = '"
                + failed.runId()
                + "'"));

    List<Received> alerts = received.stream().filter(r -> r.path().equals("/alerts")).toList();
    assertEquals(
        List.of("quality.issue_detected", "execution.failed"),
        alerts.stream().map(Received::event).toList());
    JsonNode check = JSON.readTree(alerts.get(0).body());
    assertEquals(
        ":warning: Medallion: quality check silver_plausible failed on silver.readings after run "
            + lenient.runId()
            + " of readings: expected 0, got 2",
        check.path("text").asText());
    assertEquals(check.path("text").asText(), check.path("content").asText());
    JsonNode run = JSON.readTree(alerts.get(1).body());
    assertThat(
        run.path("text").asText(),
        containsString(":red_circle: Medallion: run " + failed.runId() + " of readings failed: "));
    assertThat(run.path("text").asText(), containsString("readings"));
    for (Received r : alerts) {
      assertEquals("sha256=" + WebhookDelivery.sign(ALERT_SECRET, r.body()), r.signature());
    }
  }

  @Test
  public void aReceiverThatIsDownIsRetriedWithBackoffAndTheRunSucceeds() throws IOException {
    Files.writeString(landing.resolve("r1.csv"), READINGS);
    for (int i = 0; i < 5; i++) {
      eventsAnswers.add(500);
    }
    JobRunner.Outcome outcome = run(100);
    assertEquals(RunStatus.SUCCEEDED, outcome.status());
    // At the start, execution.started: 3 attempts (waits 1 s, 2 s), left pending. At the end: its
    // last 2 of 5 attempts (wait 1 s), then given up; the receiver is down, so the other 3 events
    // wait for the next delivery untried.
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)), waits);
    assertEquals(
        List.of(
            "execution.started|failed|5|500",
            "execution.completed|pending|0|null",
            "layer.completed|pending|0|null",
            "layer.completed|pending|0|null"),
        deliveries("ops"));
    assertEquals(5, received.stream().filter(r -> r.path().equals("/events")).count());

    // The receiver is back: the next delivery sends the three that waited, once each.
    List<WebhookDelivery.Report> reports = delivery().deliverPending();
    assertEquals(new WebhookDelivery.Report("ops", 3, 0, 0, 0), reports.get(0));
    assertEquals(
        List.of(
            "execution.started|failed|5|500",
            "execution.completed|delivered|1|204",
            "layer.completed|delivered|1|204",
            "layer.completed|delivered|1|204"),
        deliveries("ops"));
    assertEquals(8, received.stream().filter(r -> r.path().equals("/events")).count());
  }

  private static List<String> events(String runId) {
    return TestDatabase.rows(
        "SELECT event_type FROM ops.events WHERE run_id = '" + runId + "' ORDER BY id");
  }

  private static List<String> deliveries(String webhook) {
    return TestDatabase.rows(
        "SELECT e.event_type, d.status, d.attempts, d.last_http_status FROM ops.event_deliveries d"
            + " JOIN ops.events e ON e.id = d.event_id WHERE d.webhook = '"
            + webhook
            + "' ORDER BY e.id");
  }
}

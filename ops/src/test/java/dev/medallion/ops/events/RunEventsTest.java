package dev.medallion.ops.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.medallion.ops.Layer;
import dev.medallion.ops.LayerStats;
import dev.medallion.ops.Mode;
import dev.medallion.ops.Redactor;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.quality.QualityCheck;
import dev.medallion.ops.quality.QualityChecks;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Before;
import org.junit.Test;

/**
 * The outbox on a real PostgreSQL: one event per state change, written in the transaction of the
 * state (a start that cannot be recorded leaves no event), the checks' rows and issue events, the
 * webhook configuration, and a delivery retried with backoff until the receiver takes it.
 */
public class RunEventsTest {
  private final RunRecorder recorder = new RunRecorder(TestDatabase.target());

  @Before
  public void clean() {
    TestDatabase.truncate(
        "ops.pipeline_runs", "ops.events", "ops.event_deliveries", "ops.data_quality_checks");
  }

  @Test
  public void eachStateChangeWritesItsEventsOnceInItsTransaction() {
    start("p-1");
    // The same run id again: the insert fails, and its event is rolled back with it.
    assertThrows(IllegalStateException.class, () -> start("p-1"));
    assertEquals(List.of("p-1|execution.started"), events());

    Map<Layer, LayerStats> layers = new LinkedHashMap<>();
    layers.put(Layer.BRONZE, new LayerStats(10, 9, 1, 2048, 30));
    layers.put(Layer.SILVER, new LayerStats(9, 7, 2, 0, 20));
    recorder.finished("p-1", RunStatus.SUCCEEDED, layers, null);
    recorder.finished("p-1", RunStatus.SUCCEEDED, layers, null); // no change, no event
    assertEquals(
        List.of(
            "p-1|execution.started",
            "p-1|execution.completed",
            "p-1|layer.completed",
            "p-1|layer.completed"),
        events());
    assertEquals(
        List.of("bronze|10|9|1", "silver|9|7|2"),
        TestDatabase.rows(
            "SELECT payload->>'layer', payload->>'records_in', payload->>'records_out',"
                + " payload->>'quarantined' FROM ops.events WHERE event_type = 'layer.completed' ORDER BY id"));

    start("p-2");
    recorder.finished("p-2", RunStatus.FAILED, Map.of(), "boom at bronze");
    assertEquals(
        List.of("failed|boom at bronze"),
        TestDatabase.rows(
            "SELECT payload->>'status', payload->>'error' FROM ops.events"
                + " WHERE run_id = 'p-2' AND event_type = 'execution.failed'"));

    start("p-3");
    assertEquals(List.of("p-3"), recorder.markAbandoned("p", true));
    assertEquals(List.of(), recorder.markAbandoned("p", true));
    assertEquals(
        List.of("execution.started", "execution.failed"),
        TestDatabase.rows("SELECT event_type FROM ops.events WHERE run_id = 'p-3' ORDER BY id"));
  }

  @Test
  public void checksKeepTheirOutcomeAndAFailedOneIsAnIssueEvent() {
    start("p-9");
    TestDatabase.execute(
        "UPDATE ops.pipeline_runs SET layer_records = '{\"bronze\": {\"in\": 10, \"out\": 9,"
            + " \"quarantined\": 1}, \"silver\": {\"in\": 9, \"out\": 6, \"quarantined\": 2}}'"
            + " WHERE run_id = 'p-9'");
    List<QualityChecks.Result> results =
        new QualityChecks(TestDatabase.target())
            .run(
                "p",
                "p-9",
                List.of(
                    QualityCheck.none("no_rows", Layer.GOLD, "t", "SELECT 2 - 2"),
                    QualityCheck.holds("holds", Layer.SILVER, "t", "SELECT 1 < 2"),
                    // 10 in - (6 out + 1 + 2 quarantined) = 1 record unaccounted for.
                    QualityCheck.reconciliation(Layer.BRONZE, Layer.SILVER, "a -> b"),
                    QualityCheck.none("broken", Layer.GOLD, "t", "SELECT FROM nowhere")));
    assertEquals(
        List.of(true, true, false, false),
        results.stream().map(QualityChecks.Result::passed).toList());
    assertEquals(
        List.of(
            "broken|0|error: ERROR: relation \"nowhere\" does not exist|f",
            "bronze_silver_reconciliation|0|1|f",
            "holds|true|true|t",
            "no_rows|0|0|t"),
        TestDatabase.rows(
            "SELECT check_name, expected_result, split_part(actual_result, E'\\n', 1), passed"
                + " FROM ops.data_quality_checks WHERE run_id = 'p-9' ORDER BY check_name COLLATE \"C\""));
    assertEquals(
        List.of(
            "bronze_silver_reconciliation|1",
            "broken|error: ERROR: relation \"nowhere\" does not exist"),
        TestDatabase.rows(
            "SELECT payload->>'check_name', split_part(payload->>'actual_result', E'\\n', 1)"
                + " FROM ops.events WHERE event_type = 'quality.issue_detected' ORDER BY id"));
  }

  @Test
  public void webhooksFromTheEnvironment() {
    List<Webhook> hooks =
        Webhook.fromMap(
            Map.of(
                Webhook.ENV,
                "ops=https://hooks.example.org/medallion, alerts=alert:https://hooks.slack.com/services/T000/B000/abcdefghijkl",
                "MEDALLION_WEBHOOK_SECRET_OPS",
                "ops-only-secret-1",
                Webhook.SECRET_ENV,
                "shared-secret-2"));
    assertEquals(List.of("ops", "alerts"), hooks.stream().map(Webhook::name).toList());
    assertEquals("ops-only-secret-1", hooks.get(0).secret());
    assertEquals("shared-secret-2", hooks.get(1).secret());
    assertEquals(Webhook.Format.EVENTS, hooks.get(0).format());
    assertEquals(Webhook.Format.ALERT, hooks.get(1).format());
    assertEquals("alerts (hooks.slack.com, alert)", hooks.get(1).toString());
    assertEquals(
        "sent with ****, to ****",
        Redactor.mask("sent with shared-secret-2, to services/T000/B000/abcdefghijkl"));
    IllegalArgumentException plain =
        assertThrows(
            IllegalArgumentException.class,
            () -> Webhook.fromMap(Map.of(Webhook.ENV, "x=http://hooks.example.org/a")));
    assertThat(plain.getMessage(), containsString("use https://"));
    assertThrows(
        IllegalArgumentException.class, () -> Webhook.fromMap(Map.of(Webhook.ENV, "no-url")));
    assertEquals(List.of(), Webhook.fromMap(Map.of()));
  }

  @Test
  public void aDeliveryThatFailsTwiceIsDeliveredOnItsThirdAttempt() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(calls.incrementAndGet() <= 2 ? 503 : 200, -1);
          exchange.close();
        });
    receiver.start();
    try {
      start("p-5");
      List<Duration> waits = new ArrayList<>();
      WebhookDelivery delivery =
          WebhookDelivery.to(
                  TestDatabase.target(),
                  List.of(
                      Webhook.of(
                          "hook",
                          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                          "hook-secret-3",
                          Webhook.Format.EVENTS)))
              .withSleeper(waits::add);
      assertEquals(
          List.of(new WebhookDelivery.Report("hook", 1, 0, 0, 0)), delivery.deliverPending());
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
      assertEquals(3, bodies.size());
      assertEquals(1, bodies.stream().distinct().count());
      assertEquals(
          List.of("delivered|3|200|t"),
          TestDatabase.rows(
              "SELECT status, attempts, last_http_status, delivered_at IS NOT NULL FROM ops.event_deliveries"));
      // Nothing is pending any more: a second call sends nothing.
      assertEquals(
          List.of(new WebhookDelivery.Report("hook", 0, 0, 0, 0)), delivery.deliverPending());
      assertEquals(3, bodies.size());
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  public void aReceiverDownAcrossCallsKeepsItsEventPendingThenGetsIt() throws IOException {
    // The receiver refuses its first four requests (HTTP 500) and takes the fifth.
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(calls.incrementAndGet() <= 4 ? 500 : 200, -1);
          exchange.close();
        });
    receiver.start();
    try {
      start("p-6");
      List<Duration> waits = new ArrayList<>();
      WebhookDelivery delivery =
          WebhookDelivery.to(
                  TestDatabase.target(),
                  List.of(
                      Webhook.of(
                          "hook",
                          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                          null,
                          Webhook.Format.EVENTS)))
              .withSleeper(waits::add);
      // First call (a run's start): 3 attempts with waits of 1 s and 2 s, all refused: pending.
      assertEquals(
          List.of(new WebhookDelivery.Report("hook", 0, 0, 1, 0)), delivery.deliverPending());
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
      assertEquals(
          List.of("pending|3|500|HTTP 500"),
          TestDatabase.rows(
              "SELECT concat_ws('|', status, attempts, last_http_status, last_error)"
                  + " FROM ops.event_deliveries"));
      // Next call (the run's end): the 4th attempt is refused, the 5th (after 1 s) delivered.
      assertEquals(
          List.of(new WebhookDelivery.Report("hook", 1, 0, 0, 0)), delivery.deliverPending());
      assertEquals(
          List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)), waits);
      assertEquals(5, calls.get());
      assertEquals(
          List.of("delivered|5|200|t"),
          TestDatabase.rows(
              "SELECT concat_ws('|', status, attempts, last_http_status, delivered_at IS NOT NULL)"
                  + " FROM ops.event_deliveries"));
    } finally {
      receiver.stop(0);
    }
  }

  private void start(String runId) {
    recorder.started(
        runId, "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false, null);
  }

  private static List<String> events() {
    return TestDatabase.rows("SELECT run_id, event_type FROM ops.events ORDER BY id");
  }
}

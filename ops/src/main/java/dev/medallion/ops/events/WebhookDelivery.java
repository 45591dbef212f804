package dev.medallion.ops.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.ops.LogText;
import dev.medallion.ops.Redactor;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends the outbox's events to the configured webhooks, oldest first, and keeps each delivery's
 * status in ops.event_deliveries. A body is the event's JSON (or, for an alert webhook, a Slack-
 * and Discord-compatible message), signed with HMAC-SHA256 of the body under the webhook's secret
 * in {@value #SIGNATURE_HEADER} ({@code sha256=<hex>}).
 *
 * <p>Each delivery is tried up to {@link #attemptsPerCall} times with doubling waits (1 s, 2 s,
 * ...) before the webhook is left for the next call, and given up ({@code failed}) after {@link
 * #maxAttempts} attempts in all. A webhook that is down never fails a run: the caller logs and
 * carries on. The deliveries a call works on are locked ({@code FOR UPDATE SKIP LOCKED}), so two
 * processes delivering at once do not send an event twice.
 */
public final class WebhookDelivery {
  public static final String SIGNATURE_HEADER = "X-Medallion-Signature";
  public static final String EVENT_HEADER = "X-Medallion-Event";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(WebhookDelivery.class);

  /** Waits between attempts; tests pass one that records the waits instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Events older than this are not sent to a webhook that never had them (a new webhook). */
  static final Duration HORIZON = Duration.ofDays(1);

  private final JdbcTarget target;
  private final List<Webhook> webhooks;
  private final Sleeper sleeper;
  private final HttpClient client;
  private final int attemptsPerCall;
  private final int maxAttempts;

  private WebhookDelivery(
      JdbcTarget target,
      List<Webhook> webhooks,
      Sleeper sleeper,
      int attemptsPerCall,
      int maxAttempts) {
    this.target = target;
    this.webhooks = List.copyOf(webhooks);
    this.sleeper = sleeper;
    this.attemptsPerCall = attemptsPerCall;
    this.maxAttempts = maxAttempts;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Delivery to these webhooks: 3 attempts per call, 5 in all, really waiting between them. */
  public static WebhookDelivery to(JdbcTarget target, List<Webhook> webhooks) {
    return new WebhookDelivery(target, webhooks, d -> Thread.sleep(d.toMillis()), 3, 5);
  }

  public WebhookDelivery withSleeper(Sleeper value) {
    return new WebhookDelivery(target, webhooks, value, attemptsPerCall, maxAttempts);
  }

  public WebhookDelivery withAttempts(int perCall, int inAll) {
    if (perCall < 1 || inAll < perCall) {
      throw new IllegalArgumentException("attempts: 1 <= per call <= in all");
    }
    return new WebhookDelivery(target, webhooks, sleeper, perCall, inAll);
  }

  public List<Webhook> webhooks() {
    return webhooks;
  }

  /** How one call went for one webhook. */
  public record Report(String webhook, int delivered, int skipped, int pending, int failed) {}

  /** Sends every pending event to every webhook. */
  public List<Report> deliverPending() {
    List<Report> reports = new ArrayList<>();
    for (Webhook webhook : webhooks) {
      reports.add(deliver(webhook));
    }
    return reports;
  }

  private record Pending(long id, String type, String body, int attempts) {}

  private Report deliver(Webhook webhook) {
    int delivered = 0;
    int skipped = 0;
    int pending = 0;
    int failed = 0;
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ops.event_deliveries (event_id, webhook, status) SELECT id, ?, 'pending'"
                    + " FROM ops.events WHERE created_at > now() - make_interval(secs => ?)"
                    + " ON CONFLICT DO NOTHING")) {
          ps.setString(1, webhook.name());
          ps.setDouble(2, HORIZON.toSeconds());
          ps.executeUpdate();
        }
        c.commit();
        List<Pending> work = new ArrayList<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT e.id, e.event_type, jsonb_set(e.payload, '{id}', to_jsonb(e.id))"
                    + " || jsonb_build_object('created_at', e.created_at), d.attempts"
                    + " FROM ops.event_deliveries d JOIN ops.events e ON e.id = d.event_id"
                    + " WHERE d.webhook = ? AND d.status = 'pending' ORDER BY e.id FOR UPDATE OF d SKIP LOCKED")) {
          ps.setString(1, webhook.name());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              work.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
            }
          }
        }
        boolean down = false;
        for (Pending event : work) {
          if (!webhook.carries(EventType.of(event.type()))) {
            settle(c, webhook, event.id(), "skipped", event.attempts(), null, null);
            skipped++;
            continue;
          }
          if (down) {
            pending++;
            continue;
          }
          Attempt outcome = send(webhook, event);
          int attempts = event.attempts() + outcome.attempts();
          if (outcome.ok()) {
            settle(c, webhook, event.id(), "delivered", attempts, outcome.status(), null);
            delivered++;
          } else {
            boolean giveUp = attempts >= maxAttempts;
            settle(
                c,
                webhook,
                event.id(),
                giveUp ? "failed" : "pending",
                attempts,
                outcome.status(),
                outcome.error());
            if (giveUp) {
              failed++;
            } else {
              pending++;
            }
            // The receiver is down: later events wait for the next call rather than each paying
            // the waits again.
            down = true;
            LOG.warn(
                "Webhook {} did not take event {} after {} attempt(s): {}",
                webhook,
                event.id(),
                attempts,
                outcome.error());
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not deliver events to webhook " + webhook + ": " + e.getMessage(), e);
    }
    return new Report(webhook.name(), delivered, skipped, pending, failed);
  }

  private record Attempt(boolean ok, int attempts, Integer status, String error) {}

  private Attempt send(Webhook webhook, Pending event) {
    String body = body(webhook, event);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(EVENT_HEADER, event.type())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (webhook.secret() != null) {
      request.header(SIGNATURE_HEADER, "sha256=" + sign(webhook.secret(), body));
    }
    Integer status = null;
    String error = null;
    int tried = 0;
    int allowed = Math.min(attemptsPerCall, maxAttempts - event.attempts());
    for (int attempt = 1; attempt <= Math.max(1, allowed); attempt++) {
      if (attempt > 1) {
        try {
          sleeper.sleep(Duration.ofSeconds(1L << (attempt - 2)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      tried++;
      try {
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        if (status / 100 == 2) {
          return new Attempt(true, tried, status, null);
        }
        error = "HTTP " + status;
      } catch (IOException e) {
        status = null;
        error =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
    }
    return new Attempt(false, tried, status, LogText.bounded(Redactor.mask(error)));
  }

  private static void settle(
      Connection c,
      Webhook webhook,
      long eventId,
      String status,
      int attempts,
      Integer httpStatus,
      String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ops.event_deliveries SET status = ?, attempts = ?, last_http_status = ?, last_error = ?,"
                + " updated_at = now(), delivered_at = CASE WHEN ? = 'delivered' THEN now() END"
                + " WHERE event_id = ? AND webhook = ?")) {
      ps.setString(1, status);
      ps.setInt(2, attempts);
      ps.setObject(3, httpStatus);
      ps.setString(4, error);
      ps.setString(5, status);
      ps.setLong(6, eventId);
      ps.setString(7, webhook.name());
      ps.executeUpdate();
    }
  }

  /** The event's JSON, or an alert message for an alert webhook. */
  static String body(Webhook webhook, Pending event) {
    if (webhook.format() == Webhook.Format.EVENTS) {
      return event.body();
    }
    try {
      return alert(Outbox.JSON.readTree(event.body()));
    } catch (IOException e) {
      throw new IllegalStateException("event " + event.id() + " is not JSON", e);
    }
  }

  /**
   * A Slack incoming-webhook and Discord webhook message: Slack reads {@code text}, Discord {@code
   * content}; each ignores the other's field.
   */
  public static String alert(JsonNode event) {
    String type = event.path("type").asText();
    String pipeline = event.path("pipeline").asText();
    String run = event.path("run_id").asText();
    String text;
    if (EventType.QUALITY_ISSUE_DETECTED.label().equals(type)) {
      text =
          ":warning: Medallion: quality check "
              + event.path("check_name").asText()
              + " failed on "
              + event.path("table_name").asText()
              + " after run "
              + run
              + " of "
              + pipeline
              + ": expected "
              + event.path("expected_result").asText()
              + ", got "
              + event.path("actual_result").asText();
    } else {
      text =
          ":red_circle: Medallion: run "
              + run
              + " of "
              + pipeline
              + " "
              + event.path("status").asText("failed")
              + (event.hasNonNull("error") ? ": " + event.path("error").asText() : "");
    }
    text = LogText.bounded(text);
    ObjectNode message = Outbox.payload();
    message.put("text", text);
    message.put("content", text);
    message.put("username", "medallion");
    return message.toString();
  }

  /** Lower-case hex HMAC-SHA256 of the body under the secret. */
  public static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}

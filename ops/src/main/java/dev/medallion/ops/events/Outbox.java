package dev.medallion.ops.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.ops.Redactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes an event to the ops.events outbox on the caller's connection, so it commits (or not) with
 * the state it describes; its NOTIFY (a trigger) goes out at that commit, and {@link
 * WebhookDelivery} sends it on afterwards.
 */
public final class Outbox {
  static final ObjectMapper JSON = new ObjectMapper();

  private Outbox() {}

  /** An empty payload object to fill. */
  public static ObjectNode payload() {
    return JSON.createObjectNode();
  }

  /**
   * Inserts the event; the payload gets {@code type}, {@code pipeline} and {@code run_id} too, and
   * its text passes through the process's redactor (errors may quote a secret).
   */
  public static void write(
      Connection connection, EventType type, String pipeline, String runId, ObjectNode payload)
      throws SQLException {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", type.label());
    body.put("pipeline", pipeline);
    body.put("run_id", runId);
    body.setAll(payload);
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO ops.events (event_type, pipeline, run_id, payload) VALUES (?, ?, ?, CAST(? AS jsonb))")) {
      ps.setString(1, type.label());
      ps.setString(2, pipeline);
      ps.setString(3, runId);
      ps.setString(4, Redactor.mask(body.toString()));
      ps.executeUpdate();
    }
  }
}

package dev.medallion.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The seed's way of landing bronze, {@code supabase.table('bronze_edge_raw').insert(row)} once per
 * record, against a loopback stand-in for Supabase's REST API: one HTTP POST per record, answered
 * by one autocommitted {@code INSERT ... SELECT * FROM json_populate_record(...)}, which is how
 * PostgREST turns a JSON body into a row. The network round trip to a real Supabase is not here, so
 * this is the seed's fastest possible case.
 */
final class SeedRestInserts implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI endpoint;

  SeedRestInserts(JdbcTarget target, String table) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String insert =
        "INSERT INTO "
            + table
            + " SELECT * FROM json_populate_record(NULL::"
            + table
            + ", ?::json)";
    server.createContext("/rest/v1/", exchange -> answer(exchange, target, insert));
    server.start();
    endpoint =
        URI.create(
            "http://127.0.0.1:"
                + server.getAddress().getPort()
                + "/rest/v1/"
                + table.replace('.', '_'));
  }

  /** Posts each row on its own, waiting for each answer, as the seed's loop does. */
  long insertEach(List<BenchRow> rows) throws IOException, InterruptedException {
    for (BenchRow row : rows) {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/json")
              .header("Prefer", "return=minimal")
              .POST(HttpRequest.BodyPublishers.ofString(body(row)))
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IOException(
            "the REST stand-in refused row " + row.transactionId() + ": " + response.body());
      }
    }
    return rows.size();
  }

  private static String body(BenchRow row) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", row.id().toString());
    json.put("device_id", row.deviceId());
    json.put("store_id", row.storeId());
    json.put("transaction_id", row.transactionId());
    json.put("amount", row.amount().toPlainString());
    json.put("payment_method", row.paymentMethod());
    json.put("created_at", row.createdAt().toString());
    // As it is: re-reading it would turn 12.50 into 12.5 and this method would store other rows
    // than the rest.
    json.putRawValue("raw_data", new RawValue(row.rawJson()));
    json.put("file_name", row.fileName());
    json.put("record_index", row.recordIndex());
    return JSON.writeValueAsString(json);
  }

  private static void answer(HttpExchange exchange, JdbcTarget target, String insert)
      throws IOException {
    int status;
    byte[] reply;
    try (InputStream in = exchange.getRequestBody();
        Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement(insert)) {
      ps.setString(1, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      ps.executeUpdate();
      status = 201;
      reply = new byte[0];
    } catch (SQLException e) {
      status = 400;
      reply = e.getMessage().getBytes(StandardCharsets.UTF_8);
    }
    exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
    exchange.getResponseBody().write(reply);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

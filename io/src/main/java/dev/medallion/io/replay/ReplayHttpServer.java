package dev.medallion.io.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that replays a recording: a classpath folder whose {@code _routes.json}
 * maps requests to response files. A request matches a route by method, path, query, body (JSON, or
 * a form given as text) and headers. The demo serves the ElGoose recording with it ({@code
 * recordings/elgoose/}, which the tests read too); tests serve their fixtures and can queue one-off
 * responses ahead of the routes (a 500, a 429, a slow answer) and read back every request that
 * arrived.
 *
 * <p>A route's {@code body} names a file relative to the folder; {@code ../other/file.json} reuses
 * a file of a neighbouring recording.
 */
public class ReplayHttpServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A request as it arrived. */
  public record Request(
      String method,
      String path,
      Map<String, String> query,
      String body,
      Map<String, List<String>> headers) {}

  /**
   * A one-off response, used before the routes are consulted; with {@code echoRequestHeaders} the
   * request's headers follow the body, as a careless server's error page prints them.
   */
  public record Scripted(
      int status,
      Map<String, String> headers,
      byte[] body,
      long delayMillis,
      boolean echoRequestHeaders) {
    public Scripted(int status, Map<String, String> headers, byte[] body, long delayMillis) {
      this(status, headers, body, delayMillis, false);
    }
  }

  private final String resourceFolder;
  private final String basePath;
  private final JsonNode routes;
  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Scripted>> scripted = new ConcurrentHashMap<>();

  /**
   * Serves the recording in the classpath folder {@code resourceFolder} (e.g.
   * "recordings/elgoose/").
   */
  protected ReplayHttpServer(String resourceFolder) throws IOException {
    this.resourceFolder = resourceFolder.endsWith("/") ? resourceFolder : resourceFolder + "/";
    this.routes = MAPPER.readTree(resource("_routes.json"));
    this.basePath = URI.create(routes.path("base_url").asText()).getRawPath().replaceAll("/+$", "");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  /** Serves the recording in a classpath folder, e.g. "recordings/elgoose/". */
  public static ReplayHttpServer serving(String resourceFolder) {
    try {
      return new ReplayHttpServer(resourceFolder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** http://127.0.0.1:PORT, to stand in for the API's host. */
  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The origin plus the base URL's path, to stand in for the API's base URL. */
  public String baseUrl() {
    return origin() + basePath;
  }

  /** Answers the next request to {@code path} (relative to the base URL) with this, once. */
  public ReplayHttpServer enqueue(String method, String path, Scripted response) {
    scripted.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(response);
    return this;
  }

  public static Scripted status(int status, String body, Map<String, String> headers) {
    return new Scripted(status, headers, body.getBytes(StandardCharsets.UTF_8), 0);
  }

  public List<Request> requests() {
    return Collections.unmodifiableList(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getRawPath();
      String path =
          URLDecoder.decode(
              rawPath.startsWith(basePath) ? rawPath.substring(basePath.length()) : rawPath,
              StandardCharsets.UTF_8);
      Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(method, path, query, body, new HashMap<>(exchange.getRequestHeaders())));

      Deque<Scripted> queue = scripted.get(method + " " + path);
      Scripted once = queue == null ? null : queue.poll();
      if (once != null) {
        if (once.delayMillis() > 0) {
          try {
            Thread.sleep(once.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        respond(
            exchange,
            once.status(),
            once.headers(),
            once.echoRequestHeaders() ? withHeaders(once.body(), exchange) : once.body());
        return;
      }
      JsonNode route = findRoute(method, path, query, body, exchange);
      if (route == null) {
        respond(
            exchange,
            404,
            Map.of("Content-Type", "text/plain"),
            ("no fixture route for " + method + " " + path + " " + query + " " + body)
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      Map<String, String> headers = new HashMap<>();
      route
          .path("headers")
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      byte[] responseBody =
          route.path("body").isNull() ? new byte[0] : resource(route.path("body").asText());
      respond(exchange, route.path("status").asInt(200), headers, responseBody);
    }
  }

  private static byte[] withHeaders(byte[] body, HttpExchange exchange) {
    StringBuilder echoed = new StringBuilder(new String(body, StandardCharsets.UTF_8));
    new java.util.TreeMap<>(exchange.getRequestHeaders())
        .forEach((name, values) -> echoed.append('\n').append(name).append(": ").append(values));
    return echoed.toString().getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode findRoute(
      String method, String path, Map<String, String> query, String body, HttpExchange exchange)
      throws IOException {
    for (JsonNode route : routes.path("routes")) {
      if (!route.path("method").asText().equals(method)
          || !route.path("path").asText().equals(path)) {
        continue;
      }
      Map<String, String> expectedQuery = new HashMap<>();
      route
          .path("query")
          .fields()
          .forEachRemaining(e -> expectedQuery.put(e.getKey(), e.getValue().asText()));
      if (!expectedQuery.equals(query)) {
        continue;
      }
      if (route.has("request_body") && !bodyMatches(route.get("request_body"), body)) {
        continue;
      }
      if (route.has("request_headers")) {
        boolean headersMatch = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = route.get("request_headers").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> expected = it.next();
          String actual = exchange.getRequestHeaders().getFirst(expected.getKey());
          headersMatch &= expected.getValue().asText().equals(actual);
        }
        if (!headersMatch) {
          continue;
        }
      }
      return route;
    }
    return null;
  }

  /**
   * A JSON request_body matches an equal JSON body; a text one is a form ({@code a=1&b=2}) and
   * matches a form body with the same fields in any order.
   */
  private static boolean bodyMatches(JsonNode expected, String body) {
    if (body.isBlank()) {
      return false;
    }
    if (expected.isTextual()) {
      return parseQuery(expected.asText()).equals(parseQuery(body.strip()));
    }
    try {
      return expected.equals(MAPPER.readTree(body));
    } catch (IOException notJson) {
      return false;
    }
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  private static void respond(
      HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private byte[] resource(String name) throws IOException {
    String path = URI.create(resourceFolder).resolve(name).normalize().toString();
    try (InputStream in = ReplayHttpServer.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing recorded response " + path);
      }
      return in.readAllBytes();
    }
  }

  /** Requests to a path, in arrival order. */
  public List<Request> requestsTo(String method, String path) {
    List<Request> matching = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals(method) && r.path().equals(path)) {
        matching.add(r);
      }
    }
    return matching;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.medallion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback stand-in for the part of the Google Cloud Storage JSON API that Beam's GCS file system
 * (GcsUtil with gcsio) calls: object insert (media, multipart and resumable uploads), object get
 * (metadata, and {@code alt=media} with a Range), object list by prefix, and bucket get. Point Beam
 * at it with {@code --gcsEndpoint=}{@link #endpoint()}. Objects live in memory; {@link #requests()}
 * lists what was asked, and an unknown call is answered 501 and recorded, so a test sees what Beam
 * tried. Every bucket exists.
 */
public final class GcsStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final SortedMap<String, Stored> objects =
      Collections.synchronizedSortedMap(new TreeMap<>());
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> unknown = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong generation = new AtomicLong(1_700_000_000_000_000L);

  private record Stored(
      String bucket, String name, byte[] content, String contentType, long generation) {}

  private static final class Upload {
    final String bucket;
    final String name;
    final String contentType;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Upload(String bucket, String name, String contentType) {
      this.bucket = bucket;
      this.name = name;
      this.contentType = contentType;
    }
  }

  private GcsStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public static GcsStandIn start() {
    try {
      return new GcsStandIn();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The value for Beam's {@code --gcsEndpoint}: Beam takes its path as the JSON API's service path
   * (uploads go to the same host under upload/ + that path).
   */
  public String endpoint() {
    return root() + "storage/v1/";
  }

  private String root() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The stored objects' names as gs://BUCKET/NAME, sorted. */
  public List<String> objectNames() {
    synchronized (objects) {
      return new ArrayList<>(objects.keySet()).stream().map(k -> "gs://" + k).toList();
    }
  }

  /** The content of gs://BUCKET/NAME, or null. */
  public String content(String gsPath) {
    Stored stored = objects.get(gsPath.substring("gs://".length()));
    return stored == null ? null : new String(stored.content(), StandardCharsets.UTF_8);
  }

  /** Stores an object, as if another writer had. */
  public void put(String bucket, String name, String content) {
    store(bucket, name, content.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
  }

  /** "METHOD path?query" of each request, in order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The requests this stand-in does not implement (answered 501). */
  public List<String> unknownRequests() {
    synchronized (unknown) {
      return List.copyOf(unknown);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private Stored store(String bucket, String name, byte[] content, String contentType) {
    Stored stored = new Stored(bucket, name, content, contentType, generation.incrementAndGet());
    objects.put(bucket + "/" + name, stored);
    return stored;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      Map<String, String> query = query(rawQuery);
      requests.add(method + " " + path + (rawQuery == null ? "" : "?" + rawQuery));
      byte[] body = exchange.getRequestBody().readAllBytes();
      String[] parts = path.replaceFirst("^/(download/)?", "").split("/", -1);
      // storage/v1/b/{bucket}[/o[/{object}]]  or  upload/storage/v1/b/{bucket}/o
      if (parts.length >= 6
          && parts[0].equals("upload")
          && parts[3].equals("b")
          && parts[5].equals("o")) {
        upload(exchange, method, decode(parts[4]), query, body);
      } else if (parts.length >= 4 && parts[0].equals("storage") && parts[2].equals("b")) {
        String bucket = decode(parts[3]);
        if (parts.length == 4 && method.equals("GET")) {
          ObjectNode b = JSON.createObjectNode();
          b.put("kind", "storage#bucket").put("id", bucket).put("name", bucket);
          b.put("projectNumber", "1").put("location", "EU");
          send(exchange, 200, b);
        } else if (parts.length == 5 && parts[4].equals("o") && method.equals("GET")) {
          list(exchange, bucket, query);
        } else if (parts.length >= 6 && parts[4].equals("o") && method.equals("GET")) {
          String name =
              decode(String.join("/", java.util.Arrays.copyOfRange(parts, 5, parts.length)));
          Stored stored = objects.get(bucket + "/" + name);
          if (stored == null) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
          } else if ("media".equals(query.get("alt"))) {
            media(exchange, stored);
          } else {
            send(exchange, 200, metadata(stored));
          }
        } else {
          unknown(exchange);
        }
      } else {
        unknown(exchange);
      }
    } catch (RuntimeException e) {
      error(exchange, 500, e.toString());
    }
  }

  private void upload(
      HttpExchange exchange, String method, String bucket, Map<String, String> query, byte[] body)
      throws IOException {
    String type = query.getOrDefault("uploadType", "");
    if (method.equals("POST") && type.equals("media")) {
      send(exchange, 200, metadata(store(bucket, query.get("name"), body, contentType(exchange))));
    } else if (method.equals("POST") && type.equals("multipart")) {
      multipart(exchange, bucket, query, body);
    } else if (method.equals("POST") && type.equals("resumable")) {
      JsonNode meta = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      String name = meta.path("name").asText(query.get("name"));
      String contentType =
          meta.path("contentType")
              .asText(
                  exchange.getRequestHeaders().getFirst("X-Upload-Content-Type") == null
                      ? "application/octet-stream"
                      : exchange.getRequestHeaders().getFirst("X-Upload-Content-Type"));
      String id = Long.toString(generation.incrementAndGet());
      uploads.put(id, new Upload(bucket, name, contentType));
      exchange
          .getResponseHeaders()
          .add(
              "Location",
              root() + "upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
      exchange.sendResponseHeaders(200, -1);
    } else if (method.equals("PUT") && type.equals("resumable")) {
      Upload upload = uploads.get(query.get("upload_id"));
      if (upload == null) {
        error(exchange, 404, "no upload " + query.get("upload_id"));
        return;
      }
      upload.bytes.write(body);
      // Content-Range: "bytes FIRST-LAST/TOTAL", "bytes FIRST-LAST/*" or "bytes */TOTAL".
      String range = exchange.getRequestHeaders().getFirst("Content-Range");
      boolean last = range == null || !range.endsWith("/*");
      if (last) {
        uploads.remove(query.get("upload_id"));
        send(
            exchange,
            200,
            metadata(
                store(upload.bucket, upload.name, upload.bytes.toByteArray(), upload.contentType)));
      } else {
        exchange.getResponseHeaders().add("Range", "bytes=0-" + (upload.bytes.size() - 1));
        exchange.sendResponseHeaders(308, -1);
      }
    } else {
      unknown(exchange);
    }
  }

  /** multipart/related: a JSON part with the metadata, then the content. */
  private void multipart(
      HttpExchange exchange, String bucket, Map<String, String> query, byte[] body)
      throws IOException {
    String header = contentType(exchange);
    String boundary = header.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1");
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String[] sections = text.split("--" + java.util.regex.Pattern.quote(boundary));
    List<String> partsBodies = new ArrayList<>();
    for (String section : sections) {
      int split = section.indexOf("\r\n\r\n");
      if (split >= 0) {
        String partBody = section.substring(split + 4);
        partsBodies.add(
            partBody.endsWith("\r\n") ? partBody.substring(0, partBody.length() - 2) : partBody);
      }
    }
    JsonNode meta = JSON.readTree(partsBodies.get(0).getBytes(StandardCharsets.ISO_8859_1));
    byte[] content = partsBodies.get(1).getBytes(StandardCharsets.ISO_8859_1);
    String name = meta.path("name").asText(query.get("name"));
    send(
        exchange,
        200,
        metadata(
            store(
                bucket,
                name,
                content,
                meta.path("contentType").asText("application/octet-stream"))));
  }

  private void list(HttpExchange exchange, String bucket, Map<String, String> query)
      throws IOException {
    String prefix = bucket + "/" + query.getOrDefault("prefix", "");
    ObjectNode answer = JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = answer.putArray("items");
    synchronized (objects) {
      for (Map.Entry<String, Stored> entry : objects.tailMap(prefix).entrySet()) {
        if (!entry.getKey().startsWith(prefix)) {
          break;
        }
        items.add(metadata(entry.getValue()));
      }
    }
    send(exchange, 200, answer);
  }

  private void media(HttpExchange exchange, Stored stored) throws IOException {
    byte[] content = stored.content();
    int from = 0;
    int to = content.length - 1;
    String range = exchange.getRequestHeaders().getFirst("Range");
    int status = 200;
    if (range != null && range.startsWith("bytes=")) {
      String[] bounds = range.substring(6).split("-", -1);
      from = Integer.parseInt(bounds[0]);
      if (!bounds[1].isEmpty()) {
        to = Math.min(to, Integer.parseInt(bounds[1]));
      }
      if (from >= content.length && content.length > 0) {
        error(exchange, 416, "range not satisfiable");
        return;
      }
      status = 206;
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
    }
    exchange.getResponseHeaders().add("Content-Type", stored.contentType());
    exchange.getResponseHeaders().add("x-goog-generation", Long.toString(stored.generation()));
    int length = Math.max(0, to - from + 1);
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content, from, length);
    }
  }

  private ObjectNode metadata(Stored stored) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "storage#object");
    o.put("id", stored.bucket() + "/" + stored.name() + "/" + stored.generation());
    o.put("bucket", stored.bucket());
    o.put("name", stored.name());
    o.put("size", Long.toString(stored.content().length));
    o.put("generation", Long.toString(stored.generation()));
    o.put("metageneration", "1");
    o.put("contentType", stored.contentType());
    o.put("md5Hash", md5(stored.content()));
    o.put("updated", "2026-01-01T00:00:00.000Z");
    o.put("timeCreated", "2026-01-01T00:00:00.000Z");
    return o;
  }

  private static String md5(byte[] content) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String contentType(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    return type == null ? "application/octet-stream" : type;
  }

  private void unknown(HttpExchange exchange) throws IOException {
    unknown.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
    error(
        exchange,
        501,
        "the GCS stand-in does not implement "
            + exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI());
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode error = answer.putObject("error");
    error.put("code", status).put("message", message);
    error
        .putArray("errors")
        .addObject()
        .put("message", message)
        .put("reason", status == 404 ? "notFound" : "backendError");
    send(exchange, status, answer);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        } else if (!pair.isEmpty()) {
          values.put(decode(pair), "");
        }
      }
    }
    return values;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}

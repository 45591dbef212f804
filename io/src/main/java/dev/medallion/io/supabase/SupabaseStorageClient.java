package dev.medallion.io.supabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The three Supabase Storage calls the edge pipeline needs: list (paged by offset), download and
 * move. Errors arrive as HTTP 400 with the real code in the body's {@code statusCode} string.
 */
final class SupabaseStorageClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String PLACEHOLDER = ".emptyFolderPlaceholder";

  /** One object in a listing. */
  record StoredObject(String name, long size, @Nullable String eTag, Instant createdAt) {}

  /** A Supabase Storage error, by the code in the body. */
  static final class StorageError extends IOException {
    private static final long serialVersionUID = 1L;
    final String statusCode;
    final String code;

    StorageError(String statusCode, String code, String message) {
      super(message);
      this.statusCode = statusCode;
      this.code = code;
    }
  }

  private final String storageUrl;
  private final Map<String, String> authHeaders;
  private final RetryingHttpClient http;

  SupabaseStorageClient(
      String projectUrl, String serviceKey, HttpClientConfiguration configuration) {
    this.storageUrl = projectUrl.replaceAll("/+$", "") + "/storage/v1";
    dev.medallion.ops.Redactor.process().register(serviceKey);
    this.authHeaders = Map.of("Authorization", "Bearer " + serviceKey, "apikey", serviceKey);
    this.http = new RetryingHttpClient(configuration);
  }

  /** Every object directly under {@code prefix}, skipping sub-folders and placeholders. */
  List<StoredObject> list(String bucket, String prefix, int pageSize) throws IOException {
    List<StoredObject> objects = new ArrayList<>();
    for (int offset = 0; ; offset += pageSize) {
      ObjectNode body = MAPPER.createObjectNode();
      body.put("prefix", prefix);
      body.put("limit", pageSize);
      body.put("offset", offset);
      body.putObject("sortBy").put("column", "name").put("order", "asc");
      RetryingHttpClient.Response response =
          http.postJson(
              URI.create(storageUrl + "/object/list/" + encode(bucket)),
              authHeaders,
              body.toString());
      JsonNode page = successBody(response, "list " + bucket + "/" + prefix);
      if (!page.isArray()) {
        throw new HttpFailure(
            FailureType.DATA,
            response.status(),
            "Supabase list of "
                + bucket
                + "/"
                + prefix
                + " did not return an array: "
                + abbreviate(response.bodyText()));
      }
      if (page.isEmpty()) {
        return objects;
      }
      for (JsonNode entry : page) {
        JsonNode metadata = entry.path("metadata");
        String name = entry.path("name").asText();
        if (entry.path("id").isNull()
            || metadata.isNull()
            || metadata.isMissingNode()
            || PLACEHOLDER.equals(name)) {
          continue;
        }
        String eTag =
            metadata.path("eTag").isTextual()
                ? metadata.get("eTag").asText().replace("\"", "")
                : null;
        objects.add(
            new StoredObject(
                name,
                metadata.path("size").asLong(),
                eTag,
                Instant.parse(entry.path("created_at").asText())));
      }
      if (page.size() < pageSize) {
        return objects;
      }
    }
  }

  byte[] download(String bucket, String key) throws IOException {
    RetryingHttpClient.Response response =
        http.get(
            URI.create(storageUrl + "/object/" + encode(bucket) + "/" + encodePath(key)),
            authHeaders);
    if (response.status() >= 400) {
      throw storageError(response, "download " + bucket + "/" + key);
    }
    return response.body();
  }

  boolean exists(String bucket, String key) throws IOException {
    try {
      download(bucket, key);
      return true;
    } catch (StorageError e) {
      if ("404".equals(e.statusCode)) {
        return false;
      }
      throw e;
    }
  }

  void move(String bucket, String sourceKey, String destinationKey) throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("bucketId", bucket);
    body.put("sourceKey", sourceKey);
    body.put("destinationKey", destinationKey);
    RetryingHttpClient.Response response =
        http.postJson(URI.create(storageUrl + "/object/move"), authHeaders, body.toString());
    if (response.status() >= 400) {
      throw storageError(response, "move " + sourceKey + " to " + destinationKey);
    }
  }

  private JsonNode successBody(RetryingHttpClient.Response response, String what)
      throws IOException {
    if (response.status() >= 400) {
      throw storageError(response, what);
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA,
          response.status(),
          "Supabase "
              + what
              + " returned a body that is not JSON: "
              + abbreviate(response.bodyText()),
          e);
    }
  }

  private static StorageError storageError(RetryingHttpClient.Response response, String what) {
    String statusCode = String.valueOf(response.status());
    String code = "";
    String message = abbreviate(response.bodyText());
    try {
      JsonNode error = MAPPER.readTree(response.body());
      statusCode = error.path("statusCode").asText(statusCode);
      code = error.path("code").asText(error.path("error").asText(""));
      message = error.path("message").asText(message);
    } catch (IOException notJson) {
      // keep the raw text as the message
    }
    String advice =
        "400".equals(statusCode) && code.contains("JWT")
            ? " Check SUPABASE_SERVICE_KEY: it must be the project's service_role key and not expired."
            : "403".equals(statusCode)
                ? " The key may lack access to this bucket: use the service_role key."
                : "";
    return new StorageError(
        statusCode,
        code,
        "Supabase Storage refused to "
            + what
            + ": "
            + statusCode
            + " "
            + code
            + " "
            + message
            + "."
            + advice);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String key) {
    StringBuilder path = new StringBuilder();
    for (String segment : key.split("/", -1)) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append(encode(segment));
    }
    return path.toString();
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}

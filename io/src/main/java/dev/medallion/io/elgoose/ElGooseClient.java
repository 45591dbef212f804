package dev.medallion.io.elgoose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.files.Checksums;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fetches one request and checks the envelope {@code {"error": flag, "error_message": text, "data":
 * [rows]}}. The flag is a boolean in live responses and a number in older docs: {@code true}, a
 * non-zero number or a non-empty string other than "0"/"false" is an error, and so is a {@code
 * data} that is not an array. Either is an {@link HttpFailure} of type DATA, never an empty result.
 * A 404 on a filter path ({@code /setlists/showdate/DAY.json}) means there was no show that day.
 */
public final class ElGooseClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What a request gave: the rows kept, and the rows refused. */
  public record Page(List<ElGooseRecord> records, List<ElGooseFailure> refusedRows) {}

  private final String baseUrl;
  private final RetryingHttpClient http;

  public ElGooseClient(String baseUrl, HttpClientConfiguration configuration) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.http = new RetryingHttpClient(configuration);
  }

  public Page fetch(ElGooseRequest request, Integer recordLimit) throws HttpFailure {
    URI uri = URI.create(baseUrl + request.getPath() + (request.getQuery().isEmpty() ? "" : "?" + request.getQuery()));
    RetryingHttpClient.Response response = http.get(uri, Map.of("Accept", "application/json"));
    long fetchedAt = System.currentTimeMillis();
    if (response.status() == 404 && request.isFilter()) {
      return new Page(List.of(), List.of());
    }
    if (response.status() != 200) {
      throw new HttpFailure(FailureType.DATA, response.status(),
          "GET " + request.describe() + " answered HTTP " + response.status() + snippet(response.bodyText()));
    }
    return parse(ElGooseEndpoint.fromMethod(request.getEndpoint()), request.describe(), response.body(), fetchedAt, recordLimit);
  }

  /** Checks the envelope and splits the rows; throws a DATA failure when the response is unusable. */
  public static Page parse(ElGooseEndpoint endpoint, String request, byte[] body, long fetchedAtMillis, Integer recordLimit)
      throws HttpFailure {
    JsonNode envelope;
    try {
      envelope = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpFailure(FailureType.DATA, 200, "GET " + request + " returned malformed JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new HttpFailure(FailureType.DATA, 200, "GET " + request + " returned an unreadable body: " + e.getMessage(), e);
    }
    if (envelope == null || !envelope.isObject()) {
      throw new HttpFailure(FailureType.DATA, 200, "GET " + request + " did not return a JSON object envelope"
          + snippet(new String(body, StandardCharsets.UTF_8)));
    }
    if (isError(envelope.get("error"))) {
      String message = envelope.path("error_message").asText("");
      throw new HttpFailure(FailureType.DATA, 200, "GET " + request + " returned an error envelope (error="
          + envelope.get("error") + ")" + (message.isEmpty() ? "" : ": " + message));
    }
    JsonNode data = envelope.get("data");
    if (data == null || !data.isArray()) {
      throw new HttpFailure(FailureType.DATA, 200, "GET " + request + " returned 'data' that is not an array: "
          + (data == null ? "missing" : data.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    List<ElGooseRecord> records = new ArrayList<>();
    List<ElGooseFailure> refused = new ArrayList<>();
    int index = 0;
    for (JsonNode row : data) {
      if (recordLimit != null && records.size() >= recordLimit) {
        break;
      }
      String raw = row.toString();
      String key = row.isObject() ? endpoint.naturalKey(row) : null;
      if (key == null) {
        refused.add(ElGooseFailure.create(endpoint.method(), request, FailureType.DATA.name(), 200,
            row.isObject() ? "row " + index + " lacks its natural key " + String.join(", ", endpoint.keyFields())
                : "row " + index + " is not a JSON object", raw, index));
      } else {
        records.add(ElGooseRecord.create(endpoint.method(), key, raw,
            Checksums.md5Hex(raw.getBytes(StandardCharsets.UTF_8)), request, fetchedAtMillis));
      }
      index++;
    }
    return new Page(records, refused);
  }

  /** true, a non-zero number, or a string other than "", "0" and "false". */
  static boolean isError(JsonNode flag) {
    if (flag == null || flag.isNull()) {
      return false;
    }
    if (flag.isBoolean()) {
      return flag.booleanValue();
    }
    if (flag.isNumber()) {
      return flag.doubleValue() != 0;
    }
    String text = flag.asText().strip();
    return !(text.isEmpty() || text.equals("0") || text.equalsIgnoreCase("false"));
  }

  private static String snippet(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.isEmpty() ? "" : ": " + (flat.length() > 200 ? flat.substring(0, 200) + "..." : flat);
  }
}

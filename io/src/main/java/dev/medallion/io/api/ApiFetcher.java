package dev.medallion.io.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.Checksums;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.TokenProvider;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Makes one request of a connector and turns the answer into records, refused rows and the requests
 * that follow; a plain class, so it is tested without Beam. A request that fails (after its
 * retries, or at once for a data error) throws; {@link #failed} turns that into quarantine records,
 * one per stream the failure leaves unread.
 */
public final class ApiFetcher {
  /** What one request gave. */
  public record Fetched(
      List<ApiRecord> records,
      List<QuarantinedRecord> refusedRows,
      @Nullable ApiRequest nextPage,
      List<ApiRequest> fanOut,
      long bytesRead,
      java.time.Duration waitBeforeNext,
      @Nullable String stopReason) {}

  private final ApiConnector connector;
  private final String baseUrl;
  private final RetryingHttpClient http;
  @Nullable private final TokenProvider tokens;
  private final dev.medallion.io.http.Sleeper sleeper;

  /** Opens the connector's token provider, which reads its secrets: call on the worker. */
  public ApiFetcher(ApiConnector connector, String baseUrl, HttpClientConfiguration configuration) {
    this(connector, baseUrl, configuration, null);
  }

  /**
   * As above, with no wait between attempts longer than {@code maxRetryWait} (null keeps the
   * connector's {@link dev.medallion.io.http.RetryPolicy#maxWait()}).
   */
  public ApiFetcher(
      ApiConnector connector,
      String baseUrl,
      HttpClientConfiguration configuration,
      @Nullable java.time.Duration maxRetryWait) {
    HttpClientConfiguration withPolicy =
        configuration.withRetryPolicy(
            maxRetryWait == null
                ? connector.retryPolicy()
                : connector.retryPolicy().withMaxWait(maxRetryWait));
    this.connector = connector;
    this.sleeper = configuration.sleeper();
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.tokens = connector.tokenProvider();
    if (tokens != null) {
      tokens.open(withPolicy);
      tokens.mask(""); // tells the process's redactor the secrets just read
    }
    this.http = new RetryingHttpClient(withPolicy, tokens);
  }

  public Fetched fetch(ApiRequest request) throws HttpFailure {
    URI uri = URI.create(baseUrl + request.describe());
    RetryingHttpClient.Response response = http.get(uri, connector.headers());
    long fetchedAt = System.currentTimeMillis();
    ApiPage page =
        response.status() / 100 == 2
            ? connector.readPage(request, response.body(), response.headers())
            : connector.readStatus(request, response.status(), response.bodyText());
    List<ApiRecord> records = new ArrayList<>();
    List<QuarantinedRecord> refused = new ArrayList<>();
    NaturalKey key = connector.naturalKey(request.getStream());
    Integer limit = page.recordLimit();
    int index = 0;
    for (JsonNode row : page.rows()) {
      if (limit != null && records.size() >= limit) {
        break;
      }
      String raw = row.toString();
      String value = row.isObject() ? key.valueIn(row) : null;
      String nul = value == null ? null : fieldHoldingNul(row, "");
      if (nul != null) {
        refused.add(
            QuarantinedRecord.of(
                Layer.BRONZE,
                ErrorClass.INVALID_VALUE,
                source(request),
                index,
                null,
                raw,
                "DATA: row "
                    + index
                    + " holds a NUL character (\\u0000) in "
                    + nul
                    + ", which PostgreSQL cannot store"));
      } else if (value == null) {
        String reason =
            row.isObject()
                ? "row " + index + " lacks its natural key " + key
                : "row " + index + " is not a JSON object";
        refused.add(
            QuarantinedRecord.of(
                Layer.BRONZE,
                ErrorClass.MALFORMED_RECORD,
                source(request),
                index,
                null,
                raw,
                "DATA: " + reason));
      } else {
        records.add(
            ApiRecord.create(
                request.getStream(),
                value,
                raw,
                Checksums.md5Hex(raw.getBytes(StandardCharsets.UTF_8)),
                request.describe(),
                fetchedAt));
      }
      index++;
    }
    return new Fetched(
        records,
        refused,
        page.nextPage(),
        page.fanOut(),
        response.body().length,
        page.waitBeforeNext(),
        page.stopReason());
  }

  /**
   * A failed request as quarantine records (layer bronze, error class request_failed, source
   * "STREAM REQUEST", record index -1), one per stream it leaves unread; no secret in the reason.
   */
  public List<QuarantinedRecord> failed(ApiRequest request, HttpFailure failure) {
    List<QuarantinedRecord> failures = new ArrayList<>();
    for (Map.Entry<String, String> stream :
        connector.failedStreams(request, failure.getMessage()).entrySet()) {
      failures.add(
          QuarantinedRecord.of(
              Layer.BRONZE,
              ErrorClass.REQUEST_FAILED,
              stream.getKey() + " " + request.describe(),
              QuarantinedRecord.WHOLE_SOURCE,
              null,
              null,
              mask(failure.type().name() + ": " + stream.getValue())));
    }
    return failures;
  }

  /**
   * The path of the first field whose name or text holds U+0000 ("name", "tags[2]"), or null:
   * bronze's jsonb refuses it, and dropping the character would change the row unseen.
   */
  @Nullable
  static String fieldHoldingNul(JsonNode node, String path) {
    if (node.isTextual()) {
      return node.textValue().indexOf('\u0000') >= 0 ? (path.isEmpty() ? "the row" : path) : null;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = fieldHoldingNul(node.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (field.getKey().indexOf('\u0000') >= 0) {
        return "a field name";
      }
      String found = fieldHoldingNul(field.getValue(), name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A failed request as its outcome, to be owed until it succeeds; no secret in the reason. */
  public RequestOutcome outcome(ApiRequest request, HttpFailure failure) {
    return RequestOutcome.failed(
        request, failure.type().name(), mask(failure.type().name() + ": " + failure.getMessage()));
  }

  /** Waits as a page asked, through the configuration's sleeper (tests inject one). */
  public void waitBeforeNext(java.time.Duration wait) throws InterruptedException {
    if (!wait.isZero()) {
      sleeper.sleep(wait);
    }
  }

  /** Text with every secret the token provider holds replaced by "****". */
  String mask(String text) {
    return tokens == null ? text : tokens.mask(text);
  }

  /** "STREAM REQUEST", the quarantine's source of a request's failures and rows. */
  static String source(ApiRequest request) {
    return request.getStream() + " " + request.describe();
  }
}

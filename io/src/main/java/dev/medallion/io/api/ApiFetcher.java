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
      long bytesRead) {}

  private final ApiConnector connector;
  private final String baseUrl;
  private final RetryingHttpClient http;
  @Nullable private final TokenProvider tokens;

  /** Opens the connector's token provider, which reads its secrets: call on the worker. */
  public ApiFetcher(ApiConnector connector, String baseUrl, HttpClientConfiguration configuration) {
    HttpClientConfiguration withPolicy = configuration.withRetryPolicy(connector.retryPolicy());
    this.connector = connector;
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.tokens = connector.tokenProvider();
    if (tokens != null) {
      tokens.open(withPolicy);
    }
    this.http = new RetryingHttpClient(withPolicy, tokens);
  }

  public Fetched fetch(ApiRequest request) throws HttpFailure {
    URI uri = URI.create(baseUrl + request.describe());
    RetryingHttpClient.Response response = http.get(uri, connector.headers());
    long fetchedAt = System.currentTimeMillis();
    ApiPage page =
        response.status() / 100 == 2
            ? connector.readPage(request, response.body())
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
      if (value == null) {
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
    return new Fetched(records, refused, page.nextPage(), page.fanOut(), response.body().length);
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

  /** Text with every secret the token provider holds replaced by "****". */
  String mask(String text) {
    return tokens == null ? text : tokens.mask(text);
  }

  /** "STREAM REQUEST", the quarantine's source of a request's failures and rows. */
  static String source(ApiRequest request) {
    return request.getStream() + " " + request.describe();
  }
}

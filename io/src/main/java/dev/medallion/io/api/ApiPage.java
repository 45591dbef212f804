package dev.medallion.io.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * What a connector read out of one response: the rows of the request's stream, at most how many of
 * them to keep, and the requests that follow. {@link #thenFetch} is the next page or cursor,
 * fetched after this one on the same worker (pages are sequential); {@link #alsoFetch} are
 * independent requests (one per show date, per project) that the source spreads over the workers.
 */
public final class ApiPage {
  private final List<JsonNode> rows;
  @Nullable private final Integer recordLimit;
  @Nullable private final ApiRequest nextPage;
  private final List<ApiRequest> fanOut;

  private ApiPage(
      List<JsonNode> rows,
      @Nullable Integer recordLimit,
      @Nullable ApiRequest nextPage,
      List<ApiRequest> fanOut) {
    this.rows = List.copyOf(rows);
    this.recordLimit = recordLimit;
    this.nextPage = nextPage;
    this.fanOut = List.copyOf(fanOut);
  }

  /**
   * The rows of the request's stream; each must be a JSON object carrying the stream's natural key.
   */
  public static ApiPage of(List<JsonNode> rows) {
    return new ApiPage(rows, null, null, List.of());
  }

  /** No rows (a date without a show, a page past the end). */
  public static ApiPage empty() {
    return of(List.of());
  }

  /** Keeps at most this many records (refused rows do not count); null keeps all. */
  public ApiPage limitedTo(@Nullable Integer maxRecords) {
    return new ApiPage(rows, maxRecords, nextPage, fanOut);
  }

  /** The next page or cursor, fetched after this one. */
  public ApiPage thenFetch(ApiRequest next) {
    return new ApiPage(rows, recordLimit, next, fanOut);
  }

  /** Independent requests this response leads to. */
  public ApiPage alsoFetch(List<ApiRequest> requests) {
    List<ApiRequest> all = new ArrayList<>(fanOut);
    all.addAll(requests);
    return new ApiPage(rows, recordLimit, nextPage, all);
  }

  public List<JsonNode> rows() {
    return rows;
  }

  @Nullable
  public Integer recordLimit() {
    return recordLimit;
  }

  @Nullable
  public ApiRequest nextPage() {
    return nextPage;
  }

  public List<ApiRequest> fanOut() {
    return fanOut;
  }
}

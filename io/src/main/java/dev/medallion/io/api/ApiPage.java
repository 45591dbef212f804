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
  private final java.time.Duration waitBeforeNext;
  @Nullable private final String stopReason;

  private ApiPage(
      List<JsonNode> rows,
      @Nullable Integer recordLimit,
      @Nullable ApiRequest nextPage,
      List<ApiRequest> fanOut) {
    this(rows, recordLimit, nextPage, fanOut, java.time.Duration.ZERO, null);
  }

  private ApiPage(
      List<JsonNode> rows,
      @Nullable Integer recordLimit,
      @Nullable ApiRequest nextPage,
      List<ApiRequest> fanOut,
      java.time.Duration waitBeforeNext,
      @Nullable String stopReason) {
    this.rows = List.copyOf(rows);
    this.recordLimit = recordLimit;
    this.nextPage = nextPage;
    this.fanOut = List.copyOf(fanOut);
    this.waitBeforeNext = waitBeforeNext;
    this.stopReason = stopReason;
  }

  /**
   * Waits this long before the next page (an API's quota window that resets soon); the source waits
   * through the HTTP configuration's sleeper.
   */
  public ApiPage waitingBeforeNext(java.time.Duration wait) {
    if (wait == null || wait.isNegative()) {
      throw new IllegalArgumentException("waitingBeforeNext() needs a wait of zero or more");
    }
    return new ApiPage(rows, recordLimit, nextPage, fanOut, wait, stopReason);
  }

  /**
   * Keeps this page's rows but does not fetch the next page in this run (a spent quota that resets
   * too late): the next page is recorded as owed with {@code reason}, so the next run resumes
   * there, and nothing is quarantined: the stream stopped cleanly.
   */
  public ApiPage stoppingBeforeNext(String reason) {
    if (nextPage == null || reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "stoppingBeforeNext() needs a next page (thenFetch) and a reason");
    }
    return new ApiPage(rows, recordLimit, nextPage, fanOut, waitBeforeNext, reason);
  }

  public java.time.Duration waitBeforeNext() {
    return waitBeforeNext;
  }

  /** Why the next page is left for the next run, or null when it is fetched now. */
  @Nullable
  public String stopReason() {
    return stopReason;
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
    return new ApiPage(rows, maxRecords, nextPage, fanOut, waitBeforeNext, stopReason);
  }

  /** The next page or cursor, fetched after this one. */
  public ApiPage thenFetch(ApiRequest next) {
    return new ApiPage(rows, recordLimit, next, fanOut, waitBeforeNext, stopReason);
  }

  /** Independent requests this response leads to. */
  public ApiPage alsoFetch(List<ApiRequest> requests) {
    List<ApiRequest> all = new ArrayList<>(fanOut);
    all.addAll(requests);
    return new ApiPage(rows, recordLimit, nextPage, all, waitBeforeNext, stopReason);
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

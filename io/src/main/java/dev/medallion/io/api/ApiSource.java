package dev.medallion.io.api;

import dev.medallion.core.Counted;
import dev.medallion.core.LayerMetrics;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.beam.Flattened;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.ops.Layer;
import dev.medallion.ops.OwedRequests;
import dev.medallion.ops.Redactor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Any {@link ApiConnector} as a bronze source:
 *
 * <pre>
 * connector.requests() -> spread -> fetch (pages followed in order) -> RECORDS
 *                                      | fan-out requests -> spread -> fetch -> RECORDS
 *                                      | failed requests, refused rows        -> FAILURES
 * </pre>
 *
 * <pre>{@code
 * PCollectionTuple fetched = pipeline.apply(ApiSource.of(ElGooseConnector.create()).withHttpClientConfiguration(http));
 * fetched.get(ApiSource.RECORDS).apply(WriteApiBronze.into(target, "bronze.band_raw"));
 * fetched.get(ApiSource.FAILURES).apply(WriteQuarantine.of(target, "band", runId));
 * }</pre>
 *
 * <p>A request that fails after its retries is one quarantine record per stream it leaves unread
 * (error class request_failed, source "STREAM REQUEST", record index -1); a row without its natural
 * key is one record of class malformed_record. Neither stops the other requests. Counts: each
 * record in {@link LayerMetrics#streamRows}, every request in {@link RunMetric#REQUESTS} and each
 * failed one in {@link RunMetric#REQUESTS_FAILED}, response bytes in {@link
 * LayerMetrics#bytesRead}, and bronze in, out and quarantined.
 *
 * <p>Every request's outcome goes to {@link #OUTCOMES}, for {@link RecordOwedRequests} to keep the
 * failed ones owed; {@link #retrying} plans the requests earlier runs still owe, so none is lost to
 * a watermark that moved on. No wait between attempts exceeds the connector's retry policy's cap,
 * or {@link #withMaxRetryWait}.
 */
public final class ApiSource extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<ApiRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};
  public static final TupleTag<RequestOutcome> OUTCOMES = new TupleTag<>() {};
  static final TupleTag<ApiRequest> FAN_OUT = new TupleTag<>() {};

  private final ApiConnector connector;
  private final String baseUrl;
  private final HttpClientConfiguration http;

  /** Read at construction only: ApiRequest is a schema value, not Serializable. */
  private final transient List<ApiRequest> owed;

  /** The owed requests' keys ({@link #key}), for the workers to skip them among follow-ups. */
  private final HashSet<String> owedKeys = new HashSet<>();

  @Nullable private final Duration maxRetryWait;

  private ApiSource(
      ApiConnector connector,
      String baseUrl,
      HttpClientConfiguration http,
      List<ApiRequest> owed,
      @Nullable Duration maxRetryWait) {
    this.connector = connector;
    this.baseUrl = baseUrl;
    this.http = http;
    this.owed = List.copyOf(owed);
    this.maxRetryWait = maxRetryWait;
    owed.forEach(r -> owedKeys.add(key(r)));
  }

  /** A request's stream and path with query: what makes two requests the same request. */
  private static String key(ApiRequest request) {
    return request.getStream() + " " + request.describe();
  }

  /** The connector's API at its real base URL, with the default HTTP configuration. */
  public static ApiSource of(ApiConnector connector) {
    if (connector == null) {
      throw new IllegalArgumentException("of() needs a connector");
    }
    return new ApiSource(
        connector, connector.defaultBaseUrl(), HttpClientConfiguration.create(), List.of(), null);
  }

  /** Another host for the same API: a replay server, a sister site. */
  public ApiSource withBaseUrl(String url) {
    return new ApiSource(
        connector, checkedBaseUrl(url, connector.defaultBaseUrl()), http, owed, maxRetryWait);
  }

  public ApiSource withHttpClientConfiguration(HttpClientConfiguration configuration) {
    if (configuration == null) {
      throw new IllegalArgumentException("withHttpClientConfiguration() needs a configuration");
    }
    return new ApiSource(connector, baseUrl, configuration, owed, maxRetryWait);
  }

  /**
   * Also asks for these requests, which earlier runs failed ({@link
   * dev.medallion.ops.OwedRequests}); a follow-up request equal to one of them is not asked twice.
   */
  public ApiSource retrying(List<ApiRequest> owedRequests) {
    if (owedRequests == null) {
      throw new IllegalArgumentException("retrying() needs a list of requests, possibly empty");
    }
    return new ApiSource(connector, baseUrl, http, owedRequests, maxRetryWait);
  }

  /**
   * No wait between attempts longer than this (a Retry-After beyond it fails the request as rate
   * limited for this run), instead of the connector's cap.
   */
  public ApiSource withMaxRetryWait(Duration wait) {
    connector.retryPolicy().withMaxWait(wait); // checks the value
    return new ApiSource(connector, baseUrl, http, owed, wait);
  }

  public ApiConnector connector() {
    return connector;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The URL without trailing slashes; throws naming withBaseUrl() when it is not http(s). */
  static String checkedBaseUrl(@Nullable String url, String example) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "withBaseUrl() needs an http(s) URL such as " + example + ", got " + url);
    }
    URI.create(url);
    Redactor.process().registerUrl(url);
    return url.replaceAll("/+$", "");
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    List<ApiRequest> planned = new ArrayList<>(connector.requests());
    if (planned.isEmpty()) {
      throw new IllegalStateException(
          connector.getClass().getSimpleName() + ".requests() planned no request");
    }
    for (ApiRequest request : owed) {
      if (planned.stream().noneMatch(p -> key(p).equals(key(request)))) {
        planned.add(request);
      }
    }
    PCollectionTuple first =
        input
            .apply("PlanRequests", Create.of(planned).withType(TypeDescriptor.of(ApiRequest.class)))
            .apply("SpreadRequests", Reshuffle.viaRandomKey())
            .apply(
                "FetchRequests",
                ParDo.of(new FetchFn(this, true))
                    .withOutputTags(RECORDS, TupleTagList.of(FAILURES).and(FAN_OUT).and(OUTCOMES)));
    PCollectionTuple followUps =
        first
            .get(FAN_OUT)
            .apply("SpreadFollowUps", Reshuffle.viaRandomKey())
            .apply(
                "FetchFollowUps",
                ParDo.of(new FetchFn(this, false))
                    .withOutputTags(RECORDS, TupleTagList.of(FAILURES).and(FAN_OUT).and(OUTCOMES)));
    PCollection<ApiRecord> records =
        Flattened.of("AllRecords", List.of(first.get(RECORDS), followUps.get(RECORDS)))
            .apply("CountBronzeIn", Counted.in(Layer.BRONZE))
            .apply("CountBronzeOut", Counted.out(Layer.BRONZE));
    PCollection<QuarantinedRecord> failures =
        Flattened.of("AllFailures", List.of(first.get(FAILURES), followUps.get(FAILURES)))
            .apply("CountFailuresIn", Counted.in(Layer.BRONZE))
            .apply("CountBronzeQuarantined", Counted.quarantined(Layer.BRONZE));
    PCollection<RequestOutcome> outcomes =
        Flattened.of("AllOutcomes", List.of(first.get(OUTCOMES), followUps.get(OUTCOMES)));
    return PCollectionTuple.of(RECORDS, records).and(FAILURES, failures).and(OUTCOMES, outcomes);
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiSource.class);

  /**
   * Fetches a request and the pages after it; fan-out requests go to FAN_OUT for the next round
   * (spread), or, in the last round, are fetched here too.
   */
  static final class FetchFn extends DoFn<ApiRequest, ApiRecord> {
    private static final long serialVersionUID = 1L;
    private final ApiSource spec;
    private final boolean spreadFanOut;
    private transient ApiFetcher fetcher;

    FetchFn(ApiSource spec, boolean spreadFanOut) {
      this.spec = spec;
      this.spreadFanOut = spreadFanOut;
    }

    /** Secrets are read here, on the worker, from the environment. */
    @Setup
    public void setup() {
      fetcher = new ApiFetcher(spec.connector, spec.baseUrl, spec.http, spec.maxRetryWait);
    }

    private void waitBeforeNext(ApiFetcher.Fetched fetched) {
      try {
        fetcher.waitBeforeNext(fetched.waitBeforeNext());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a quota window", e);
      }
    }

    @ProcessElement
    public void process(@Element ApiRequest first, MultiOutputReceiver out) {
      Deque<ApiRequest> queue = new ArrayDeque<>();
      queue.add(first);
      while (!queue.isEmpty()) {
        ApiRequest request = queue.poll();
        RunMetric.REQUESTS.counter().inc();
        try {
          ApiFetcher.Fetched fetched = fetcher.fetch(request);
          LayerMetrics.bytesRead(Layer.BRONZE).inc(fetched.bytesRead());
          for (ApiRecord record : fetched.records()) {
            LayerMetrics.streamRows(record.getStream()).inc();
            out.get(RECORDS).output(record);
          }
          fetched.refusedRows().forEach(out.get(FAILURES)::output);
          out.get(OUTCOMES).output(RequestOutcome.succeeded(request));
          if (fetched.nextPage() != null && fetched.stopReason() != null) {
            // Stopped cleanly: the next page is owed (the next run resumes there), not failed.
            LOG.info("{}: {}", key(fetched.nextPage()), fetched.stopReason());
            out.get(OUTCOMES)
                .output(
                    RequestOutcome.failed(
                        fetched.nextPage(), OwedRequests.DEFERRED, fetched.stopReason()));
          } else if (fetched.nextPage() != null
              && !spec.owedKeys.contains(key(fetched.nextPage()))) {
            // (An owed next page was planned at the start and follows its own pages.)
            waitBeforeNext(fetched);
            queue.add(fetched.nextPage());
          }
          // An owed request was planned at the start: asking it again here would ask twice.
          List<ApiRequest> fanOut =
              fetched.fanOut().stream().filter(r -> !spec.owedKeys.contains(key(r))).toList();
          if (spreadFanOut) {
            fanOut.forEach(out.get(FAN_OUT)::output);
          } else {
            queue.addAll(fanOut);
          }
        } catch (HttpFailure e) {
          RunMetric.REQUESTS_FAILED.counter().inc();
          fetcher.failed(request, e).forEach(out.get(FAILURES)::output);
          out.get(OUTCOMES).output(fetcher.outcome(request, e));
        }
      }
    }
  }
}

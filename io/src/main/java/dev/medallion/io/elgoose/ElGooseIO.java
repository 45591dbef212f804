package dev.medallion.io.elgoose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.medallion.io.beam.Flattened;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
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

/**
 * The ElGoose API v2 (Songfish engine; no auth, no paging) as a Beam source.
 *
 * <pre>{@code
 * PCollectionTuple fetched = pipeline.apply(ElGooseIO.read()
 *     .withEndpoints(List.of(ElGooseEndpoint.SETLISTS, ElGooseEndpoint.SHOWS))
 *     .withSetlistsAfter(LocalDate.parse("2024-06-08"))   // incremental; leave out for everything
 *     .withRecordLimit(100));                             // optional, off by default
 * PCollection<ElGooseRecord> rows = fetched.get(ElGooseIO.RECORDS);
 * PCollection<ElGooseFailure> failures = fetched.get(ElGooseIO.FAILURES);
 * }</pre>
 *
 * <p>Setlists are read one show date at a time ({@code /setlists/showdate/DAY.json}); the dates come
 * from the shows list: every show, or (with {@link Read#withSetlistsAfter}) the newest shows by
 * {@code order_by=showdate&direction=desc&limit=N}, falling back to every show when all N are new.
 * Other endpoints are read whole ({@code /{method}.json}). A failing request is a failure of its
 * endpoint and never an empty result; the other requests carry on.
 */
public final class ElGooseIO {
  public static final String DEFAULT_BASE_URL = "https://elgoose.net/api/v2";
  public static final TupleTag<ElGooseRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<ElGooseFailure> FAILURES = new TupleTag<>() {};
  static final TupleTag<ElGooseRequest> SETLIST_REQUESTS = new TupleTag<>() {};

  private ElGooseIO() {}

  public static Read read() {
    return new AutoValue_ElGooseIO_Read.Builder()
        .setBaseUrl(DEFAULT_BASE_URL)
        .setEndpoints(List.of(ElGooseEndpoint.values()))
        .setHttp(HttpClientConfiguration.create())
        .setNewestShows(5)
        .build();
  }

  /** Reads the chosen endpoints once; see {@link ElGooseIO}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, PCollectionTuple> {
    private static final long serialVersionUID = 1L;

    abstract String baseUrl();

    abstract List<ElGooseEndpoint> endpoints();

    @Nullable
    abstract Integer recordLimit();

    abstract HttpClientConfiguration http();

    /** Only setlists of shows after this day (ISO date), or null for all. */
    @Nullable
    abstract String setlistsAfter();

    abstract int newestShows();

    abstract Builder toBuilder();

    public Read withBaseUrl(String baseUrl) {
      if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
        throw new IllegalArgumentException("withBaseUrl() needs an http(s) URL such as " + DEFAULT_BASE_URL + ", got " + baseUrl);
      }
      URI.create(baseUrl);
      return toBuilder().setBaseUrl(baseUrl.replaceAll("/+$", "")).build();
    }

    public Read withEndpoints(List<ElGooseEndpoint> endpoints) {
      if (endpoints == null || endpoints.isEmpty()) {
        throw new IllegalArgumentException("withEndpoints() needs at least one of " + ElGooseEndpoint.allMethods());
      }
      return toBuilder().setEndpoints(List.copyOf(endpoints)).build();
    }

    /** At most this many rows per request ({@code limit=N}); null (the default) for no limit. */
    public Read withRecordLimit(@Nullable Integer recordLimit) {
      if (recordLimit != null && recordLimit < 1) {
        throw new IllegalArgumentException("withRecordLimit() needs a positive number or null, got " + recordLimit);
      }
      return toBuilder().setRecordLimit(recordLimit).build();
    }

    public Read withHttpClientConfiguration(HttpClientConfiguration http) {
      if (http == null) {
        throw new IllegalArgumentException("withHttpClientConfiguration() needs a configuration");
      }
      return toBuilder().setHttp(http).build();
    }

    /** Incremental reads: only setlists of shows dated after {@code day}; null reads every setlist. */
    public Read withSetlistsAfter(@Nullable LocalDate day) {
      return toBuilder().setSetlistsAfter(day == null ? null : day.toString()).build();
    }

    /** How many of the newest shows an incremental read asks for first (default 5). */
    public Read withNewestShows(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("withNewestShows() needs a positive number, got " + count);
      }
      return toBuilder().setNewestShows(count).build();
    }

    /** The requests that need no show list, in endpoint order. */
    List<ElGooseRequest> wholeTableRequests() {
      List<ElGooseRequest> requests = new ArrayList<>();
      for (ElGooseEndpoint endpoint : endpoints()) {
        if (endpoint != ElGooseEndpoint.SETLISTS && endpoint != ElGooseEndpoint.SHOWS) {
          requests.add(ElGooseRequest.allRows(endpoint, recordLimit()));
        }
      }
      return requests;
    }

    boolean needsShowList() {
      return endpoints().contains(ElGooseEndpoint.SHOWS) || endpoints().contains(ElGooseEndpoint.SETLISTS);
    }

    @Override
    public PCollectionTuple expand(PBegin input) {
      List<PCollection<ElGooseRequest>> requests = new ArrayList<>();
      List<PCollection<ElGooseRecord>> records = new ArrayList<>();
      List<PCollection<ElGooseFailure>> failures = new ArrayList<>();
      List<ElGooseRequest> wholeTables = wholeTableRequests();
      if (!wholeTables.isEmpty()) {
        requests.add(input.apply("PlanWholeTableRequests", Create.of(wholeTables)));
      }
      if (needsShowList()) {
        PCollectionTuple listed = input
            .apply("StartShowList", Create.of(setlistsAfter() == null ? "all" : setlistsAfter()))
            .apply("ListShows", ParDo.of(new ListShowsFn(this))
                .withOutputTags(RECORDS, TupleTagList.of(FAILURES).and(SETLIST_REQUESTS)));
        records.add(listed.get(RECORDS));
        failures.add(listed.get(FAILURES));
        requests.add(listed.get(SETLIST_REQUESTS));
      }
      PCollectionTuple fetched = Flattened.of("AllRequests", requests)
          .apply("SpreadRequests", Reshuffle.viaRandomKey())
          .apply("FetchRequests", ParDo.of(new FetchFn(this)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
      records.add(fetched.get(RECORDS));
      failures.add(fetched.get(FAILURES));
      return PCollectionTuple
          .of(RECORDS, Flattened.of("AllRecords", records))
          .and(FAILURES, Flattened.of("AllFailures", failures));
    }

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setBaseUrl(String value);

      abstract Builder setEndpoints(List<ElGooseEndpoint> value);

      abstract Builder setRecordLimit(Integer value);

      abstract Builder setHttp(HttpClientConfiguration value);

      abstract Builder setSetlistsAfter(String value);

      abstract Builder setNewestShows(int value);

      abstract Read build();
    }
  }

  /**
   * Emits a failure. A failed request counts against its endpoint ({@code elgoose_failed_endpoints/<endpoint>}:
   * the run failed for it); a refused row is only quarantined ({@code elgoose_refused_rows/<endpoint>}).
   */
  static void fail(MultiOutput out, ElGooseFailure failure) {
    Metrics.counter(failure.getRowIndex() < 0 ? "elgoose_failed_endpoints" : "elgoose_refused_rows", failure.getEndpoint()).inc();
    out.failure(failure);
  }

  /** Where a DoFn sends records and failures. */
  interface MultiOutput {
    void record(ElGooseRecord record);

    void failure(ElGooseFailure failure);
  }

  static MultiOutput outputs(DoFn.MultiOutputReceiver out) {
    return new MultiOutput() {
      @Override
      public void record(ElGooseRecord record) {
        out.get(RECORDS).output(record);
      }

      @Override
      public void failure(ElGooseFailure failure) {
        out.get(FAILURES).output(failure);
      }
    };
  }

  /** Fetches one request; rows to RECORDS, an unusable response or row to FAILURES. */
  static final class FetchFn extends DoFn<ElGooseRequest, ElGooseRecord> {
    private static final long serialVersionUID = 1L;
    private final Read spec;
    private final Counter rows = Metrics.counter("elgoose", "rows_fetched");
    private transient ElGooseClient client;

    FetchFn(Read spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      client = new ElGooseClient(spec.baseUrl(), spec.http());
    }

    @ProcessElement
    public void process(@Element ElGooseRequest request, MultiOutputReceiver receiver) {
      MultiOutput out = outputs(receiver);
      try {
        ElGooseClient.Page page = client.fetch(request, spec.recordLimit());
        page.records().forEach(out::record);
        page.refusedRows().forEach(f -> fail(out, f));
        rows.inc(page.records().size());
      } catch (HttpFailure e) {
        fail(out, ElGooseFailure.create(request.getEndpoint(), request.describe(), e.type().name(), e.status(),
            e.getMessage(), null, -1));
      }
    }
  }

  /**
   * Reads the shows list once: its rows are the shows endpoint's records (when chosen), and the
   * show dates it names become setlist requests (when setlists are chosen).
   */
  static final class ListShowsFn extends DoFn<String, ElGooseRecord> {
    private static final long serialVersionUID = 1L;
    private final Read spec;

    ListShowsFn(Read spec) {
      this.spec = spec;
    }

    /** Every show; with a record limit, the newest that many (a bare limit would give the oldest). */
    private ElGooseRequest everyShow() {
      return spec.recordLimit() == null ? ElGooseRequest.allRows(ElGooseEndpoint.SHOWS, null)
          : ElGooseRequest.newestShows(spec.recordLimit());
    }

    @ProcessElement
    public void process(MultiOutputReceiver receiver) throws IOException {
      MultiOutput out = outputs(receiver);
      ElGooseClient client = new ElGooseClient(spec.baseUrl(), spec.http());
      LocalDate after = spec.setlistsAfter() == null ? null : LocalDate.parse(spec.setlistsAfter());
      ElGooseRequest request = after == null ? everyShow() : ElGooseRequest.newestShows(spec.newestShows());
      List<ElGooseRecord> shows;
      try {
        shows = client.fetch(request, after == null ? spec.recordLimit() : null).records();
        if (after != null && shows.size() >= spec.newestShows() && ShowDates.allAfter(shows, after)) {
          request = everyShow();
          shows = client.fetch(request, null).records();
        }
      } catch (HttpFailure e) {
        String reason = e.getMessage();
        fail(out, ElGooseFailure.create(ElGooseEndpoint.SHOWS.method(), request.describe(), e.type().name(), e.status(), reason, null, -1));
        if (spec.endpoints().contains(ElGooseEndpoint.SETLISTS)) {
          fail(out, ElGooseFailure.create(ElGooseEndpoint.SETLISTS.method(), request.describe(), e.type().name(), e.status(),
              "no show dates to read setlists for: " + reason, null, -1));
        }
        return;
      }
      if (spec.endpoints().contains(ElGooseEndpoint.SHOWS)) {
        shows.forEach(out::record);
      }
      if (spec.endpoints().contains(ElGooseEndpoint.SETLISTS)) {
        for (LocalDate day : ShowDates.after(shows, after, spec.recordLimit())) {
          receiver.get(SETLIST_REQUESTS).output(ElGooseRequest.setlistOn(day));
        }
      }
    }
  }

  /** Show dates out of shows rows. */
  static final class ShowDates {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ShowDates() {}

    static boolean allAfter(List<ElGooseRecord> shows, LocalDate after) throws IOException {
      for (ElGooseRecord show : shows) {
        LocalDate day = day(show);
        if (day != null && !day.isAfter(after)) {
          return false;
        }
      }
      return true;
    }

    /** Distinct dates after {@code after} (all when null), oldest first, at most {@code limit}. */
    static List<LocalDate> after(List<ElGooseRecord> shows, @Nullable LocalDate after, @Nullable Integer limit) throws IOException {
      TreeSet<LocalDate> days = new TreeSet<>();
      for (ElGooseRecord show : shows) {
        LocalDate day = day(show);
        if (day != null && (after == null || day.isAfter(after))) {
          days.add(day);
        }
      }
      List<LocalDate> list = new ArrayList<>(days);
      return limit == null || list.size() <= limit ? list : list.subList(list.size() - limit, list.size());
    }

    @Nullable
    static LocalDate day(ElGooseRecord show) throws IOException {
      JsonNode date = MAPPER.readTree(show.getRawJson()).get("showdate");
      try {
        return date == null || date.isNull() ? null : LocalDate.parse(date.asText().strip());
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }
}

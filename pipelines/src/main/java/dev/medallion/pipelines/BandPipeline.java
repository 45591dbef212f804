package dev.medallion.pipelines;

import dev.medallion.core.Counted;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.api.RecordOwedRequests;
import dev.medallion.io.beam.Flattened;
import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.PlainHttp;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.band.BandBronzeRow;
import dev.medallion.transforms.band.BandGoldTable;
import dev.medallion.transforms.band.BandTables;
import dev.medallion.transforms.band.ComputeBandGold;
import dev.medallion.transforms.band.ParseBandRecords;
import dev.medallion.transforms.band.SilverTable;
import dev.medallion.transforms.band.UpsertBandRows;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The band pipeline (src/docs/seeds/band-elgoose-orchestration.md):
 *
 * <pre>
 * ApiSource(ElGooseConnector: setlists per new show date, other endpoints whole) -> bronze.band_raw (new versions only)
 *   bronze (pending, or all in full mode) -> ParseBandRecords -> silver.band_* -> bronze marked processed
 *   silver.band_setlist_entries -> ComputeBandGold -> gold.band_* (songs, shows, venues, years, tours)
 *   failing requests and rows that do not parse -> ops.quarantine (silver.band_quarantine is a view)
 * </pre>
 *
 * Each layer reads its input from the table the layer before it wrote, once that write has
 * finished, so any subset of layers can run on its own.
 */
public final class BandPipeline implements PipelineDefinition<BandOptions> {
  public static final String NAME = "band";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The ElGoose API (setlists, shows, songs, venues, jamcharts, ...) into bronze, silver and gold tables.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    List<String> silver = new ArrayList<>();
    for (SilverTable table : SilverTable.values()) {
      silver.add(table.tableName());
    }
    List<String> gold = new ArrayList<>();
    for (BandGoldTable table : BandGoldTable.values()) {
      gold.add(table.spec().name());
    }
    return List.of(
        LayerTables.of(Layer.BRONZE, BandTables.BRONZE),
        new LayerTables(Layer.SILVER, silver),
        new LayerTables(Layer.GOLD, gold));
  }

  @Override
  public Class<BandOptions> optionsType() {
    return BandOptions.class;
  }

  @Override
  public String schedule() {
    return "bronze 02:00, silver 02:30, gold 03:00 UTC (.github/workflows/band-pipeline.yml)";
  }

  /** The seed's processing modes (--mode-name) choose the layers. */
  @Override
  public void normalize(BandOptions options) {
    if (options.getModeName() == null) {
      return;
    }
    if (options.getLayers() != null) {
      throw new IllegalArgumentException("Give either --layers or --mode-name, not both.");
    }
    options.setLayers(
        switch (options.getModeName().strip().toLowerCase(Locale.ROOT)) {
          case "bronze_only" -> "bronze";
          case "silver_only" -> "silver";
          case "gold_only" -> "gold";
          case "complete" -> "all";
          default ->
              throw new IllegalArgumentException(
                  "Unknown --mode-name '"
                      + options.getModeName()
                      + "': use bronze_only, silver_only, gold_only or complete");
        });
  }

  @Override
  public List<String> problems(BandOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    try {
      ElGooseEndpoint.parseList(options.getEndpoints());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + " (--endpoints)");
    }
    try {
      ApiSource.of(ElGooseConnector.create()).withBaseUrl(options.getElgooseBaseUrl());
      PlainHttp.check(
          options.getElgooseBaseUrl(), options.getAllowInsecureHttp(), "--allow-insecure-http");
    } catch (IllegalArgumentException e) {
      problems.add("--elgoose-base-url: " + e.getMessage());
    }
    if (options.getMaxRetryWaitSeconds() < 0 || options.getMaxRetryWaitSeconds() > 86_400) {
      problems.add(
          "--max-retry-wait-seconds must be from 0 to 86400 (a day), got "
              + options.getMaxRetryWaitSeconds());
    }
    if (options.getRecordLimit() != null && options.getRecordLimit() < 1) {
      problems.add("--record-limit must be a positive number, got " + options.getRecordLimit());
    }
    return problems;
  }

  /**
   * Incremental runs read the setlists of shows after the newest show date in silver, but never
   * past a day whose setlist request is still owed: the watermark stays the day before it.
   */
  @Override
  public void prepare(BandOptions options, RunContext context) {
    LocalDate watermark =
        !context.full() && context.runs(Layer.BRONZE)
            ? BandTables.newestSetlistDate(context.target())
            : null;
    for (ApiRequest owed : RecordOwedRequests.owed(context.target(), NAME, streams(options))) {
      LocalDate day = ElGooseConnector.setlistDay(owed);
      if (watermark != null && day != null && !day.isAfter(watermark)) {
        watermark = day.minusDays(1);
      }
    }
    options.setSetlistsAfter(watermark == null ? null : watermark.toString());
  }

  /**
   * ElGoose serves each show date's setlist on its own ({@code /setlists/showdate/D.json}), so a
   * business date is one run that reads the reference tables and the shows list whole and only that
   * day's setlist.
   */
  @Override
  public boolean supportsBusinessDate() {
    return true;
  }

  /**
   * A date's gold rows: its shows' rows in gold.band_show_summary. Most days have no show, and such
   * a day is complete once it ran (counted as one row), so {@code --only-missing} takes only the
   * days whose shows have no summary yet.
   */
  @Override
  public java.util.Optional<String> businessDateRowsQuery() {
    return java.util.Optional.of(
        "WITH d AS (SELECT CAST(? AS date) AS day) SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM"
            + " silver.band_shows s, d WHERE s.show_date = d.day) THEN 1 ELSE (SELECT count(*)"
            + " FROM gold.band_show_summary g, d WHERE g.show_date = d.day) END");
  }

  @Override
  public String describeSource(BandOptions options) {
    String after = options.getSetlistsAfter();
    String day = options.getBusinessDate();
    if (day != null && !day.isBlank()) {
      return redactedHost(options.getElgooseBaseUrl())
          + " ("
          + options.getEndpoints()
          + "), the setlist of "
          + day.strip();
    }
    return redactedHost(options.getElgooseBaseUrl())
        + " ("
        + options.getEndpoints()
        + "), "
        + (after == null ? "every show's setlist" : "setlists of shows after " + after);
  }

  @Override
  public String describePlan(BandOptions options) {
    return "endpoints "
        + options.getEndpoints()
        + ", source "
        + redactedHost(options.getElgooseBaseUrl())
        + (options.getRecordLimit() == null
            ? ""
            : ", at most " + options.getRecordLimit() + " rows per request");
  }

  @Override
  public List<String> streams(BandOptions options) {
    return ElGooseEndpoint.parseList(options.getEndpoints()).stream()
        .map(ElGooseEndpoint::method)
        .toList();
  }

  @Override
  public void build(Pipeline pipeline, BandOptions options, RunContext context) {
    Set<Layer> layers = context.layers();
    boolean full = context.full();
    String runId = context.runId();
    JdbcTarget target = context.target();
    HttpClientConfiguration http = context.http();
    List<PCollection<QuarantinedRecord>> failures = new ArrayList<>();
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    PCollection<BandBronzeRow> bronzeRead = null;

    if (layers.contains(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline
              .apply(
                  "LandElGoose",
                  ApiBronze.from(source(options, http))
                      .into(target, BandTables.BRONZE)
                      .forRun(NAME, runId)
                      .retryingOwed(streams(options)))
              .get(ApiBronze.WRITTEN));
    }

    if (layers.contains(Layer.SILVER)) {
      bronzeRead =
          pipeline.apply(
              "ReadBronzeForSilver", BandTables.readBronze(target, !full, bronzeWritten));
      PCollectionTuple parsed = bronzeRead.apply("ParseBandRecords", ParseBandRecords.fromBronze());
      failures.add(parsed.get(ParseBandRecords.FAILURES));
      PCollectionTuple silver =
          parsed
              .get(ParseBandRecords.ROWS)
              .apply("WriteSilver", UpsertBandRows.into(target, Layer.SILVER, SilverTable.specs()));
      silverWritten.add(silver.get(SinkRejects.WRITTEN));
      failures.add(silver.get(SinkRejects.REJECTED));
    }

    if (layers.contains(Layer.GOLD)) {
      PCollectionTuple gold =
          pipeline
              .apply("ReadSilverSetlists", BandTables.readSetlistEntries(target, silverWritten))
              .apply("CountGoldIn", Counted.in(Layer.GOLD))
              .apply("ComputeBandGold", ComputeBandGold.fromSetlistEntries())
              .apply("CountGoldOut", Counted.out(Layer.GOLD))
              .apply("WriteGold", UpsertBandRows.into(target, Layer.GOLD, BandGoldTable.specs()));
      failures.add(gold.get(SinkRejects.REJECTED));
    }

    if (failures.isEmpty()) {
      return;
    }
    PCollection<Void> quarantineWritten =
        Flattened.of("AllFailures", failures)
            .apply("WriteQuarantine", WriteQuarantine.of(target, NAME, runId));
    if (bronzeRead != null) {
      List<PCollection<?>> written = new ArrayList<>(silverWritten);
      written.add(quarantineWritten);
      bronzeRead
          .apply("AfterSilverAndQuarantine", Wait.on(written))
          .apply("MarkBronzeProcessed", BandTables.markProcessed(target));
    }
  }

  @Override
  public List<QuarantineEntry> requeue(
      Layer layer, List<QuarantineEntry> entries, BandOptions options, RunContext context) {
    return BandTables.requeue(context.target(), layer, entries);
  }

  /** The base URL without any user info, for the terminal. */
  private static String redactedHost(String baseUrl) {
    java.net.URI uri = java.net.URI.create(baseUrl);
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath();
  }

  /**
   * The ElGoose connector for these options, as a source (each record counted per endpoint,
   * failures quarantined).
   */
  static ApiSource source(BandOptions options, HttpClientConfiguration http) {
    ElGooseConnector connector =
        ElGooseConnector.create()
            .withEndpoints(ElGooseEndpoint.parseList(options.getEndpoints()))
            .withRecordLimit(options.getRecordLimit());
    boolean incremental = options.getMode() != Mode.FULL;
    String after = options.getSetlistsAfter();
    String day = options.getBusinessDate();
    if (day != null && !day.isBlank()) {
      connector = connector.withSetlistsOn(LocalDate.parse(day.strip()));
    } else if (incremental && after != null && !after.isBlank()) {
      connector = connector.withSetlistsAfter(LocalDate.parse(after));
    }
    return ApiSource.of(connector)
        .withBaseUrl(options.getElgooseBaseUrl())
        .withHttpClientConfiguration(http)
        .withMaxRetryWait(java.time.Duration.ofSeconds(options.getMaxRetryWaitSeconds()));
  }
}

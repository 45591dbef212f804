package dev.medallion.pipelines;

import dev.medallion.io.beam.Flattened;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import dev.medallion.io.elgoose.ElGooseFailure;
import dev.medallion.io.elgoose.ElGooseIO;
import dev.medallion.io.elgoose.ElGooseRecord;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.jdbc.JdbcTarget;
import dev.medallion.transforms.Counted;
import dev.medallion.transforms.band.BandBronzeRow;
import dev.medallion.transforms.band.BandGoldTable;
import dev.medallion.transforms.band.BandTables;
import dev.medallion.transforms.band.ComputeBandGold;
import dev.medallion.transforms.band.ParseBandRecords;
import dev.medallion.transforms.band.SilverTable;
import dev.medallion.transforms.band.UpsertBandRows;
import dev.medallion.transforms.quarantine.QuarantinedRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The band pipeline (band-elgoose-orchestration.md):
 *
 * <pre>
 * ElGooseIO (setlists per new show date, other endpoints whole) -> bronze.band_raw (new versions only)
 *   bronze (pending, or all in full mode) -> ParseBandRecords -> silver.band_* -> bronze marked processed
 *   silver.band_setlist_entries -> ComputeBandGold -> gold.band_* (songs, shows, venues, years, tours)
 *   failing requests and rows that do not parse -> silver.band_quarantine
 * </pre>
 *
 * Each layer reads its input from the table the layer before it wrote, once that write has finished,
 * so any subset of layers can run on its own.
 */
public final class BandPipeline {
  public static final Set<Layer> LAYERS = java.util.Collections.unmodifiableSet(EnumSet.of(Layer.BRONZE, Layer.SILVER, Layer.GOLD));

  private BandPipeline() {}

  /** Adds the band pipeline to {@code pipeline}; tests call this with a TestPipeline. */
  public static void build(Pipeline pipeline, BandOptions options, JdbcTarget target, HttpClientConfiguration http) {
    Set<Layer> layers = Layer.parse(options.getLayers(), LAYERS);
    boolean full = options.getMode() == Mode.FULL;
    String runId = options.getRunId() == null ? "unnamed" : options.getRunId();
    List<PCollection<QuarantinedRecord>> failures = new ArrayList<>();
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    PCollection<BandBronzeRow> bronzeRead = null;

    if (layers.contains(Layer.BRONZE)) {
      PCollectionTuple fetched = pipeline.apply("ReadElGoose", source(options, http));
      PCollection<ElGooseRecord> records = fetched.get(ElGooseIO.RECORDS)
          .apply("CountBronzeIn", Counted.as("bronze", "in"))
          .apply("CountBronzeOut", Counted.as("bronze", "out"))
          .apply("CountRowsPerEndpoint", ParDo.of(new CountPerEndpointFn()));
      PCollection<ElGooseFailure> fetchFailures = fetched.get(ElGooseIO.FAILURES)
          .apply("CountBronzeFailuresIn", Counted.as("bronze", "in"))
          .apply("CountBronzeQuarantined", Counted.as("bronze", "quarantined"));
      failures.add(fetchFailures.apply("FailuresToQuarantine",
          MapElements.into(TypeDescriptor.of(QuarantinedRecord.class)).via(BandPipeline::quarantined)));
      bronzeWritten.add(records.apply("WriteBronze", BandTables.writeBronze(target)));
    }

    if (layers.contains(Layer.SILVER)) {
      bronzeRead = pipeline.apply("ReadBronzeForSilver", BandTables.readBronze(target, !full, bronzeWritten));
      PCollectionTuple parsed = bronzeRead.apply("ParseBandRecords", ParseBandRecords.fromBronze());
      failures.add(parsed.get(ParseBandRecords.FAILURES));
      silverWritten.add(parsed.get(ParseBandRecords.ROWS).apply("WriteSilver", UpsertBandRows.into(target, SilverTable.specs())));
    }

    if (layers.contains(Layer.GOLD)) {
      pipeline
          .apply("ReadSilverSetlists", BandTables.readSetlistEntries(target, silverWritten))
          .apply("CountGoldIn", Counted.as("gold", "in"))
          .apply("ComputeBandGold", ComputeBandGold.fromSetlistEntries())
          .apply("CountGoldOut", Counted.as("gold", "out"))
          .apply("WriteGold", UpsertBandRows.into(target, BandGoldTable.specs()));
    }

    if (failures.isEmpty()) {
      return;
    }
    PCollection<Void> quarantineWritten = Flattened.of("AllFailures", failures)
        .apply("WriteQuarantine", BandTables.writeQuarantine(target, runId));
    if (bronzeRead != null) {
      List<PCollection<?>> written = new ArrayList<>(silverWritten);
      written.add(quarantineWritten);
      bronzeRead
          .apply("AfterSilverAndQuarantine", Wait.on(written))
          .apply("MarkBronzeProcessed", BandTables.markProcessed(target));
    }
  }

  static ElGooseIO.Read source(BandOptions options, HttpClientConfiguration http) {
    ElGooseIO.Read read = ElGooseIO.read()
        .withBaseUrl(options.getElgooseBaseUrl())
        .withEndpoints(ElGooseEndpoint.parseList(options.getEndpoints()))
        .withRecordLimit(options.getRecordLimit())
        .withHttpClientConfiguration(http);
    boolean incremental = options.getMode() != Mode.FULL;
    String after = options.getSetlistsAfter();
    return incremental && after != null && !after.isBlank() ? read.withSetlistsAfter(LocalDate.parse(after)) : read;
  }

  static QuarantinedRecord quarantined(ElGooseFailure failure) {
    return QuarantinedRecord.of("bronze", failure.getEndpoint() + " " + failure.getRequest(), failure.getRowIndex(),
        failure.getPayload(), failure.getFailureType() + ": " + failure.getReason(), null);
  }

  /** Counts rows per endpoint in the metric {@code bronze_rows/<endpoint>}. */
  static final class CountPerEndpointFn extends DoFn<ElGooseRecord, ElGooseRecord> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element ElGooseRecord record, OutputReceiver<ElGooseRecord> out) {
      Metrics.counter("bronze_rows", record.getEndpoint()).inc();
      out.output(record);
    }
  }
}

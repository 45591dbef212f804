package dev.medallion.platform.example;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medallion.core.Counted;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.core.table.TableSpec;
import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.jdbc.TableWrite;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.quality.QualityCheck;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.BronzeStatuses;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.ingest.BronzeFiles;
import dev.medallion.transforms.ingest.IngestFiles;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * An example file pipeline written from a definition alone (README "Adding a pipeline"): CSV
 * readings from a folder into bronze through the file skeleton, then checked into silver, where a
 * value above {@code --max-value} is set aside as implausible.
 *
 * <pre>
 * folder -> IngestFiles(BronzeFiles into bronze.readings_raw) -> bronze
 * bronze (pending) -> CheckReadingsFn -> silver.readings | quarantine (implausible, refused by silver)
 *   -> bronze rows marked
 * </pre>
 */
public final class ReadingsPipeline implements PipelineDefinition<ReadingsOptions> {
  static final String NAME = "readings";

  static final TableSpec<RawReading> RAW =
      TableSpec.<RawReading>named("bronze.readings_raw")
          .column("id", RawReading::getId)
          .column("file_path", RawReading::getFilePath)
          .column("record_index", RawReading::getRecordIndex)
          .jsonColumn("raw_data", RawReading::getRawJson)
          .column("checksum", RawReading::getChecksum)
          .generated("status")
          .key("id")
          .onConflict(OnConflict.KEEP_EXISTING)
          .build();

  static final TableSpec<KV<String, String>> RAW_STATUS =
      RAW.<KV<String, String>>derive()
          .column("id", KV::getKey)
          .column("status", KV::getValue)
          .key("id")
          .build();

  static final TableSpec<Reading> READINGS =
      TableSpec.<Reading>named("silver.readings")
          .column("reading_id", Reading::getReadingId)
          .column("device", Reading::getDevice)
          .column("value", Reading::getValue)
          .column("bronze_id", Reading::getBronzeId)
          .key("reading_id")
          .onConflict(OnConflict.UPDATE_CHANGED)
          .touching("updated_at")
          .build();

  static final BronzeFiles<RawReading> FILES =
      BronzeFiles.into(NAME, RAW, RawReading.class, RawReading::fromFile);

  static final TupleTag<Reading> CHECKED = new TupleTag<>() {};
  static final TupleTag<QuarantinedRecord> IMPLAUSIBLE = new TupleTag<>() {};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Example: device readings (CSV) from a folder into bronze and checked silver rows.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.FILES;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, RAW.name()), LayerTables.of(Layer.SILVER, READINGS.name()));
  }

  @Override
  public Class<ReadingsOptions> optionsType() {
    return ReadingsOptions.class;
  }

  @Override
  public String schedule() {
    return "on demand";
  }

  /** No silver reading above 100, whatever --max-value let through (the quality tests' check). */
  @Override
  public List<QualityCheck> qualityChecks() {
    return List.of(
        QualityCheck.none(
            "silver_plausible",
            Layer.SILVER,
            READINGS.name(),
            "SELECT COUNT(*) FROM " + READINGS + " WHERE value > 100"));
  }

  @Override
  public List<String> problems(ReadingsOptions options, boolean continuous) {
    return options.getMaxValue() == null || options.getMaxValue() < 0
        ? List.of("--max-value must be 0 or more")
        : List.of();
  }

  @Override
  public String describeSource(ReadingsOptions options) {
    return options.getSource();
  }

  @Override
  public void build(Pipeline pipeline, ReadingsOptions options, RunContext context) {
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline.apply(
              "IngestFiles",
              IngestFiles.from(
                  FileSystemLandingZone.at(options.getSource()),
                  FILES,
                  context.target(),
                  context.runId())));
    }
    if (context.runs(Layer.SILVER)) {
      PCollection<RawReading> pending =
          pipeline.apply(
              "ReadPendingBronze",
              JdbcSteps.readAfter(
                  "ReadBronze",
                  context.target(),
                  "SELECT " + RAW.selectList() + " FROM " + RAW + " WHERE status = 'pending'",
                  bronzeWritten,
                  rs ->
                      RawReading.create(
                          rs.getString("id"),
                          rs.getString("file_path"),
                          rs.getInt("record_index"),
                          rs.getString("raw_data"),
                          rs.getString("checksum")),
                  RawReading.class));
      PCollectionTuple checked =
          pending
              .apply("CountSilverIn", Counted.in(Layer.SILVER))
              .apply(
                  "CheckReadings",
                  ParDo.of(new CheckReadingsFn(options.getMaxValue()))
                      .withOutputTags(CHECKED, TupleTagList.of(IMPLAUSIBLE)));
      PCollectionTuple silver =
          checked
              .get(CHECKED)
              .apply("CountSilverOut", Counted.out(Layer.SILVER))
              .apply(
                  "WriteSilver",
                  TableWrite.upsert(context.target(), READINGS)
                      .withRejects(ReadingsPipeline::rejected));
      PCollection<QuarantinedRecord> setAside =
          PCollectionList.of(
                  checked
                      .get(IMPLAUSIBLE)
                      .apply("CountSilverQuarantined", Counted.quarantined(Layer.SILVER)))
              .and(silver.get(SinkRejects.REJECTED))
              .apply("SilverFailures", Flatten.pCollections());
      PCollection<Void> quarantineWritten =
          setAside.apply(
              "WriteQuarantine", WriteQuarantine.of(context.target(), NAME, context.runId()));
      PCollection<KV<String, String>> processed =
          checked
              .get(CHECKED)
              .apply(
                  "Processed",
                  MapElements.into(
                          TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                      .via(r -> KV.of(r.getBronzeId(), BronzeStatuses.PROCESSED)));
      PCollection<KV<String, String>> quarantined =
          setAside.apply(
              "Quarantined",
              MapElements.into(
                      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                  .via(q -> KV.of(q.getRecordKey(), BronzeStatuses.QUARANTINED)));
      PCollectionList.of(processed)
          .and(quarantined)
          .apply("BronzeStatuses", BronzeStatuses.quarantinedWins())
          .apply(
              "AfterSilverAndQuarantine",
              Wait.on(silver.get(SinkRejects.WRITTEN), quarantineWritten))
          .apply("MarkBronze", TableWrite.update(context.target(), RAW_STATUS));
    }
  }

  /** A reading silver refused, keyed by its bronze row so a replay can re-feed it. */
  static QuarantinedRecord rejected(Reading reading, String databaseMessage) {
    return QuarantinedRecord.of(
        Layer.SILVER,
        ErrorClass.REJECTED_BY_SINK,
        READINGS.name() + "/" + SinkRejects.shortKey(reading.getReadingId()),
        QuarantinedRecord.WHOLE_SOURCE,
        reading.getBronzeId(),
        reading.toString(),
        databaseMessage);
  }

  /** A replayed silver record waits in bronze: set it back to pending. */
  @Override
  public List<QuarantineEntry> requeue(
      Layer layer, List<QuarantineEntry> entries, ReadingsOptions options, RunContext context) {
    if (layer != Layer.SILVER) {
      return List.of();
    }
    try (Connection c = ConnectionPool.forTarget(context.target()).getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE " + RAW + " SET status = 'pending' WHERE id = ?")) {
      for (QuarantineEntry entry : entries) {
        ps.setString(1, entry.recordKey());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }

  /**
   * Types a raw reading; one above the limit, or one that does not parse, goes to the quarantine.
   */
  static final class CheckReadingsFn extends DoFn<RawReading, Reading> {
    private static final long serialVersionUID = 1L;
    private final int maxValue;

    CheckReadingsFn(int maxValue) {
      this.maxValue = maxValue;
    }

    @ProcessElement
    public void process(@Element RawReading raw, MultiOutputReceiver out) {
      try {
        JsonNode json = InvalidRecordException.readObject(raw.getRawJson());
        String id = text(json, "reading_id");
        BigDecimal value;
        try {
          value = new BigDecimal(text(json, "value"));
        } catch (NumberFormatException e) {
          throw new InvalidRecordException(
              ErrorClass.INVALID_TYPE,
              "value '" + json.get("value").asText() + "' is not a number");
        }
        if (value.compareTo(BigDecimal.valueOf(maxValue)) > 0) {
          throw new InvalidRecordException(
              ErrorClass.INVALID_VALUE,
              "value " + value.toPlainString() + " is above the limit " + maxValue);
        }
        out.get(CHECKED).output(Reading.create(id, text(json, "device"), value, raw.getId()));
      } catch (InvalidRecordException e) {
        out.get(IMPLAUSIBLE)
            .output(
                QuarantinedRecord.of(
                    Layer.SILVER,
                    raw.getFilePath(),
                    raw.getRecordIndex(),
                    raw.getId(),
                    raw.getRawJson(),
                    e));
      }
    }

    private static String text(JsonNode json, String field) throws InvalidRecordException {
      JsonNode node = json.get(field);
      if (node == null || node.isNull() || node.asText().isBlank()) {
        throw InvalidRecordException.missing(field);
      }
      return node.asText().strip();
    }
  }
}

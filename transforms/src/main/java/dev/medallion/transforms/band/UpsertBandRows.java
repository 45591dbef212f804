package dev.medallion.transforms.band;

import dev.medallion.core.Counted;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.core.table.TableSpec;
import dev.medallion.io.jdbc.BatchWrite;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.JdbcTarget;
import java.util.List;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Writes rows for several tables of one layer: one upsert per table from the row's JSON ({@link
 * TableSpec#insertFromJsonSql()}), each row counted for its table ({@link Counted#rowsOf}). Outputs
 * {@link SinkRejects#WRITTEN}, one signal for all tables for {@code Wait.on}, and {@link
 * SinkRejects#REJECTED}, a {@code rejected_by_sink} record per row a table refused (the rest
 * lands).
 */
public final class UpsertBandRows extends PTransform<PCollection<BandRow>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final Layer layer;
  private final List<TableSpec<BandRow>> tables;

  private UpsertBandRows(JdbcTarget target, Layer layer, List<TableSpec<BandRow>> tables) {
    this.target = target;
    this.layer = layer;
    this.tables = List.copyOf(tables);
  }

  /** Rows of {@code layer}'s {@code tables}: a refused row is quarantined in that layer. */
  public static UpsertBandRows into(
      JdbcTarget target, Layer layer, List<TableSpec<BandRow>> tables) {
    return new UpsertBandRows(target, layer, tables);
  }

  @Override
  public PCollectionTuple expand(PCollection<BandRow> rows) {
    PCollectionList<Void> written = PCollectionList.empty(rows.getPipeline());
    PCollectionList<QuarantinedRecord> rejected = PCollectionList.empty(rows.getPipeline());
    Layer rowsLayer = layer;
    for (TableSpec<BandRow> table : tables) {
      String name = table.name();
      String step = stepName(name);
      PCollectionTuple result =
          rows.apply("Keep" + step, Filter.by(row -> row.getTable().equals(name)))
              .apply("Count" + step, Counted.rowsOf(name))
              .apply(
                  "Upsert" + step,
                  BatchWrite.<BandRow>rows(
                          target,
                          name,
                          table.insertFromJsonSql(),
                          (ps, row) -> ps.setString(1, row.getColumnsJson()))
                      .withRejects((row, message) -> rejected(rowsLayer, row, message)));
      written = written.and(result.get(SinkRejects.WRITTEN));
      rejected = rejected.and(result.get(SinkRejects.REJECTED));
    }
    return PCollectionTuple.of(
            SinkRejects.WRITTEN, written.apply("AllTablesWritten", Flatten.pCollections()))
        .and(SinkRejects.REJECTED, rejected.apply("AllTablesRejected", Flatten.pCollections()));
  }

  /** A row its table refused, named by table and key (a huge key cut short). */
  static QuarantinedRecord rejected(Layer layer, BandRow row, String databaseMessage) {
    return QuarantinedRecord.of(
        layer,
        ErrorClass.REJECTED_BY_SINK,
        row.getTable() + "/" + SinkRejects.shortKey(row.getKey()),
        QuarantinedRecord.WHOLE_SOURCE,
        null,
        row.getColumnsJson(),
        databaseMessage);
  }

  /** "silver.band_songs" to "SilverBandSongs". */
  static String stepName(String table) {
    StringBuilder name = new StringBuilder();
    for (String part : table.split("[._]")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }
}

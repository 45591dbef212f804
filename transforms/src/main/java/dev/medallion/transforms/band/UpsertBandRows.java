package dev.medallion.transforms.band;

import dev.medallion.core.Counted;
import dev.medallion.core.table.TableSpec;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.db.JdbcTarget;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes rows for several tables: one upsert per table from the row's JSON ({@link
 * TableSpec#insertFromJsonSql()}), each row counted for its table ({@link Counted#rowsOf}). Returns
 * one write signal per table for {@code Wait.on}.
 */
public final class UpsertBandRows extends PTransform<PCollection<BandRow>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final List<TableSpec<BandRow>> tables;

  private UpsertBandRows(JdbcTarget target, List<TableSpec<BandRow>> tables) {
    this.target = target;
    this.tables = List.copyOf(tables);
  }

  public static UpsertBandRows into(JdbcTarget target, List<TableSpec<BandRow>> tables) {
    return new UpsertBandRows(target, tables);
  }

  @Override
  public PCollection<Void> expand(PCollection<BandRow> rows) {
    List<PCollection<Void>> written = new ArrayList<>();
    for (TableSpec<BandRow> table : tables) {
      String name = table.name();
      String step = stepName(name);
      written.add(
          rows.apply("Keep" + step, Filter.by(row -> row.getTable().equals(name)))
              .apply("Count" + step, Counted.rowsOf(name))
              .apply(
                  "Upsert" + step,
                  JdbcIO.<BandRow>write()
                      .withDataSourceProviderFn(PooledDataSource.of(target))
                      .withStatement(table.insertFromJsonSql())
                      .withPreparedStatementSetter(
                          (row, ps) -> ps.setString(1, row.getColumnsJson()))
                      .withResults()));
    }
    return org.apache.beam.sdk.values.PCollectionList.of(written)
        .apply("AllTablesWritten", org.apache.beam.sdk.transforms.Flatten.pCollections());
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

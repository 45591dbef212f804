package dev.medallion.transforms.inventory;

import dev.medallion.core.LayerMetrics;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Rebuilds one business date's snapshot from everything silver holds for it and publishes it
 * atomically ({@link SnapshotPublisher}): the gold rows replaced in one transaction, the CSVs
 * renamed into place after the commit.
 */
public final class PublishSnapshots extends DoFn<String, String> {
  private static final long serialVersionUID = 1L;

  /** Which snapshot. */
  public enum Kind {
    STOCK_HEALTH,
    PO_SNAPSHOTS
  }

  private final JdbcTarget target;
  private final Kind kind;
  private final String outputDir;
  private final StockHealthSettings settings;

  public PublishSnapshots(
      JdbcTarget target, Kind kind, String outputDir, StockHealthSettings settings) {
    this.target = target;
    this.kind = kind;
    this.outputDir = outputDir;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element String isoDate, OutputReceiver<String> out)
      throws SQLException, IOException {
    LocalDate date = LocalDate.parse(isoDate);
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      long rows = kind == Kind.STOCK_HEALTH ? publishStock(c, date) : publishPo(c, date);
      LayerMetrics.in(Layer.GOLD).inc(rows);
      LayerMetrics.out(Layer.GOLD).inc(rows);
    }
    out.output(isoDate);
  }

  private long publishStock(Connection c, LocalDate date) throws SQLException, IOException {
    StockSnapshot snapshot = new StockSnapshot(date, settings);
    new SnapshotPublisher(Path.of(outputDir)).publish(c, snapshot);
    return snapshot.rows();
  }

  private long publishPo(Connection c, LocalDate date) throws SQLException, IOException {
    PoSnapshot s = PoSnapshot.compute(date, InventoryTables.poLinesOn(c, date));
    new SnapshotPublisher(Path.of(outputDir))
        .publish(
            c,
            (conn, csvs) -> {
              SnapshotPublisher.CsvFile csv =
                  csvs.open(
                      DateTimeFormatter.BASIC_ISO_DATE.format(date) + ".csv",
                      PoSnapshot.CSV_COLUMNS);
              for (PoSnapshot.OpenLine o : s.openLines()) {
                csv.row(PoSnapshot.csvValues(date, o));
              }
              InventoryTables.replace(conn, s);
            });
    return s.openLines().size();
  }
}

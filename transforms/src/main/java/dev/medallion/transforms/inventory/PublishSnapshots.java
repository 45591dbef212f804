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
import java.util.ArrayList;
import java.util.List;
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
    StockSnapshot s =
        StockSnapshot.compute(
            date,
            InventoryTables.stockOn(c, date),
            InventoryTables.suppliersFor(c, date),
            settings);
    stockPublisher(Path.of(outputDir), s).publish(c, conn -> InventoryTables.replace(conn, s));
    return s.rows().size();
  }

  /** The three CSVs of a stock-health snapshot. */
  public static SnapshotPublisher stockPublisher(Path dir, StockSnapshot s) {
    String day = DateTimeFormatter.BASIC_ISO_DATE.format(s.date());
    List<List<Object>> complete = new ArrayList<>();
    s.rows().forEach(h -> complete.add(h.completeValues()));
    List<List<Object>> m2 = new ArrayList<>();
    s.orderDraft().forEach(h -> m2.add(h.m2Values()));
    List<List<Object>> emergency = new ArrayList<>();
    s.emergencies().forEach(h -> emergency.add(h.completeValues()));
    return new SnapshotPublisher(dir)
        .csv(day + ".csv", StockHealth.COMPLETE_COLUMNS, complete)
        .csv(day + "_m2.csv", StockHealth.M2_COLUMNS, m2)
        .csv(day + "_emergency.csv", StockHealth.COMPLETE_COLUMNS, emergency);
  }

  private long publishPo(Connection c, LocalDate date) throws SQLException, IOException {
    PoSnapshot s = PoSnapshot.compute(date, InventoryTables.poLinesOn(c, date));
    List<List<Object>> rows = new ArrayList<>();
    s.openLines().forEach(o -> rows.add(PoSnapshot.csvValues(date, o)));
    new SnapshotPublisher(Path.of(outputDir))
        .csv(DateTimeFormatter.BASIC_ISO_DATE.format(date) + ".csv", PoSnapshot.CSV_COLUMNS, rows)
        .publish(c, conn -> InventoryTables.replace(conn, s));
    return s.openLines().size();
  }
}

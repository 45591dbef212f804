package dev.medallion.transforms.inventory;

import dev.medallion.core.LayerMetrics;
import dev.medallion.ops.FileJobs;
import dev.medallion.ops.Layer;
import dev.medallion.ops.RunLog;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.snapshot.SnapshotPane;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites one business date's whole snapshot for each pane the daily-snapshot aggregator fires:
 * rebuilt from everything silver holds for the date and published atomically ({@link
 * SnapshotPublisher}: the gold rows replaced in one transaction, the CSVs renamed into place after
 * the commit), and marks the date rewritten in ops.snapshot_dates first thing in that transaction.
 * Each rewrite says what it did in the run log, and the run's file totals in ops.pipeline_runs
 * follow it, so a continuous run shows its progress.
 *
 * <p>Two panes of the same date may reach two workers at once. Each rewrite holds a PostgreSQL
 * advisory lock on (snapshot, date) from before it reads silver until its CSVs are renamed, so they
 * take turns, and the one that runs last read silver last: the snapshot left behind is the newest,
 * tables and CSVs alike.
 */
public final class PublishSnapshots extends DoFn<SnapshotPane<FileRead>, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PublishSnapshots.class);

  /** Which snapshot. */
  public enum Kind {
    STOCK_HEALTH,
    PO_SNAPSHOTS
  }

  private final JdbcTarget target;
  private final String runId;
  private final Kind kind;
  private final String outputDir;
  private final StockHealthSettings settings;
  @Nullable private final LocalDate runDate;

  /**
   * @param runDate the run's business date, when it has one (recorded with the file totals)
   */
  public PublishSnapshots(
      JdbcTarget target,
      String runId,
      Kind kind,
      String outputDir,
      StockHealthSettings settings,
      @Nullable LocalDate runDate) {
    this.target = target;
    this.runId = runId;
    this.kind = kind;
    this.outputDir = outputDir;
    this.settings = settings;
    this.runDate = runDate;
  }

  @ProcessElement
  public void process(@Element SnapshotPane<FileRead> pane, OutputReceiver<String> out)
      throws SQLException, IOException {
    LocalDate date = pane.key().businessDate();
    long rows;
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      lock(c, "pg_advisory_lock", date);
      try {
        rows =
            kind == Kind.STOCK_HEALTH
                ? publishStock(c, pane.key().pipeline(), date)
                : publishPo(c, pane.key().pipeline(), date);
      } finally {
        lock(c, "pg_advisory_unlock", date);
      }
    }
    LayerMetrics.in(Layer.GOLD).inc(rows);
    LayerMetrics.out(Layer.GOLD).inc(rows);
    String line =
        String.format(
            "%s snapshot for %s rewritten: %d row(s) from %d file(s) so far (pane %d, %s)",
            pane.key().pipeline(),
            date,
            rows,
            pane.elements().size(),
            pane.index() + 1,
            describe(pane.firing()));
    LOG.info(line);
    new RunLog(target).append(runId, RunLog.Level.INFO, Layer.GOLD, line);
    new FileJobs(target).recordTotals(runId, runDate);
    out.output(date.toString());
  }

  private static String describe(SnapshotPane.Firing firing) {
    return switch (firing) {
      case COUNT -> "batch_size new files";
      case BYTES -> "batch_bytes of new files";
      case TIME -> "flush_interval since the first new file";
      case FINAL -> "no more files";
    };
  }

  private void lock(Connection c, String function, LocalDate date) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + function + "(hashtext('snapshot'), hashtext(?))::text")) {
      ps.setString(1, kind.name() + "/" + date);
      ps.executeQuery().close();
    }
  }

  private long publishStock(Connection c, String pipeline, LocalDate date)
      throws SQLException, IOException {
    StockSnapshot snapshot = new StockSnapshot(date, settings);
    new SnapshotPublisher(Path.of(outputDir))
        .publish(
            c,
            (conn, csvs) -> {
              InventoryTables.markRewritten(conn, pipeline, date);
              snapshot.write(conn, csvs);
            });
    // counted once committed, so the progress line shows rows that are in the tables
    snapshot.rowsPerTable().forEach((table, n) -> LayerMetrics.tableRows(table).inc(n));
    return snapshot.rows();
  }

  private long publishPo(Connection c, String pipeline, LocalDate date)
      throws SQLException, IOException {
    long[] rows = {0, 0};
    new SnapshotPublisher(Path.of(outputDir))
        .publish(
            c,
            (conn, csvs) -> {
              InventoryTables.markRewritten(conn, pipeline, date);
              PoSnapshot s = PoSnapshot.compute(date, InventoryTables.poLinesOn(conn, date));
              SnapshotPublisher.CsvFile csv =
                  csvs.open(
                      DateTimeFormatter.BASIC_ISO_DATE.format(date) + ".csv",
                      PoSnapshot.CSV_COLUMNS);
              for (PoSnapshot.OpenLine o : s.openLines()) {
                csv.row(PoSnapshot.csvValues(date, o));
              }
              InventoryTables.replace(conn, s);
              rows[0] = s.openLines().size();
              rows[1] = s.suppliers().size();
            });
    LayerMetrics.tableRows(InventoryTables.PO_OPEN_LINES).inc(rows[0]);
    LayerMetrics.tableRows(InventoryTables.PO_SUPPLIER_SUMMARY).inc(rows[1]);
    return rows[0];
  }
}

package dev.medallion.transforms.inventory;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The inventory pipelines' SQL, beside their tables (V18): a file's silver rows replaced whole, a
 * date's silver rows read back, a date's gold rows replaced whole.
 */
public final class InventoryTables {
  public static final String STOCK = "silver.inventory_stock";
  public static final String SUPPLIERS = "silver.inventory_suppliers";
  public static final String PO_LINES = "silver.inventory_po_lines";
  public static final String STOCK_HEALTH = "gold.stock_health";
  public static final String ORDER_DRAFT = "gold.supplier_order_draft";
  public static final String STORE_SUMMARY = "gold.stock_health_store_summary";
  public static final String PO_OPEN_LINES = "gold.po_open_lines";
  public static final String PO_SUPPLIER_SUMMARY = "gold.po_supplier_summary";
  private static final int BATCH = 1000;

  private InventoryTables() {}

  /** Removes a file's silver rows (before its rows are written again). */
  public static void deleteFileRows(Connection c, String table, String sourceFile)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE source_file = ?")) {
      ps.setString(1, sourceFile);
      ps.executeUpdate();
    }
  }

  /** Batches inserts, flushing every {@value #BATCH} rows so memory stays flat. */
  public static final class Inserter implements AutoCloseable {
    private final PreparedStatement ps;
    private int pending;

    private Inserter(Connection c, String sql) throws SQLException {
      this.ps = c.prepareStatement(sql);
    }

    /** Inserts into {@code table}'s {@code columns}, in that order. */
    private static Inserter into(Connection c, String table, List<String> columns)
        throws SQLException {
      return new Inserter(
          c,
          "INSERT INTO "
              + table
              + " ("
              + String.join(", ", columns)
              + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
              + ")");
    }

    public static Inserter stock(Connection c) throws SQLException {
      return into(
          c,
          STOCK,
          List.of(
              "source_file",
              "row_number",
              "business_date",
              "store_id",
              "sku",
              "description",
              "on_hand",
              "on_order",
              "sales_28d"));
    }

    public static Inserter suppliers(Connection c) throws SQLException {
      return into(
          c,
          SUPPLIERS,
          List.of(
              "source_file",
              "row_number",
              "file_date",
              "sku",
              "supplier",
              "lead_time_days",
              "min_order_qty",
              "pack_size",
              "unit_cost"));
    }

    public static Inserter poLines(Connection c) throws SQLException {
      return into(
          c,
          PO_LINES,
          List.of(
              "source_file",
              "row_number",
              "business_date",
              "po_number",
              "supplier",
              "store_id",
              "sku",
              "ordered_qty",
              "received_qty",
              "order_date",
              "expected_date",
              "status"));
    }

    /** gold.stock_health, in {@link StockHealth#COMPLETE_COLUMNS} order. */
    public static Inserter stockHealth(Connection c) throws SQLException {
      return into(c, STOCK_HEALTH, StockHealth.COMPLETE_COLUMNS);
    }

    /** gold.supplier_order_draft: the business date, then {@link StockHealth#M2_COLUMNS}. */
    public static Inserter orderDraft(Connection c) throws SQLException {
      List<String> columns = new ArrayList<>(List.of("business_date"));
      columns.addAll(StockHealth.M2_COLUMNS);
      return into(c, ORDER_DRAFT, columns);
    }

    /** gold.stock_health_store_summary: date, store, SKUs, the count per status, stock value. */
    public static Inserter storeSummary(Connection c) throws SQLException {
      List<String> columns = new ArrayList<>(List.of("business_date", "store_id", "skus"));
      columns.addAll(StockHealth.STATUSES);
      columns.add("stock_value");
      return into(c, STORE_SUMMARY, columns);
    }

    public void add(Object... values) throws SQLException {
      bind(ps, values);
      ps.addBatch();
      if (++pending >= BATCH) {
        ps.executeBatch();
        pending = 0;
      }
    }

    @Override
    public void close() throws SQLException {
      try {
        if (pending > 0) {
          ps.executeBatch();
        }
      } finally {
        ps.close();
      }
    }
  }

  public static void add(Inserter in, StockRow r) throws SQLException {
    in.add(
        r.sourceFile(),
        r.rowNumber(),
        r.businessDate(),
        r.storeId(),
        r.sku(),
        r.description(),
        r.onHand(),
        r.onOrder(),
        r.sales28d());
  }

  public static void add(Inserter in, SupplierRow r) throws SQLException {
    in.add(
        r.sourceFile(),
        r.rowNumber(),
        r.fileDate(),
        r.sku(),
        r.supplier(),
        r.leadTimeDays(),
        r.minOrderQty(),
        r.packSize(),
        r.unitCost());
  }

  public static void add(Inserter in, PoLine r) throws SQLException {
    in.add(
        r.sourceFile(),
        r.rowNumber(),
        r.businessDate(),
        r.poNumber(),
        r.supplier(),
        r.storeId(),
        r.sku(),
        r.orderedQty(),
        r.receivedQty(),
        r.orderDate(),
        r.expectedDate(),
        r.status());
  }

  /** Receives one stock row with the supplier terms that apply to it (null: no supplier row). */
  @FunctionalInterface
  public interface StockWithSupplier {
    void accept(StockRow stock, @Nullable SupplierRow supplier) throws SQLException, IOException;
  }

  /** Receives one row read through a cursor. */
  @FunctionalInterface
  public interface RowSink {
    void accept(List<Object> values) throws SQLException, IOException;
  }

  /**
   * Streams the date's stock rows in output order (store, SKU; byte order, as Java sorts strings),
   * each store and SKU once: the later file name wins, then the later row. Each comes with the
   * terms of the supplier master that applies on the date: the newest master dated on or before it
   * (the later file name when two share that date), its later row when a SKU repeats. Read through
   * a cursor, so the connection must be in a transaction.
   */
  public static void stockWithSuppliers(Connection c, LocalDate date, StockWithSupplier sink)
      throws SQLException, IOException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH master AS (SELECT source_file FROM "
                + SUPPLIERS
                + " WHERE file_date <= ? ORDER BY file_date DESC, source_file COLLATE \"C\" DESC"
                + " LIMIT 1),"
                + " terms AS (SELECT DISTINCT ON (sku) sku, file_date, supplier, lead_time_days,"
                + " min_order_qty, pack_size, unit_cost, source_file, row_number FROM "
                + SUPPLIERS
                + " WHERE source_file = (SELECT source_file FROM master)"
                + " ORDER BY sku, row_number DESC),"
                + " stock AS (SELECT DISTINCT ON (store_id COLLATE \"C\", sku COLLATE \"C\")"
                + " business_date, store_id, sku, description, on_hand, on_order, sales_28d,"
                + " source_file, row_number FROM "
                + STOCK
                + " WHERE business_date = ? ORDER BY store_id COLLATE \"C\", sku COLLATE \"C\","
                + " source_file COLLATE \"C\" DESC, row_number DESC)"
                + " SELECT s.business_date, s.store_id, s.sku, s.description, s.on_hand,"
                + " s.on_order, s.sales_28d, s.source_file, s.row_number, t.file_date, t.supplier,"
                + " t.lead_time_days, t.min_order_qty, t.pack_size, t.unit_cost, t.source_file,"
                + " t.row_number FROM stock s LEFT JOIN terms t ON t.sku = s.sku"
                + " ORDER BY s.store_id COLLATE \"C\", s.sku COLLATE \"C\"")) {
      ps.setFetchSize(BATCH);
      ps.setDate(1, Date.valueOf(date));
      ps.setDate(2, Date.valueOf(date));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StockRow stock =
              new StockRow(
                  rs.getDate(1).toLocalDate(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getBigDecimal(5),
                  rs.getBigDecimal(6),
                  rs.getBigDecimal(7),
                  rs.getString(8),
                  rs.getInt(9));
          SupplierRow supplier =
              rs.getString(11) == null
                  ? null
                  : new SupplierRow(
                      rs.getDate(10).toLocalDate(),
                      stock.sku(),
                      rs.getString(11),
                      rs.getBigDecimal(12),
                      rs.getBigDecimal(13),
                      rs.getBigDecimal(14),
                      rs.getBigDecimal(15),
                      rs.getString(16),
                      rs.getInt(17));
          sink.accept(stock, supplier);
        }
      }
    }
  }

  /**
   * Streams the date's order draft in the m2 CSV's order (supplier, store, SKU), as the values of
   * {@link StockHealth#M2_COLUMNS}.
   */
  public static void orderDraftOn(Connection c, LocalDate date, RowSink sink)
      throws SQLException, IOException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + String.join(", ", StockHealth.M2_COLUMNS)
                + " FROM "
                + ORDER_DRAFT
                + " WHERE business_date = ? ORDER BY supplier COLLATE \"C\","
                + " store_id COLLATE \"C\", sku COLLATE \"C\"")) {
      ps.setFetchSize(BATCH);
      ps.setDate(1, Date.valueOf(date));
      try (ResultSet rs = ps.executeQuery()) {
        int columns = StockHealth.M2_COLUMNS.size();
        while (rs.next()) {
          List<Object> values = new ArrayList<>(columns);
          for (int i = 1; i <= columns; i++) {
            values.add(rs.getObject(i));
          }
          sink.accept(values);
        }
      }
    }
  }

  /**
   * The snapshot dates a file's rows feed: its own date; for a supplier master, every date silver
   * holds stock for on or after it (it may be the newest master for them). With {@code only}, just
   * that date when it is among them. {@code c} may be null for any other kind of file.
   */
  public static List<LocalDate> datesFed(
      @Nullable Connection c, FileKind kind, LocalDate fileDate, @Nullable LocalDate only)
      throws SQLException {
    if (kind != FileKind.SUPPLIERS) {
      return only == null || fileDate.equals(only) ? List.of(fileDate) : List.of();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT business_date FROM "
                + STOCK
                + " WHERE business_date >= ? ORDER BY business_date")) {
      ps.setDate(1, Date.valueOf(fileDate));
      return datesOf(ps, only);
    }
  }

  /**
   * {@link #datesFed(Connection, FileKind, LocalDate, LocalDate)} on a connection of its own, which
   * only a supplier master needs.
   */
  public static List<LocalDate> datesFed(
      JdbcTarget target, FileKind kind, LocalDate fileDate, @Nullable LocalDate only)
      throws SQLException {
    try (Connection c =
        kind == FileKind.SUPPLIERS ? ConnectionPool.forTarget(target).getConnection() : null) {
      return datesFed(c, kind, fileDate, only);
    }
  }

  /** The dates a query's first column gives, all of them or just {@code only}. */
  private static List<LocalDate> datesOf(PreparedStatement ps, @Nullable LocalDate only)
      throws SQLException {
    List<LocalDate> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        LocalDate d = rs.getDate(1).toLocalDate();
        if (only == null || d.equals(only)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /**
   * Marks the pipeline's snapshots of {@code dates} as owing a rewrite ({@code
   * ops.snapshot_dates}), in the transaction that puts their new silver rows in.
   */
  public static void markDirty(Connection c, String pipeline, List<LocalDate> dates)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ops.snapshot_dates (pipeline, business_date, dirty) VALUES (?, ?, true)"
                + " ON CONFLICT (pipeline, business_date) DO UPDATE SET dirty = true")) {
      for (LocalDate date : dates) {
        ps.setString(1, pipeline);
        ps.setDate(2, Date.valueOf(date));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Marks the date's snapshot as rewritten, first thing in the transaction that rewrites it (before
   * it reads silver): a file committed after this mark re-marks the date, once this transaction
   * ends, so no file's rows are left out unnoticed.
   */
  public static void markRewritten(Connection c, String pipeline, LocalDate date)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ops.snapshot_dates (pipeline, business_date, dirty, rewritten_at)"
                + " VALUES (?, ?, false, now()) ON CONFLICT (pipeline, business_date)"
                + " DO UPDATE SET dirty = false, rewritten_at = now()")) {
      ps.setString(1, pipeline);
      ps.setDate(2, Date.valueOf(date));
      ps.executeUpdate();
    }
  }

  /** The dates whose snapshot owes a rewrite (a run died between silver and the rewrite). */
  public static List<LocalDate> dirtyDates(Connection c, String pipeline, @Nullable LocalDate only)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT business_date FROM ops.snapshot_dates WHERE pipeline = ? AND dirty"
                + " ORDER BY business_date")) {
      ps.setString(1, pipeline);
      return datesOf(ps, only);
    }
  }

  public static List<PoLine> poLinesOn(Connection c, LocalDate date) throws SQLException {
    List<PoLine> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT business_date, po_number, supplier, store_id, sku, ordered_qty, received_qty,"
                + " order_date, expected_date, status, source_file, row_number FROM "
                + PO_LINES
                + " WHERE business_date = ?")) {
      ps.setDate(1, Date.valueOf(date));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new PoLine(
                  rs.getDate(1).toLocalDate(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getBigDecimal(6),
                  rs.getBigDecimal(7),
                  rs.getDate(8).toLocalDate(),
                  rs.getDate(9).toLocalDate(),
                  rs.getString(10),
                  rs.getString(11),
                  rs.getInt(12)));
        }
      }
    }
    return out;
  }

  /** Removes the date's stock-health rows, order draft and store summary. */
  public static void deleteStockHealth(Connection c, LocalDate date) throws SQLException {
    for (String table : List.of(STOCK_HEALTH, ORDER_DRAFT, STORE_SUMMARY)) {
      deleteDate(c, table, date);
    }
  }

  /** Replaces the date's open PO lines and supplier summary. */
  public static void replace(Connection c, PoSnapshot s) throws SQLException {
    deleteDate(c, PO_OPEN_LINES, s.date());
    deleteDate(c, PO_SUPPLIER_SUMMARY, s.date());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + PO_OPEN_LINES
                + " ("
                + String.join(", ", PoSnapshot.CSV_COLUMNS)
                + ", source_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (PoSnapshot.OpenLine o : s.openLines()) {
        List<Object> v = new ArrayList<>(PoSnapshot.csvValues(s.date(), o));
        v.add(o.line().sourceFile());
        bind(ps, v.toArray());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + PO_SUPPLIER_SUMMARY
                + " (business_date, supplier, open_lines, outstanding_qty, late_lines, fill_rate,"
                + " avg_days_late) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (PoSnapshot.SupplierSummary su : s.suppliers()) {
        bind(
            ps,
            s.date(),
            su.supplier(),
            su.openLines(),
            su.outstandingQty(),
            su.lateLines(),
            su.fillRate(),
            su.avgDaysLate());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void deleteDate(Connection c, String table, LocalDate date) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE business_date = ?")) {
      ps.setDate(1, Date.valueOf(date));
      ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        ps.setNull(i + 1, Types.OTHER);
      } else if (v instanceof LocalDate d) {
        ps.setDate(i + 1, Date.valueOf(d));
      } else if (v instanceof BigDecimal b) {
        ps.setBigDecimal(i + 1, b);
      } else if (v instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (v instanceof Long n) {
        ps.setLong(i + 1, n);
      } else {
        ps.setString(i + 1, v.toString());
      }
    }
  }
}

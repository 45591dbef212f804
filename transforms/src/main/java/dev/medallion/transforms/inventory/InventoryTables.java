package dev.medallion.transforms.inventory;

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

  /** Batches silver inserts, flushing every {@value #BATCH} rows so memory stays flat. */
  public static final class Inserter implements AutoCloseable {
    private final PreparedStatement ps;
    private int pending;

    private Inserter(Connection c, String sql) throws SQLException {
      this.ps = c.prepareStatement(sql);
    }

    public static Inserter stock(Connection c) throws SQLException {
      return new Inserter(
          c,
          "INSERT INTO "
              + STOCK
              + " (source_file, row_number, business_date, store_id, sku, description, on_hand,"
              + " on_order, sales_28d) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    public static Inserter suppliers(Connection c) throws SQLException {
      return new Inserter(
          c,
          "INSERT INTO "
              + SUPPLIERS
              + " (source_file, row_number, file_date, sku, supplier, lead_time_days,"
              + " min_order_qty, pack_size, unit_cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    public static Inserter poLines(Connection c) throws SQLException {
      return new Inserter(
          c,
          "INSERT INTO "
              + PO_LINES
              + " (source_file, row_number, business_date, po_number, supplier, store_id, sku,"
              + " ordered_qty, received_qty, order_date, expected_date, status)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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

  /** The date's stock rows from every file of that date. */
  public static List<StockRow> stockOn(Connection c, LocalDate date) throws SQLException {
    List<StockRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT business_date, store_id, sku, description, on_hand, on_order, sales_28d,"
                + " source_file, row_number FROM "
                + STOCK
                + " WHERE business_date = ?")) {
      ps.setDate(1, Date.valueOf(date));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StockRow(
                  rs.getDate(1).toLocalDate(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getBigDecimal(5),
                  rs.getBigDecimal(6),
                  rs.getBigDecimal(7),
                  rs.getString(8),
                  rs.getInt(9)));
        }
      }
    }
    return out;
  }

  /**
   * The supplier master that applies on {@code date}: the rows of the newest master dated on or
   * before it (the later file name when two share that date).
   */
  public static List<SupplierRow> suppliersFor(Connection c, LocalDate date) throws SQLException {
    List<SupplierRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT file_date, sku, supplier, lead_time_days, min_order_qty, pack_size, unit_cost,"
                + " source_file, row_number FROM "
                + SUPPLIERS
                + " WHERE source_file = (SELECT source_file FROM "
                + SUPPLIERS
                + " WHERE file_date <= ? ORDER BY file_date DESC, source_file DESC LIMIT 1)")) {
      ps.setDate(1, Date.valueOf(date));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new SupplierRow(
                  rs.getDate(1).toLocalDate(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBigDecimal(4),
                  rs.getBigDecimal(5),
                  rs.getBigDecimal(6),
                  rs.getBigDecimal(7),
                  rs.getString(8),
                  rs.getInt(9)));
        }
      }
    }
    return out;
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

  /** Replaces the date's stock-health rows, order draft and store summary. */
  public static void replace(Connection c, StockSnapshot s) throws SQLException {
    for (String table : List.of(STOCK_HEALTH, ORDER_DRAFT, STORE_SUMMARY)) {
      deleteDate(c, table, s.date());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + STOCK_HEALTH
                + " ("
                + String.join(", ", StockHealth.COMPLETE_COLUMNS)
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (StockHealth h : s.rows()) {
        bind(ps, h.completeValues().toArray());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + ORDER_DRAFT
                + " (business_date, "
                + String.join(", ", StockHealth.M2_COLUMNS)
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (StockHealth h : s.orderDraft()) {
        List<Object> v = new ArrayList<>();
        v.add(s.date());
        v.addAll(h.m2Values());
        bind(ps, v.toArray());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + STORE_SUMMARY
                + " (business_date, store_id, skus, unknown_supplier, out_of_stock, emergency, low,"
                + " overstock, healthy, stock_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (StockSnapshot.StoreSummary st : s.stores()) {
        List<Object> v = new ArrayList<>(List.of(s.date(), st.storeId(), st.skus()));
        StockHealth.STATUSES.forEach(status -> v.add(st.perStatus().get(status)));
        v.add(st.value());
        bind(ps, v.toArray());
        ps.addBatch();
      }
      ps.executeBatch();
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

package dev.medallion.transforms.inventory;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One business date's stock health, published as one snapshot: every store's SKUs joined to the
 * supplier master by SKU, in the order of the outputs (store, SKU), with the order draft and the
 * per-store summary. The rows stream from silver through a cursor into the gold tables and the
 * CSVs, one at a time, so memory stays flat however many SKUs a day has; the m2 CSV is read back
 * from the order-draft table in its own order (supplier, store, SKU) within the same transaction.
 */
public final class StockSnapshot implements SnapshotPublisher.Work {
  private final LocalDate date;
  private final StockHealthSettings settings;
  private long rows;
  private long draftRows;
  private long storeRows;

  public StockSnapshot(LocalDate date, StockHealthSettings settings) {
    this.date = date;
    this.settings = settings;
  }

  /** The stock-health rows the last {@link #write} produced. */
  public long rows() {
    return rows;
  }

  /** The rows the last {@link #write} put in each gold table. */
  public Map<String, Long> rowsPerTable() {
    return Map.of(
        InventoryTables.STOCK_HEALTH,
        rows,
        InventoryTables.ORDER_DRAFT,
        draftRows,
        InventoryTables.STORE_SUMMARY,
        storeRows);
  }

  @Override
  public void write(Connection c, SnapshotPublisher.Csvs csvs) throws SQLException, IOException {
    String day = DateTimeFormatter.BASIC_ISO_DATE.format(date);
    InventoryTables.deleteStockHealth(c, date);
    SnapshotPublisher.CsvFile complete = csvs.open(day + ".csv", StockHealth.COMPLETE_COLUMNS);
    SnapshotPublisher.CsvFile emergency =
        csvs.open(day + "_emergency.csv", StockHealth.COMPLETE_COLUMNS);
    rows = 0;
    draftRows = 0;
    storeRows = 0;
    try (InventoryTables.Inserter health = InventoryTables.Inserter.stockHealth(c);
        InventoryTables.Inserter draft = InventoryTables.Inserter.orderDraft(c);
        InventoryTables.Inserter summaries = InventoryTables.Inserter.storeSummary(c)) {
      StoreTally[] store = {null};
      InventoryTables.stockWithSuppliers(
          c,
          date,
          (stock, supplier) -> {
            StockHealth h = StockHealth.of(stock, supplier, settings);
            List<Object> values = h.completeValues();
            complete.row(values);
            health.add(values.toArray());
            if (isEmergency(h)) {
              emergency.row(values);
            }
            if (h.suggestedOrderQty().signum() > 0) {
              List<Object> line = new ArrayList<>();
              line.add(date);
              line.addAll(h.m2Values());
              draft.add(line.toArray());
              draftRows++;
            }
            if (store[0] == null || !store[0].storeId.equals(stock.storeId())) {
              if (store[0] != null) {
                summaries.add(store[0].values());
                storeRows++;
              }
              store[0] = new StoreTally(date, stock.storeId());
            }
            store[0].add(h);
            rows++;
          });
      if (store[0] != null) {
        summaries.add(store[0].values());
        storeRows++;
      }
    }
    SnapshotPublisher.CsvFile m2 = csvs.open(day + "_m2.csv", StockHealth.M2_COLUMNS);
    InventoryTables.orderDraftOn(c, date, m2::row);
  }

  /** The emergency CSV's rows: out of stock and emergency. */
  static boolean isEmergency(StockHealth h) {
    return h.status().equals(StockHealth.OUT_OF_STOCK) || h.status().equals(StockHealth.EMERGENCY);
  }

  /** One store's summary on the date: SKUs, the count per status, the stock value. */
  private static final class StoreTally {
    final LocalDate date;
    final String storeId;
    final Map<String, Integer> perStatus = new LinkedHashMap<>();
    int skus;
    BigDecimal value = BigDecimal.ZERO;

    StoreTally(LocalDate date, String storeId) {
      this.date = date;
      this.storeId = storeId;
      StockHealth.STATUSES.forEach(s -> perStatus.put(s, 0));
    }

    void add(StockHealth h) {
      skus++;
      perStatus.merge(h.status(), 1, Integer::sum);
      if (h.stockValue() != null) {
        value = value.add(h.stockValue());
      }
    }

    /** The values of gold.stock_health_store_summary's columns. */
    Object[] values() {
      List<Object> v = new ArrayList<>(List.of(date, storeId, skus));
      StockHealth.STATUSES.forEach(status -> v.add(perStatus.get(status)));
      v.add(StockHealth.halfUp(value, 2));
      return v.toArray();
    }
  }
}

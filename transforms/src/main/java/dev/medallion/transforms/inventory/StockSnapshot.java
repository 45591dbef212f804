package dev.medallion.transforms.inventory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One business date's stock health: every store's SKUs joined to the supplier master by SKU, in the
 * order of the outputs (store, SKU), with the order draft and the per-store summary.
 */
public record StockSnapshot(
    LocalDate date,
    List<StockHealth> rows,
    List<StockHealth> orderDraft,
    List<StoreSummary> stores) {

  /** Per date and store: SKUs, the count per status, the stock value. */
  public record StoreSummary(
      LocalDate date, String storeId, int skus, Map<String, Integer> perStatus, BigDecimal value) {}

  /**
   * Computes the date's snapshot. The same store and SKU in two rows: the later file name wins,
   * then the later row.
   */
  public static StockSnapshot compute(
      LocalDate date,
      List<StockRow> stock,
      List<SupplierRow> suppliers,
      StockHealthSettings settings) {
    Map<String, StockRow> latest = new HashMap<>();
    Comparator<StockRow> order =
        Comparator.comparing(StockRow::sourceFile).thenComparingInt(StockRow::rowNumber);
    for (StockRow row : stock) {
      latest.merge(
          row.storeId() + "\u0000" + row.sku(), row, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    Map<String, SupplierRow> bySku = new HashMap<>();
    for (SupplierRow s : suppliers) {
      bySku.merge(s.sku(), s, (a, b) -> a.rowNumber() >= b.rowNumber() ? a : b);
    }
    List<StockHealth> rows = new ArrayList<>();
    for (StockRow row : latest.values()) {
      rows.add(StockHealth.of(row, bySku.get(row.sku()), settings));
    }
    rows.sort(
        Comparator.comparing((StockHealth h) -> h.stock().storeId())
            .thenComparing(h -> h.stock().sku()));
    List<StockHealth> draft = new ArrayList<>();
    for (StockHealth h : rows) {
      if (h.suggestedOrderQty().signum() > 0) {
        draft.add(h);
      }
    }
    draft.sort(
        Comparator.comparing((StockHealth h) -> h.supplier().supplier())
            .thenComparing(h -> h.stock().storeId())
            .thenComparing(h -> h.stock().sku()));
    Map<String, List<StockHealth>> perStore = new TreeMap<>();
    for (StockHealth h : rows) {
      perStore.computeIfAbsent(h.stock().storeId(), k -> new ArrayList<>()).add(h);
    }
    List<StoreSummary> stores = new ArrayList<>();
    perStore.forEach(
        (store, list) -> {
          Map<String, Integer> counts = new LinkedHashMap<>();
          StockHealth.STATUSES.forEach(s -> counts.put(s, 0));
          BigDecimal value = BigDecimal.ZERO;
          for (StockHealth h : list) {
            counts.merge(h.status(), 1, Integer::sum);
            if (h.stockValue() != null) {
              value = value.add(h.stockValue());
            }
          }
          stores.add(
              new StoreSummary(date, store, list.size(), counts, StockHealth.halfUp(value, 2)));
        });
    return new StockSnapshot(date, List.copyOf(rows), List.copyOf(draft), List.copyOf(stores));
  }

  /** The emergency CSV's rows: out of stock and emergency. */
  public List<StockHealth> emergencies() {
    return rows.stream()
        .filter(
            h ->
                h.status().equals(StockHealth.OUT_OF_STOCK)
                    || h.status().equals(StockHealth.EMERGENCY))
        .toList();
  }
}

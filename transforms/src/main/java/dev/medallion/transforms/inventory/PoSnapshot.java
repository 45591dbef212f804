package dev.medallion.transforms.inventory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * One business date's purchase orders from all PO files of that date: the open lines and the
 * per-supplier summary. The same PO number, SKU and store in two files: the later file name wins.
 */
public record PoSnapshot(
    LocalDate date, List<OpenLine> openLines, List<SupplierSummary> suppliers) {

  /** A line still to come. */
  public record OpenLine(PoLine line, BigDecimal outstandingQty, long daysLate) {}

  /** Per supplier, over the date's lines. */
  public record SupplierSummary(
      String supplier,
      int openLines,
      BigDecimal outstandingQty,
      int lateLines,
      @Nullable BigDecimal fillRate,
      @Nullable BigDecimal avgDaysLate) {}

  public static final List<String> CSV_COLUMNS =
      List.of(
          "business_date",
          "po_number",
          "supplier",
          "store_id",
          "sku",
          "ordered_qty",
          "received_qty",
          "outstanding_qty",
          "order_date",
          "expected_date",
          "status",
          "days_late");

  public static PoSnapshot compute(LocalDate date, List<PoLine> lines) {
    Map<String, PoLine> latest = new HashMap<>();
    Comparator<PoLine> order =
        Comparator.comparing(PoLine::sourceFile).thenComparingInt(PoLine::rowNumber);
    for (PoLine l : lines) {
      latest.merge(
          l.poNumber() + "\u0000" + l.sku() + "\u0000" + l.storeId(),
          l,
          (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    List<PoLine> kept = new ArrayList<>(latest.values());
    kept.sort(
        Comparator.comparing(PoLine::supplier)
            .thenComparing(PoLine::poNumber)
            .thenComparing(PoLine::storeId)
            .thenComparing(PoLine::sku));
    List<OpenLine> open = new ArrayList<>();
    Map<String, List<PoLine>> bySupplier = new TreeMap<>();
    for (PoLine l : kept) {
      bySupplier.computeIfAbsent(l.supplier(), k -> new ArrayList<>()).add(l);
      if (l.open()) {
        long late = Math.max(0, ChronoUnit.DAYS.between(l.expectedDate(), date));
        open.add(new OpenLine(l, l.orderedQty().subtract(l.receivedQty()), late));
      }
    }
    List<SupplierSummary> summaries = new ArrayList<>();
    bySupplier.forEach(
        (supplier, list) -> {
          int openLines = 0;
          int lateLines = 0;
          long lateDays = 0;
          BigDecimal outstanding = BigDecimal.ZERO;
          BigDecimal received = BigDecimal.ZERO;
          BigDecimal ordered = BigDecimal.ZERO;
          for (PoLine l : list) {
            if (!l.status().equals("cancelled")) {
              received = received.add(l.receivedQty());
              ordered = ordered.add(l.orderedQty());
            }
            if (l.open()) {
              openLines++;
              outstanding = outstanding.add(l.orderedQty().subtract(l.receivedQty()));
              long late = Math.max(0, ChronoUnit.DAYS.between(l.expectedDate(), date));
              if (late > 0) {
                lateLines++;
                lateDays += late;
              }
            }
          }
          summaries.add(
              new SupplierSummary(
                  supplier,
                  openLines,
                  StockHealth.plain(outstanding),
                  lateLines,
                  ordered.signum() == 0
                      ? null
                      : received
                          .divide(ordered, MathContext.DECIMAL128)
                          .setScale(4, RoundingMode.HALF_UP),
                  lateLines == 0
                      ? null
                      : BigDecimal.valueOf(lateDays)
                          .divide(BigDecimal.valueOf(lateLines), 2, RoundingMode.HALF_UP)));
        });
    return new PoSnapshot(date, List.copyOf(open), List.copyOf(summaries));
  }

  public static List<Object> csvValues(LocalDate date, OpenLine o) {
    PoLine l = o.line();
    List<Object> v = new ArrayList<>();
    v.add(date);
    v.add(l.poNumber());
    v.add(l.supplier());
    v.add(l.storeId());
    v.add(l.sku());
    v.add(StockHealth.plain(l.orderedQty()));
    v.add(StockHealth.plain(l.receivedQty()));
    v.add(StockHealth.plain(o.outstandingQty()));
    v.add(l.orderDate());
    v.add(l.expectedDate());
    v.add(l.status());
    v.add(o.daysLate());
    return v;
  }
}

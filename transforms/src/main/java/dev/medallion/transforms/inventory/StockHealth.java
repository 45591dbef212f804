package dev.medallion.transforms.inventory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * One store's SKU on one business date with its stock-health metrics, computed exactly (34
 * significant digits) and rounded half-up only on output. The formulas are the issue's, listed in
 * README "Inventory pipelines".
 */
public record StockHealth(
    StockRow stock,
    @Nullable SupplierRow supplier,
    BigDecimal avgDailySales,
    @Nullable BigDecimal daysOfCover,
    @Nullable BigDecimal safetyStock,
    @Nullable BigDecimal reorderPoint,
    @Nullable BigDecimal targetStock,
    BigDecimal position,
    BigDecimal suggestedOrderQty,
    @Nullable BigDecimal stockValue,
    String status) {
  private static final MathContext EXACT = MathContext.DECIMAL128;
  private static final BigDecimal DAYS_OF_SALES = BigDecimal.valueOf(28);

  public static final String UNKNOWN_SUPPLIER = "unknown_supplier";
  public static final String OUT_OF_STOCK = "out_of_stock";
  public static final String EMERGENCY = "emergency";
  public static final String LOW = "low";
  public static final String OVERSTOCK = "overstock";
  public static final String HEALTHY = "healthy";
  public static final List<String> STATUSES =
      List.of(UNKNOWN_SUPPLIER, OUT_OF_STOCK, EMERGENCY, LOW, OVERSTOCK, HEALTHY);

  public static StockHealth of(
      StockRow stock, @Nullable SupplierRow supplier, StockHealthSettings settings) {
    BigDecimal avg = stock.sales28d().divide(DAYS_OF_SALES, EXACT);
    BigDecimal onHand = stock.onHand();
    BigDecimal cover = avg.signum() == 0 ? null : onHand.divide(avg, EXACT);
    BigDecimal position = onHand.add(stock.onOrder());
    if (supplier == null) {
      return new StockHealth(
          stock,
          null,
          avg,
          cover,
          null,
          null,
          null,
          position,
          BigDecimal.ZERO,
          null,
          UNKNOWN_SUPPLIER);
    }
    BigDecimal lead = supplier.leadTimeDays();
    BigDecimal safety = avg.multiply(BigDecimal.valueOf(settings.safetyDays()), EXACT);
    BigDecimal reorderPoint = avg.multiply(lead, EXACT).add(safety, EXACT);
    BigDecimal target =
        avg.multiply(lead.add(BigDecimal.valueOf(settings.reviewDays())), EXACT).add(safety, EXACT);
    BigDecimal order = BigDecimal.ZERO;
    if (avg.signum() > 0 && position.compareTo(reorderPoint) <= 0) {
      BigDecimal wanted = target.subtract(position, EXACT).max(supplier.minOrderQty());
      BigDecimal pack = supplier.packSize();
      order = wanted.divide(pack, 0, RoundingMode.CEILING).multiply(pack);
    }
    BigDecimal value = onHand.max(BigDecimal.ZERO).multiply(supplier.unitCost(), EXACT);
    String status;
    if (onHand.signum() <= 0) {
      status = OUT_OF_STOCK;
    } else if (avg.signum() > 0 && cover.compareTo(lead) < 0) {
      status = EMERGENCY;
    } else if (position.compareTo(reorderPoint) <= 0) {
      status = LOW;
    } else if ((cover != null && cover.compareTo(BigDecimal.valueOf(settings.overstockDays())) > 0)
        || (avg.signum() == 0 && onHand.signum() > 0)) {
      status = OVERSTOCK;
    } else {
      status = HEALTHY;
    }
    return new StockHealth(
        stock,
        supplier,
        avg,
        cover,
        safety,
        reorderPoint,
        target,
        position,
        order.stripTrailingZeros(),
        value,
        status);
  }

  public static BigDecimal halfUp(@Nullable BigDecimal value, int scale) {
    return value == null ? null : value.setScale(scale, RoundingMode.HALF_UP);
  }

  @Nullable
  public BigDecimal unitCost() {
    return supplier == null ? null : supplier.unitCost();
  }

  /** suggested_order_qty × unit_cost, rounded to cents. */
  @Nullable
  public BigDecimal lineValue() {
    return supplier == null
        ? null
        : halfUp(suggestedOrderQty.multiply(supplier.unitCost(), EXACT), 2);
  }

  /** The complete CSV's columns. */
  public static final List<String> COMPLETE_COLUMNS =
      List.of(
          "business_date",
          "store_id",
          "sku",
          "description",
          "supplier",
          "on_hand",
          "on_order",
          "sales_28d",
          "avg_daily_sales",
          "days_of_cover",
          "reorder_point",
          "suggested_order_qty",
          "stock_value",
          "status");

  /** The m2 (supplier order draft) CSV's columns. */
  public static final List<String> M2_COLUMNS =
      List.of(
          "supplier",
          "store_id",
          "sku",
          "description",
          "suggested_order_qty",
          "unit_cost",
          "line_value");

  /** The values of {@link #COMPLETE_COLUMNS}, rounded for output. */
  public List<Object> completeValues() {
    List<Object> v = new ArrayList<>();
    v.add(stock.businessDate());
    v.add(stock.storeId());
    v.add(stock.sku());
    v.add(stock.description());
    v.add(supplier == null ? null : supplier.supplier());
    v.add(plain(stock.onHand()));
    v.add(plain(stock.onOrder()));
    v.add(plain(stock.sales28d()));
    v.add(halfUp(avgDailySales, 4));
    v.add(halfUp(daysOfCover, 1));
    v.add(halfUp(reorderPoint, 2));
    v.add(plain(suggestedOrderQty));
    v.add(halfUp(stockValue, 2));
    v.add(status);
    return v;
  }

  /** The values of {@link #M2_COLUMNS}. */
  public List<Object> m2Values() {
    return List.of(
        supplier.supplier(),
        stock.storeId(),
        stock.sku(),
        stock.description(),
        plain(suggestedOrderQty),
        plain(supplier.unitCost()),
        lineValue());
  }

  static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}

package dev.medallion.transforms.inventory;

import dev.medallion.ops.ErrorClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;

/** One purchase-order line from a PO file. */
public record PoLine(
    LocalDate businessDate,
    String poNumber,
    String supplier,
    String storeId,
    String sku,
    BigDecimal orderedQty,
    BigDecimal receivedQty,
    LocalDate orderDate,
    LocalDate expectedDate,
    String status,
    String sourceFile,
    int rowNumber) {
  public static final Set<String> STATUSES = Set.of("open", "partial", "closed", "cancelled");

  public static PoLine from(SheetRow row, LocalDate date, String sourceFile)
      throws BadCellException {
    String status = row.requiredText("Status").toLowerCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      throw new BadCellException(
          ErrorClass.INVALID_VALUE,
          row.ref("Status")
              + ": '"
              + row.text("Status")
              + "' is not a status (open, partial, closed, cancelled)");
    }
    return new PoLine(
        date,
        row.requiredText("PO Number"),
        row.requiredText("Supplier"),
        row.requiredText("Store"),
        row.requiredText("SKU"),
        row.number("Ordered Qty"),
        row.number("Received Qty"),
        row.date("Order Date"),
        row.date("Expected Date"),
        status,
        sourceFile,
        row.rowNumber());
  }

  /** Still to come: not closed or cancelled, and less received than ordered. */
  public boolean open() {
    return !status.equals("closed")
        && !status.equals("cancelled")
        && receivedQty.compareTo(orderedQty) < 0;
  }
}

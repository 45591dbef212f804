package dev.medallion.transforms.inventory;

import dev.medallion.ops.ErrorClass;
import java.math.BigDecimal;
import java.time.LocalDate;

/** One SKU's supplier terms from a supplier master file. */
public record SupplierRow(
    LocalDate fileDate,
    String sku,
    String supplier,
    BigDecimal leadTimeDays,
    BigDecimal minOrderQty,
    BigDecimal packSize,
    BigDecimal unitCost,
    String sourceFile,
    int rowNumber) {

  public static SupplierRow from(SheetRow row, LocalDate fileDate, String sourceFile)
      throws BadCellException {
    BigDecimal unitCost = row.number("Unit Cost");
    if (unitCost.signum() < 0) {
      throw new BadCellException(
          ErrorClass.INVALID_VALUE, row.ref("Unit Cost") + ": a unit cost cannot be negative");
    }
    return new SupplierRow(
        fileDate,
        row.requiredText("SKU"),
        row.requiredText("Supplier"),
        row.wholeNumber("Lead Time Days", 0),
        row.wholeNumber("Min Order Qty", 0),
        row.wholeNumber("Pack Size", 1),
        unitCost,
        sourceFile,
        row.rowNumber());
  }
}

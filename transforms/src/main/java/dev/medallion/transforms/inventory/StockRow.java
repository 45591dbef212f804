package dev.medallion.transforms.inventory;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One SKU's stock at one store on one business date, as a store's stock file states it. */
public record StockRow(
    LocalDate businessDate,
    String storeId,
    String sku,
    String description,
    BigDecimal onHand,
    BigDecimal onOrder,
    BigDecimal sales28d,
    String sourceFile,
    int rowNumber) {

  /** Reads a data row; a {@code Store} cell, when present, wins over the file name's store. */
  public static StockRow from(SheetRow row, LocalDate date, String fileStore, String sourceFile)
      throws BadCellException {
    String store = row.text("Store");
    return new StockRow(
        date,
        store.isEmpty() ? fileStore : store,
        row.requiredText("SKU"),
        row.text("Description"),
        row.number("On Hand"),
        row.number("On Order"),
        row.number("Sales 28d"),
        sourceFile,
        row.rowNumber());
  }
}

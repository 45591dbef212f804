package dev.medallion.transforms.inventory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which sheet of a workbook to read and the columns it holds: the sheet by name, or (when allowed)
 * the first sheet when no sheet has that name.
 */
public record SheetLayout(String sheetName, boolean firstSheetWhenMissing, List<ColumnSpec> columns)
    implements Serializable {
  /** How many rows from the top may come before the header (title rows are common). */
  public static final int HEADER_SEARCH_ROWS = 10;

  public SheetLayout {
    columns = List.copyOf(columns);
  }

  /** The sheet to read among {@code names}: the named one (case ignored), else maybe the first. */
  public Optional<String> choose(List<String> names) {
    for (String n : names) {
      if (n.strip().equalsIgnoreCase(sheetName)) {
        return Optional.of(n);
      }
    }
    return firstSheetWhenMissing && !names.isEmpty() ? Optional.of(names.get(0)) : Optional.empty();
  }

  /** This layout with extra aliases per column name (from config); unknown names are ignored. */
  public SheetLayout withAliases(Map<String, List<String>> aliases) {
    List<ColumnSpec> out = new ArrayList<>();
    for (ColumnSpec c : columns) {
      List<String> more = aliases.get(ColumnSpec.normalized(c.name()));
      out.add(more == null ? c : c.withAliases(more));
    }
    return new SheetLayout(sheetName, firstSheetWhenMissing, out);
  }

  public static final SheetLayout STOCK =
      new SheetLayout(
          "Stock",
          true,
          List.of(
              ColumnSpec.required("SKU"),
              ColumnSpec.optional("Description"),
              ColumnSpec.required("On Hand"),
              ColumnSpec.required("On Order"),
              ColumnSpec.required("Sales 28d", "Sales Last 28 Days", "Units Sold 28d"),
              ColumnSpec.optional("Store")));

  public static final SheetLayout SUPPLIERS =
      new SheetLayout(
          "Suppliers",
          false,
          List.of(
              ColumnSpec.required("SKU"),
              ColumnSpec.required("Supplier"),
              ColumnSpec.required("Lead Time Days"),
              ColumnSpec.required("Min Order Qty"),
              ColumnSpec.required("Pack Size"),
              ColumnSpec.required("Unit Cost")));

  public static final SheetLayout PO_LINES =
      new SheetLayout(
          "PO Lines",
          false,
          List.of(
              ColumnSpec.required("PO Number"),
              ColumnSpec.required("Supplier"),
              ColumnSpec.required("Store"),
              ColumnSpec.required("SKU"),
              ColumnSpec.required("Ordered Qty"),
              ColumnSpec.required("Received Qty"),
              ColumnSpec.required("Order Date"),
              ColumnSpec.required("Expected Date"),
              ColumnSpec.required("Status")));
}

package dev.medallion.transforms.inventory;

import java.util.Locale;

/** What an inventory file holds, and so how it is read. */
public enum FileKind {
  STOCK(SheetLayout.STOCK),
  SUPPLIERS(SheetLayout.SUPPLIERS),
  PO(SheetLayout.PO_LINES);

  private final SheetLayout layout;

  FileKind(SheetLayout layout) {
    this.layout = layout;
  }

  public SheetLayout layout() {
    return layout;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FileKind parse(String label) {
    try {
      return valueOf(label.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "file kind '" + label + "' is not one of stock, suppliers, po", e);
    }
  }
}

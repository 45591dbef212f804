package dev.medallion.pipelines;

import dev.medallion.platform.LayerTables;
import dev.medallion.transforms.inventory.FileKind;
import dev.medallion.transforms.inventory.InventoryTables;
import dev.medallion.transforms.inventory.PublishSnapshots;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * PO snapshots (issue 11): PO files into silver, then per business date the open lines and the
 * per-supplier summary (gold.po_open_lines, gold.po_supplier_summary and a CSV of the open lines).
 */
public final class PoSnapshotsPipeline extends InventoryPipeline {
  @Override
  public String name() {
    return "po_snapshots";
  }

  @Override
  public String description() {
    return "Inventory: PO line XLSX -> per-date open PO lines, supplier summary and CSV.";
  }

  @Override
  public List<LayerTables> layers() {
    return layersOf(
        List.of(InventoryTables.PO_LINES),
        List.of(InventoryTables.PO_OPEN_LINES, InventoryTables.PO_SUPPLIER_SUMMARY));
  }

  @Override
  Set<FileKind> kinds() {
    return EnumSet.of(FileKind.PO);
  }

  @Override
  PublishSnapshots.Kind snapshot() {
    return PublishSnapshots.Kind.PO_SNAPSHOTS;
  }

  @Override
  String datedSilverTable() {
    return InventoryTables.PO_LINES;
  }

  @Override
  String datedGoldTable() {
    return InventoryTables.PO_SUPPLIER_SUMMARY;
  }
}

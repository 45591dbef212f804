package dev.medallion.pipelines;

import dev.medallion.platform.LayerTables;
import dev.medallion.transforms.inventory.FileKind;
import dev.medallion.transforms.inventory.InventoryTables;
import dev.medallion.transforms.inventory.PublishSnapshots;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Stock health (issue 11): store stock files and the supplier master into silver, then per business
 * date the stock-health snapshot (gold.stock_health, gold.supplier_order_draft,
 * gold.stock_health_store_summary and the complete, _m2 and _emergency CSVs). README "Inventory
 * pipelines" has every formula.
 */
public final class StockHealthPipeline extends InventoryPipeline {
  @Override
  public String name() {
    return "stock_health";
  }

  @Override
  public String description() {
    return "Inventory: store stock XLSX + supplier master -> per-date stock health, order draft,"
        + " store summary and CSVs.";
  }

  @Override
  public List<LayerTables> layers() {
    return layersOf(
        List.of(InventoryTables.STOCK, InventoryTables.SUPPLIERS),
        List.of(
            InventoryTables.STOCK_HEALTH,
            InventoryTables.ORDER_DRAFT,
            InventoryTables.STORE_SUMMARY));
  }

  @Override
  Set<FileKind> kinds() {
    return EnumSet.of(FileKind.STOCK, FileKind.SUPPLIERS);
  }

  @Override
  PublishSnapshots.Kind snapshot() {
    return PublishSnapshots.Kind.STOCK_HEALTH;
  }

  @Override
  String datedSilverTable() {
    return InventoryTables.STOCK;
  }

  @Override
  String datedGoldTable() {
    return InventoryTables.STOCK_HEALTH;
  }
}

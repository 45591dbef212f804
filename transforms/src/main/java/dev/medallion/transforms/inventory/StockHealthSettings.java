package dev.medallion.transforms.inventory;

import java.io.Serializable;

/** The stock-health parameters from the pipeline's config (README "Inventory pipelines"). */
public record StockHealthSettings(int safetyDays, int reviewDays, int overstockDays)
    implements Serializable {
  public static final StockHealthSettings DEFAULTS = new StockHealthSettings(7, 14, 90);
}

package dev.medallion.ops;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The medallion layers, in the order data flows through them. */
public enum Layer {
  BRONZE,
  SILVER,
  GOLD,
  PLATINUM;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One layer by its label, e.g. "silver". */
  public static Layer parseOne(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT));
  }

  /** Parses "all" or a comma-separated list such as "bronze,silver". */
  public static Set<Layer> parse(String text, Set<Layer> available) {
    if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
      return EnumSet.copyOf(available);
    }
    Set<Layer> layers = EnumSet.noneOf(Layer.class);
    for (String part : text.split(",")) {
      String name = part.strip();
      Layer layer = null;
      for (Layer candidate : values()) {
        if (candidate.label().equalsIgnoreCase(name)) {
          layer = candidate;
        }
      }
      if (layer == null || !available.contains(layer)) {
        throw new IllegalArgumentException(
            "Unknown layer '"
                + name
                + "' for --layers: use all or a comma-separated list of "
                + String.join(",", available.stream().map(Layer::label).toList()));
      }
      layers.add(layer);
    }
    return layers;
  }
}

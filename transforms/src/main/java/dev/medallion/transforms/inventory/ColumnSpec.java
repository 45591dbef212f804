package dev.medallion.transforms.inventory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One column a sheet must or may have: its name and the other headers that mean the same. Headers
 * match ignoring case, spaces and underscores, so {@code On Hand}, {@code on_hand} and {@code
 * ONHAND} are one column.
 */
public record ColumnSpec(String name, boolean required, List<String> aliases)
    implements Serializable {
  public ColumnSpec {
    aliases = List.copyOf(aliases);
  }

  public static ColumnSpec required(String name, String... aliases) {
    return new ColumnSpec(name, true, List.of(aliases));
  }

  public static ColumnSpec optional(String name, String... aliases) {
    return new ColumnSpec(name, false, List.of(aliases));
  }

  /** This column with {@code more} aliases (from config) added. */
  public ColumnSpec withAliases(List<String> more) {
    List<String> all = new ArrayList<>(aliases);
    all.addAll(more);
    return new ColumnSpec(name, required, all);
  }

  public boolean matches(String header) {
    String key = normalized(header);
    if (key.isEmpty()) {
      return false;
    }
    if (key.equals(normalized(name))) {
      return true;
    }
    return aliases.stream().anyMatch(a -> key.equals(normalized(a)));
  }

  /** The header without case, spaces (any white space) and underscores. */
  public static String normalized(String header) {
    StringBuilder out = new StringBuilder(header.length());
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (!Character.isWhitespace(c) && c != '_' && c != '\u00A0') {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}

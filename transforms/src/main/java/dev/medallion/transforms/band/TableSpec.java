package dev.medallion.transforms.band;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A table's name, natural key and value columns: enough to write its upsert. */
public record TableSpec(String name, List<String> keyColumns, List<String> valueColumns) implements Serializable {
  public TableSpec {
    keyColumns = List.copyOf(keyColumns);
    valueColumns = List.copyOf(valueColumns);
  }

  public List<String> allColumns() {
    List<String> all = new ArrayList<>(keyColumns);
    all.addAll(valueColumns);
    return all;
  }

  /**
   * An upsert from one JSON object of column values that changes a row only when a value differs,
   * so a re-run leaves the table identical (updated_at included).
   */
  public String upsertSql() {
    String columns = String.join(", ", allColumns());
    StringBuilder set = new StringBuilder();
    StringBuilder current = new StringBuilder();
    StringBuilder excluded = new StringBuilder();
    for (String column : valueColumns) {
      set.append(column).append(" = EXCLUDED.").append(column).append(", ");
      current.append(current.length() == 0 ? "" : ", ").append("t.").append(column);
      excluded.append(excluded.length() == 0 ? "" : ", ").append("EXCLUDED.").append(column);
    }
    return "INSERT INTO " + name + " AS t (" + columns + ") SELECT " + columns
        + " FROM jsonb_populate_record(NULL::" + name + ", CAST(? AS jsonb))"
        + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + set + "updated_at = now()"
        + " WHERE (" + current + ", NULL) IS DISTINCT FROM (" + excluded + ", NULL)";
  }
}

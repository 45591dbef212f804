package dev.medallion.core.table;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * One table, declared once: its columns (each with how to get its value from a row of type {@code
 * T}), its key, and what a write does when the key exists. Every statement and column list that
 * touches the table is derived from this, so no column list is kept by hand in two places and no
 * statement binds by position against a separately written list.
 *
 * <pre>{@code
 * static final TableSpec<Sale> SALES = TableSpec.<Sale>named("silver.sales")
 *     .column("sale_id", Sale::getId)
 *     .jsonColumn("payload", Sale::getPayloadJson)
 *     .key("sale_id")
 *     .onConflict(OnConflict.UPDATE_CHANGED)
 *     .touching("updated_at")
 *     .build();
 * }</pre>
 */
public final class TableSpec<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a write does with a row whose key is already in the table. */
  public enum OnConflict {
    /** The row already there wins: the first writer of a key keeps it (files, bronze). */
    KEEP_EXISTING,
    /** The new values replace the old ones, but only when one differs, so a re-run changes nothing. */
    UPDATE_CHANGED
  }

  /** One column: its name, whether it holds JSON, and its value for a row (unset for tables written from JSON rows). */
  public record Column<T>(String name, boolean json, SerializableFunction<T, Object> value) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String name;
  private final List<Column<T>> columns;
  private final List<String> keyColumns;
  private final OnConflict onConflict;
  private final String touchedColumn;

  private TableSpec(Builder<T> builder) {
    this.name = builder.name;
    this.columns = List.copyOf(builder.columns);
    this.keyColumns = List.copyOf(builder.keyColumns);
    this.onConflict = builder.onConflict;
    this.touchedColumn = builder.touchedColumn;
    for (String key : keyColumns) {
      if (columnNames().stream().noneMatch(key::equals)) {
        throw new IllegalArgumentException(name + ": key column " + key + " is not one of its columns");
      }
    }
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a key");
    }
  }

  public static <T> Builder<T> named(String qualifiedName) {
    return new Builder<>(qualifiedName);
  }

  /** Schema-qualified, e.g. {@code silver.edge_transactions}. */
  public String name() {
    return name;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public List<String> valueColumns() {
    return columnNames().stream().filter(c -> !keyColumns.contains(c)).toList();
  }

  public OnConflict onConflict() {
    return onConflict;
  }

  /** The row's values in {@link #columnNames()} order. */
  public Object[] values(T row) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      SerializableFunction<T, Object> value = columns.get(i).value();
      if (value == null) {
        throw new IllegalStateException(name + "." + columns.get(i).name() + " has no value function: write it from JSON rows");
      }
      values[i] = value.apply(row);
    }
    return values;
  }

  /** Binds a row to {@link #insertSql()}. */
  public void bind(PreparedStatement ps, T row) throws SQLException {
    Object[] values = values(row);
    for (int i = 0; i < values.length; i++) {
      ps.setObject(i + 1, values[i]);
    }
  }

  /** {@code ON CONFLICT (key) ...} for an INSERT whose target is aliased {@code t}. */
  public String onConflictClause() {
    String conflict = "ON CONFLICT (" + String.join(", ", keyColumns) + ")";
    List<String> values = valueColumns();
    if (onConflict == OnConflict.KEEP_EXISTING || values.isEmpty()) {
      return conflict + " DO NOTHING";
    }
    String set = values.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    if (touchedColumn != null) {
      set += ", " + touchedColumn + " = now()";
    }
    return conflict + " DO UPDATE SET " + set
        + " WHERE (" + values.stream().map(c -> "t." + c).collect(Collectors.joining(", ")) + ") IS DISTINCT FROM ("
        + values.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", ")) + ")";
  }

  /** An INSERT of one row with one placeholder per column (JSON columns cast), and the conflict rule. */
  public String insertSql() {
    String placeholders = columns.stream().map(c -> c.json() ? "CAST(? AS jsonb)" : "?").collect(Collectors.joining(", "));
    return "INSERT INTO " + name + " AS t (" + String.join(", ", columnNames()) + ") VALUES (" + placeholders + ") "
        + onConflictClause();
  }

  /** An INSERT of one row given as a JSON object whose keys are column names, and the conflict rule. */
  public String insertFromJsonSql() {
    String list = String.join(", ", columnNames());
    return "INSERT INTO " + name + " AS t (" + list + ") SELECT " + list
        + " FROM jsonb_populate_record(NULL::" + name + ", CAST(? AS jsonb)) " + onConflictClause();
  }

  /** The columns for a SELECT, JSON columns read as text. */
  public String selectList() {
    return columns.stream().map(c -> c.json() ? c.name() + "::text AS " + c.name() : c.name()).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSpec<?> other && other.name.equals(name) && other.columnNames().equals(columnNames());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, columnNames());
  }

  /** Declares a table. */
  public static final class Builder<T> {
    private final String name;
    private final List<Column<T>> columns = new ArrayList<>();
    private final List<String> keyColumns = new ArrayList<>();
    private OnConflict onConflict = OnConflict.UPDATE_CHANGED;
    private String touchedColumn;

    private Builder(String name) {
      if (!name.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("Not a schema-qualified table name: " + name);
      }
      this.name = name;
    }

    public Builder<T> column(String column, SerializableFunction<T, Object> value) {
      return add(new Column<>(column, false, value));
    }

    public Builder<T> jsonColumn(String column, SerializableFunction<T, Object> value) {
      return add(new Column<>(column, true, value));
    }

    /** Columns of a table written from JSON rows ({@link #insertFromJsonSql()}): names only. */
    public Builder<T> columns(List<String> names) {
      names.forEach(column -> add(new Column<>(column, false, null)));
      return this;
    }

    public Builder<T> key(String... columns) {
      keyColumns.addAll(List.of(columns));
      return this;
    }

    public Builder<T> onConflict(OnConflict rule) {
      this.onConflict = rule;
      return this;
    }

    /** A column set to now() whenever an existing row changes (updated_at, last_updated). */
    public Builder<T> touching(String column) {
      this.touchedColumn = column;
      return this;
    }

    public TableSpec<T> build() {
      return new TableSpec<>(this);
    }

    private Builder<T> add(Column<T> column) {
      if (!column.name().matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("Not a column name: " + column.name());
      }
      if (columns.stream().anyMatch(c -> c.name().equals(column.name()))) {
        throw new IllegalArgumentException(name + " declares " + column.name() + " twice");
      }
      columns.add(column);
      return this;
    }
  }
}

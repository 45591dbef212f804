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
    /**
     * The new values replace the old ones, but only when one differs, so a re-run changes nothing.
     */
    UPDATE_CHANGED
  }

  /**
   * One column: its name, whether it holds JSON, and its value for a row (unset for tables written
   * from JSON rows).
   */
  public record Column<T>(String name, boolean json, SerializableFunction<T, Object> value)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String name;
  private final List<Column<T>> columns;
  private final List<String> keyColumns;
  private final OnConflict onConflict;
  private final String touchedColumn;

  /** Columns the database fills (DEFAULT now(), a status): read, never written by an insert. */
  private final List<String> generatedColumns;

  private TableSpec(Builder<T> builder) {
    this.name = builder.name;
    this.columns = List.copyOf(builder.columns);
    this.generatedColumns = List.copyOf(builder.generatedColumns);
    this.keyColumns = List.copyOf(builder.keyColumns);
    this.onConflict = builder.onConflict;
    this.touchedColumn = builder.touchedColumn;
    for (String key : keyColumns) {
      if (columnNames().stream().noneMatch(key::equals)) {
        throw new IllegalArgumentException(
            name + ": key column " + key + " is not one of its columns");
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

  /** The written columns, then those the database fills: every column a read may name. */
  public List<String> readableColumnNames() {
    List<String> names = new ArrayList<>(columnNames());
    names.addAll(generatedColumns);
    return names;
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
        throw new IllegalStateException(
            name + "." + columns.get(i).name() + " has no value function: write it from JSON rows");
      }
      values[i] = value.apply(row);
    }
    return values;
  }

  /** The row's values of the named columns, in that order. */
  public Object[] values(T row, List<String> columnNames) {
    Object[] all = values(row);
    List<String> names = columnNames();
    Object[] chosen = new Object[columnNames.size()];
    for (int i = 0; i < chosen.length; i++) {
      int index = names.indexOf(columnNames.get(i));
      if (index < 0) {
        throw new IllegalArgumentException(name + " writes no column " + columnNames.get(i));
      }
      chosen[i] = all[index];
    }
    return chosen;
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
    return onConflictClause(onConflict);
  }

  /**
   * The conflict clause under another rule than the table's own: a step that must not overwrite
   * (the first writer of a key wins) inserts into an updating table with {@link
   * OnConflict#KEEP_EXISTING}.
   */
  public String onConflictClause(OnConflict onConflict) {
    String conflict = "ON CONFLICT (" + String.join(", ", keyColumns) + ")";
    List<String> values = valueColumns();
    if (onConflict == OnConflict.KEEP_EXISTING || values.isEmpty()) {
      return conflict + " DO NOTHING";
    }
    String set = values.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    if (touchedColumn != null) {
      set += ", " + touchedColumn + " = now()";
    }
    return conflict
        + " DO UPDATE SET "
        + set
        + " WHERE ("
        + values.stream().map(c -> "t." + c).collect(Collectors.joining(", "))
        + ") IS DISTINCT FROM ("
        + values.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * An INSERT of one row with one placeholder per column (JSON columns cast), and the conflict
   * rule.
   */
  public String insertSql() {
    return insertSql(onConflict);
  }

  /**
   * {@link #insertSql()} under another conflict rule, see {@link #onConflictClause(OnConflict)}.
   */
  public String insertSql(OnConflict onConflict) {
    String placeholders =
        columns.stream()
            .map(c -> c.json() ? "CAST(? AS jsonb)" : "?")
            .collect(Collectors.joining(", "));
    return "INSERT INTO "
        + name
        + " AS t ("
        + String.join(", ", columnNames())
        + ") VALUES ("
        + placeholders
        + ") "
        + onConflictClause(onConflict);
  }

  /**
   * An UPDATE of the row found by the key, setting the other columns where one differs; the
   * placeholders follow {@link #columnNames()}, so {@link #bind} binds it like the insert. Keys
   * that are not in the table change nothing. For a spec {@link #derive derived} from a table to
   * update some of its columns (a status).
   */
  public String updateSql() {
    List<String> values = valueColumns();
    if (values.isEmpty()) {
      throw new IllegalStateException(name + " has only key columns: nothing to update");
    }
    String placeholders =
        columns.stream()
            .map(c -> c.json() ? "CAST(? AS jsonb)" : "?")
            .collect(Collectors.joining(", "));
    return "UPDATE "
        + name
        + " AS t SET "
        + values.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
        + (touchedColumn == null ? "" : ", " + touchedColumn + " = now()")
        + " FROM (VALUES ("
        + placeholders
        + ")) AS s ("
        + String.join(", ", columnNames())
        + ") WHERE "
        + keyColumns.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(" AND "))
        + " AND ("
        + values.stream().map(c -> "t." + c).collect(Collectors.joining(", "))
        + ") IS DISTINCT FROM ("
        + values.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * An INSERT of one row given as a JSON object whose keys are column names, and the conflict rule.
   */
  public String insertFromJsonSql() {
    String list = String.join(", ", columnNames());
    return "INSERT INTO "
        + name
        + " AS t ("
        + list
        + ") SELECT "
        + list
        + " FROM jsonb_populate_record(NULL::"
        + name
        + ", CAST(? AS jsonb)) "
        + onConflictClause();
  }

  /** The columns for a SELECT, JSON columns read as text. */
  public String selectList() {
    return selectList(readableColumnNames());
  }

  /**
   * Some of the columns for a SELECT (written or filled by the database), JSON columns read as
   * text.
   */
  public String selectList(String... columnNames) {
    return selectList(List.of(columnNames));
  }

  /**
   * Every column for a SELECT, one of them replaced by an expression: a read that does not need a
   * large column still returns a row the same mapper reads (e.g. {@code "'{}'"} for a payload).
   */
  public String selectListReplacing(String column, String expression) {
    checkReadable(column);
    return readableColumnNames().stream()
        .map(c -> c.equals(column) ? expression + " AS " + c : selected(c))
        .collect(Collectors.joining(", "));
  }

  private String selectList(List<String> columnNames) {
    columnNames.forEach(this::checkReadable);
    return columnNames.stream().map(this::selected).collect(Collectors.joining(", "));
  }

  private String selected(String column) {
    boolean json = columns.stream().anyMatch(c -> c.name().equals(column) && c.json());
    return json ? column + "::text AS " + column : column;
  }

  private void checkReadable(String column) {
    if (!readableColumnNames().contains(column)) {
      throw new IllegalArgumentException(name + " has no column " + column);
    }
  }

  /**
   * Declares a statement-sized view of this table over some of its columns (for example the key and
   * a status, to update rows already there): the builder refuses a column this table does not have,
   * so the names stay this table's.
   */
  public <U> Builder<U> derive() {
    Builder<U> builder = new Builder<>(name);
    builder.known = readableColumnNames();
    return builder;
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSpec<?> other
        && other.name.equals(name)
        && other.columnNames().equals(columnNames());
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
    private final List<String> generatedColumns = new ArrayList<>();

    /**
     * Set for a {@link TableSpec#derive derived} spec: the columns of the table it derives from.
     */
    private List<String> known;

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

    /**
     * A column the database fills (a DEFAULT such as now(), or a status a later step sets): read,
     * never inserted.
     */
    public Builder<T> generated(String column) {
      checkColumn(column);
      generatedColumns.add(column);
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

    private void checkColumn(String column) {
      if (!column.matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("Not a column name: " + column);
      }
      if (known != null && !known.contains(column)) {
        throw new IllegalArgumentException(name + " has no column " + column);
      }
    }

    private Builder<T> add(Column<T> column) {
      checkColumn(column.name());
      if (columns.stream().anyMatch(c -> c.name().equals(column.name()))) {
        throw new IllegalArgumentException(name + " declares " + column.name() + " twice");
      }
      columns.add(column);
      return this;
    }
  }
}

package dev.medallion.io.jdbc;

import dev.medallion.core.table.TableSpec;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.postgresql.PGConnection;

/**
 * Writes rows the fast way PostgreSQL offers and stays idempotent: each batch is COPYed into a
 * temporary staging table (not WAL-logged) and merged into the target with one statement, in one
 * transaction; a retried batch merges the same rows again, which the merge turns into no change.
 * Inserts first try COPY straight into the table, which is all a batch of new keys needs.
 *
 * <pre>
 * rows -> ToCopyLines -> SpreadOverWriters -> FillBatches (GroupIntoBatches) -> CopyThenMerge
 * </pre>
 *
 * <p>Batches are filled before they are sent, so every batch but the last of each writer holds
 * exactly the batch size, however the runner cuts its bundles. The output is a completion signal
 * for {@code Wait.on}, like JdbcIO's {@code withResults()}.
 */
public final class CopyMergeWrite<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BATCH_SIZE = 10_000;
  public static final int DEFAULT_WRITERS = 2;

  /** An unbounded input still sends a part-filled batch after this long. */
  private static final Duration MAX_BUFFERING = Duration.standardSeconds(5);

  private final JdbcTarget target;
  private final String table;
  private final List<String> columns;
  private final String merge;

  /** Inserts only: the batch is first COPYed straight into the table, see {@link CopyMergeFn}. */
  private final boolean copyFirst;

  private final SerializableFunction<T, Object[]> toColumns;
  private final int batchSize;
  private final int writers;

  /** Names the sink's metrics: {@code sink/<label>_rows} and {@code sink/<label>_batch_rows}. */
  private final String label;

  private CopyMergeWrite(
      JdbcTarget target,
      String table,
      List<String> columns,
      String merge,
      boolean copyFirst,
      SerializableFunction<T, Object[]> toColumns,
      int batchSize,
      int writers,
      String label) {
    this.target = target;
    this.copyFirst = copyFirst;
    this.label = label;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.merge = merge;
    this.toColumns = toColumns;
    this.batchSize = batchSize;
    this.writers = writers;
  }

  /**
   * Inserts rows: {@code INSERT INTO table SELECT ... FROM staging <conflictClause>}.
   *
   * @param conflictClause what the merge does with an existing key, e.g. {@code ON CONFLICT (id) DO
   *     NOTHING}; the target table is aliased {@code t}
   * @param toColumns the element's values in {@code columns} order: String, Number, Boolean,
   *     OffsetDateTime, UUID or null; JSON goes as its text
   */
  public static <T> CopyMergeWrite<T> into(
      JdbcTarget target,
      String table,
      List<String> columns,
      String conflictClause,
      SerializableFunction<T, Object[]> toColumns) {
    checkNames(table, columns);
    String list = String.join(", ", columns);
    String merge =
        "INSERT INTO "
            + table
            + " AS t ("
            + list
            + ") SELECT "
            + list
            + " FROM "
            + stagingTable(table, columns)
            + " "
            + conflictClause;
    return new CopyMergeWrite<>(
        target, table, columns, merge, true, toColumns, DEFAULT_BATCH_SIZE, DEFAULT_WRITERS, table);
  }

  /**
   * Inserts rows into a declared table: its columns, its conflict rule and its values, all from the
   * spec.
   */
  public static <T> CopyMergeWrite<T> into(JdbcTarget target, TableSpec<T> spec) {
    return into(target, spec.name(), spec.columnNames(), spec.onConflictClause(), spec::values);
  }

  /**
   * Updates rows already in a table, found by the spec's key, setting its other columns where they
   * differ (a spec {@link TableSpec#derive derived} from the table for the purpose, e.g. a status).
   */
  public static <T> CopyMergeWrite<T> updating(JdbcTarget target, TableSpec<T> spec) {
    List<String> ordered = new ArrayList<>(spec.keyColumns());
    ordered.addAll(spec.valueColumns());
    return updating(
        target,
        spec.name(),
        spec.keyColumns(),
        spec.valueColumns(),
        row -> spec.values(row, ordered));
  }

  /**
   * Updates existing rows found by {@code keyColumns}, setting {@code valueColumns} where they
   * differ; keys that are not in the table change nothing.
   *
   * @param toColumns the element's key values, then its new values, in the order of the two lists
   */
  public static <T> CopyMergeWrite<T> updating(
      JdbcTarget target,
      String table,
      List<String> keyColumns,
      List<String> valueColumns,
      SerializableFunction<T, Object[]> toColumns) {
    List<String> columns = new ArrayList<>(keyColumns);
    columns.addAll(valueColumns);
    checkNames(table, columns);
    String merge =
        "UPDATE "
            + table
            + " AS t SET "
            + valueColumns.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
            + " FROM "
            + stagingTable(table, columns)
            + " AS s WHERE "
            + keyColumns.stream()
                .map(c -> "t." + c + " = s." + c)
                .collect(Collectors.joining(" AND "))
            + " AND ("
            + valueColumns.stream().map(c -> "t." + c).collect(Collectors.joining(", "))
            + ") IS DISTINCT FROM ("
            + valueColumns.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
            + ")";
    return new CopyMergeWrite<>(
        target,
        table,
        columns,
        merge,
        false,
        toColumns,
        DEFAULT_BATCH_SIZE,
        DEFAULT_WRITERS,
        table + "_update");
  }

  public CopyMergeWrite<T> withBatchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("withBatchSize() needs at least 1 row, got " + rows);
    }
    return new CopyMergeWrite<>(
        target, table, columns, merge, copyFirst, toColumns, rows, writers, label);
  }

  /**
   * How many batches are filled and written at once; each writer sends at most one part-filled
   * batch.
   */
  public CopyMergeWrite<T> withWriters(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("withWriters() needs at least 1 writer, got " + count);
    }
    return new CopyMergeWrite<>(
        target, table, columns, merge, copyFirst, toColumns, batchSize, count, label);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> rows) {
    int spread = writers;
    return rows.apply("ToCopyLines", MapElements.via(new ToCopyLine<>(toColumns)))
        .apply(
            "SpreadOverWriters",
            WithKeys.of((String line) -> Math.floorMod(line.hashCode(), spread))
                .withKeyType(TypeDescriptors.integers()))
        .apply(
            "FillBatches",
            GroupIntoBatches.<Integer, String>ofSize(batchSize)
                .withMaxBufferingDuration(MAX_BUFFERING))
        .apply(
            "CopyThenMerge",
            ParDo.of(
                new CopyMergeFn(
                    target,
                    label,
                    copyFirst ? directCopyStatement() : null,
                    createStaging(),
                    copyStatement(),
                    merge)));
  }

  private static void checkNames(String table, List<String> columns) {
    if (table == null || !table.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
      throw new IllegalArgumentException(
          "CopyMergeWrite needs a plain [schema.]table name, got " + table);
    }
    if (columns == null
        || columns.isEmpty()
        || !columns.stream().allMatch(c -> c.matches("[a-z_][a-z0-9_]*"))) {
      throw new IllegalArgumentException("CopyMergeWrite needs plain column names, got " + columns);
    }
  }

  /**
   * One staging table per target table and column list: a pooled connection may serve several
   * sinks.
   */
  static String stagingTable(String table, List<String> columns) {
    return "medallion_stage_"
        + table.replace('.', '_')
        + "_"
        + Integer.toHexString(columns.hashCode());
  }

  String createStaging() {
    return "CREATE TEMP TABLE IF NOT EXISTS "
        + stagingTable(table, columns)
        + " ON COMMIT DELETE ROWS AS SELECT "
        + String.join(", ", columns)
        + " FROM "
        + table
        + " WITH NO DATA";
  }

  String directCopyStatement() {
    return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
  }

  String copyStatement() {
    return "COPY "
        + stagingTable(table, columns)
        + " ("
        + String.join(", ", columns)
        + ") FROM STDIN";
  }

  /** The statement that moves a staged batch into the table. */
  public String mergeStatement() {
    return merge;
  }

  /** One row in COPY's text format, newline included. */
  public static String copyLine(Object[] values) {
    StringBuilder line = new StringBuilder(256);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append('\t');
      }
      Object value = values[i];
      if (value == null) {
        line.append("\\N");
      } else if (value instanceof BigDecimal decimal) {
        line.append(decimal.toPlainString());
      } else if (value instanceof Number
          || value instanceof Boolean
          || value instanceof java.util.UUID
          || value instanceof OffsetDateTime) {
        line.append(value);
      } else {
        escape(value.toString(), line);
      }
    }
    return line.append('\n').toString();
  }

  private static void escape(String text, StringBuilder line) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> line.append("\\\\");
        case '\t' -> line.append("\\t");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\u0000' -> {}
        default -> line.append(c);
      }
    }
  }

  private static final class ToCopyLine<T> extends SimpleFunction<T, String> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, Object[]> toColumns;

    ToCopyLine(SerializableFunction<T, Object[]> toColumns) {
      this.toColumns = toColumns;
    }

    @Override
    public String apply(T row) {
      return copyLine(toColumns.apply(row));
    }
  }

  /**
   * Writes one batch in one transaction. New keys are the common case, so an insert first COPYs the
   * batch straight into the table; only a batch that meets an existing key (a unique violation,
   * rolled back to a savepoint) pays for the staging table and the merge. Either way the table ends
   * as the merge alone would leave it.
   */
  static final class CopyMergeFn extends DoFn<KV<Integer, Iterable<String>>, Void> {
    private static final long serialVersionUID = 1L;
    private static final String UNIQUE_VIOLATION = "23505";
    private final JdbcTarget target;
    private final String directCopy;
    private final String createStaging;
    private final String copy;
    private final String merge;
    private final Counter rowsWritten;
    private final Counter batchesMerged;
    private final Distribution batchRows;

    CopyMergeFn(
        JdbcTarget target,
        String label,
        String directCopy,
        String createStaging,
        String copy,
        String merge) {
      this.target = target;
      this.directCopy = directCopy;
      this.createStaging = createStaging;
      this.copy = copy;
      this.merge = merge;
      this.rowsWritten = Metrics.counter("sink", label + "_rows");
      this.batchesMerged = Metrics.counter("sink", label + "_batches_merged");
      this.batchRows = Metrics.distribution("sink", label + "_batch_rows");
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> batch)
        throws SQLException, IOException {
      StringBuilder text = new StringBuilder(1 << 20);
      int rows = 0;
      for (String line : batch.getValue()) {
        text.append(line);
        rows++;
      }
      String batchText = text.toString();
      try (Connection connection = ConnectionPool.forTarget(target).getConnection()) {
        connection.setAutoCommit(false);
        try {
          if (directCopy == null || !copiedStraightIn(connection, batchText)) {
            stageAndMerge(connection, batchText);
            batchesMerged.inc();
          }
          connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      }
      rowsWritten.inc(rows);
      batchRows.update(rows);
    }

    /**
     * False when a row's key is already in the table; the batch is then undone and must be merged.
     */
    private boolean copiedStraightIn(Connection connection, String batchText)
        throws SQLException, IOException {
      Savepoint beforeCopy = connection.setSavepoint();
      try {
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(directCopy, new StringReader(batchText));
        connection.releaseSavepoint(beforeCopy);
        return true;
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback(beforeCopy);
        return false;
      }
    }

    private void stageAndMerge(Connection connection, String batchText)
        throws SQLException, IOException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(createStaging);
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(copy, new StringReader(batchText));
        statement.executeUpdate(merge);
      }
    }
  }
}

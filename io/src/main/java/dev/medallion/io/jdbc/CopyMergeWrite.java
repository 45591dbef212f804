package dev.medallion.io.jdbc;

import dev.medallion.core.table.TableSpec;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows the fast way PostgreSQL offers and stays idempotent: each batch is COPYed into a
 * temporary staging table (not WAL-logged) and merged into the target with one statement, in one
 * transaction; a retried batch merges the same rows again, which the merge turns into no change.
 * Inserts first try COPY straight into the table, which is all a batch of new keys needs.
 *
 * <p>Batches are filled before they are sent ({@link BatchWrite}), so every batch but the last of
 * each writer holds exactly the batch size, however the runner cuts its bundles. The output is a
 * completion signal for {@code Wait.on}, like JdbcIO's {@code withResults()}; {@link #withRejects}
 * adds the rows the database refused, while the rest of their batch lands.
 */
public final class CopyMergeWrite<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BATCH_SIZE = 10_000;
  public static final int DEFAULT_WRITERS = 2;

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

  /** See {@link BatchWrite#withWriters}: each writer sends at most one part-filled batch. */
  public CopyMergeWrite<T> withWriters(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("withWriters() needs at least 1 writer, got " + count);
    }
    return new CopyMergeWrite<>(
        target, table, columns, merge, copyFirst, toColumns, batchSize, count, label);
  }

  /**
   * Sets aside the rows the database refuses instead of failing the batch ({@link
   * BatchWrite#withRejects}): outputs {@link SinkRejects#WRITTEN} and {@link SinkRejects#REJECTED}.
   */
  public PTransform<PCollection<T>, PCollectionTuple> withRejects(
      SinkRejects.ToQuarantine<T> toQuarantine) {
    return batches().withRejects(toQuarantine);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> rows) {
    return rows.apply("CopyThenMerge", batches());
  }

  private BatchWrite<T> batches() {
    return BatchWrite.of(
            target,
            label,
            new CopyThenMerge<>(
                toColumns,
                label,
                copyFirst ? directCopyStatement() : null,
                createStaging(),
                copyStatement(),
                merge))
        .withBatchSize(batchSize)
        .withWriters(writers);
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

  /**
   * Writes rows inside the batch's transaction. New keys are the common case, so an insert first
   * COPYs the rows straight into the table; only rows that meet an existing key (a unique
   * violation: the copy's transaction is rolled back) pay for the staging table and the merge.
   * Either way the table ends as the merge alone would leave it.
   */
  static final class CopyThenMerge<T> implements BatchWrite.BatchStatement<T> {
    private static final long serialVersionUID = 1L;
    private static final String UNIQUE_VIOLATION = "23505";
    private final SerializableFunction<T, Object[]> toColumns;
    private final String directCopy;
    private final String createStaging;
    private final String copy;
    private final String merge;
    private final Counter batchesMerged;

    CopyThenMerge(
        SerializableFunction<T, Object[]> toColumns,
        String label,
        String directCopy,
        String createStaging,
        String copy,
        String merge) {
      this.toColumns = toColumns;
      this.directCopy = directCopy;
      this.createStaging = createStaging;
      this.copy = copy;
      this.merge = merge;
      this.batchesMerged = Metrics.counter("sink", label + "_batches_merged");
    }

    @Override
    public void write(Connection connection, List<T> rows) throws SQLException, IOException {
      if (directCopy == null || !copiedStraightIn(connection, rows)) {
        stageAndMerge(connection, rows);
        batchesMerged.inc();
      }
    }

    /**
     * False when a row's key is already in the table: the transaction, which holds only this copy,
     * is then rolled back, and the batch must be merged.
     */
    private boolean copiedStraightIn(Connection connection, List<T> rows) throws SQLException {
      try {
        copy(connection, directCopy, rows);
        return true;
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback();
        return false;
      }
    }

    private void stageAndMerge(Connection connection, List<T> rows) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(createStaging);
        copy(connection, copy, rows);
        statement.executeUpdate(merge);
      }
    }

    /**
     * Streams the rows into one COPY a chunk at a time: the database parses a chunk while the next
     * is encoded, and the batch never sits in memory as text.
     */
    private void copy(Connection connection, String copyStatement, List<T> rows)
        throws SQLException {
      CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copyStatement);
      try {
        CopyText text = new CopyText();
        for (T row : rows) {
          text.appendRow(toColumns.apply(row)).sendChunk(in);
        }
        text.send(in);
        in.endCopy();
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    }
  }
}

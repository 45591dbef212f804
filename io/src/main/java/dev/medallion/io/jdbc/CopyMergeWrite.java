package dev.medallion.io.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.postgresql.PGConnection;

/**
 * Writes rows the fast way PostgreSQL offers and stays idempotent: each batch is COPYed into a
 * temporary staging table (not WAL-logged) and merged into the target with one
 * {@code INSERT ... SELECT ... ON CONFLICT}, in one transaction. A retried bundle merges the same
 * rows again, which the conflict clause turns into no change.
 *
 * <p>The output is a completion signal for {@code Wait.on}, like JdbcIO's {@code withResults()}.
 */
public final class CopyMergeWrite<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BATCH_SIZE = 10_000;

  private final JdbcTarget target;
  private final String table;
  private final List<String> columns;
  private final String conflictClause;
  private final SerializableFunction<T, Object[]> toColumns;
  private final int batchSize;

  private CopyMergeWrite(JdbcTarget target, String table, List<String> columns, String conflictClause,
      SerializableFunction<T, Object[]> toColumns, int batchSize) {
    this.target = target;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.conflictClause = conflictClause;
    this.toColumns = toColumns;
    this.batchSize = batchSize;
  }

  /**
   * @param conflictClause what the merge does with an existing key, e.g.
   *     {@code ON CONFLICT (id) DO NOTHING}
   * @param toColumns the element's values in {@code columns} order: String, Number, Boolean,
   *     OffsetDateTime, UUID or null; JSON goes as its text
   */
  public static <T> CopyMergeWrite<T> into(JdbcTarget target, String table, List<String> columns,
      String conflictClause, SerializableFunction<T, Object[]> toColumns) {
    if (table == null || !table.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
      throw new IllegalArgumentException("into() needs a plain [schema.]table name, got " + table);
    }
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("into() needs the columns to write");
    }
    return new CopyMergeWrite<>(target, table, columns, conflictClause, toColumns, DEFAULT_BATCH_SIZE);
  }

  public CopyMergeWrite<T> withBatchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("withBatchSize() needs at least 1 row, got " + rows);
    }
    return new CopyMergeWrite<>(target, table, columns, conflictClause, toColumns, rows);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> rows) {
    return rows.apply("CopyThenMerge", ParDo.of(new CopyMergeFn<>(this)));
  }

  /** The statements, for the benchmark and for tests. */
  public String stagingTable() {
    return "medallion_stage_" + table.replace('.', '_');
  }

  String createStaging() {
    return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable() + " (LIKE " + table + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
  }

  String copyStatement() {
    return "COPY " + stagingTable() + " (" + String.join(", ", columns) + ") FROM STDIN";
  }

  String mergeStatement() {
    String list = String.join(", ", columns);
    return "INSERT INTO " + table + " AS t (" + list + ") SELECT " + list + " FROM " + stagingTable() + " " + conflictClause;
  }

  /** Appends one row in COPY's text format. */
  public static void appendCopyRow(ByteArrayOutputStream out, Object[] values) {
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
      } else if (value instanceof Number || value instanceof Boolean || value instanceof java.util.UUID
          || value instanceof OffsetDateTime) {
        line.append(value);
      } else {
        escape(value.toString(), line);
      }
    }
    line.append('\n');
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  private static void escape(String text, StringBuilder line) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> line.append("\\\\");
        case '\t' -> line.append("\\t");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\u0000' -> { }
        default -> line.append(c);
      }
    }
  }

  static final class CopyMergeFn<T> extends DoFn<T, Void> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final CopyMergeWrite<T> spec;
    private final Counter rowsWritten;
    private final Distribution batchRows;
    private transient ByteArrayOutputStream buffer;
    private transient int buffered;

    CopyMergeFn(CopyMergeWrite<T> spec) {
      this.spec = spec;
      this.rowsWritten = Metrics.counter("sink", spec.table + "_rows");
      this.batchRows = Metrics.distribution("sink", spec.table + "_batch_rows");
    }

    @StartBundle
    public void startBundle() {
      buffer = new ByteArrayOutputStream(1 << 20);
      buffered = 0;
    }

    @ProcessElement
    public void process(@Element T element) throws SQLException, IOException {
      appendCopyRow(buffer, spec.toColumns.apply(element));
      if (++buffered >= spec.batchSize) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() throws SQLException, IOException {
      flush();
    }

    private void flush() throws SQLException, IOException {
      if (buffered == 0) {
        return;
      }
      try (Connection connection = PooledDataSource.forTarget(spec.target).getConnection()) {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
          statement.execute(spec.createStaging());
          connection.unwrap(PGConnection.class).getCopyAPI()
              .copyIn(spec.copyStatement(), new java.io.ByteArrayInputStream(buffer.toByteArray()));
          statement.executeUpdate(spec.mergeStatement());
          connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      }
      rowsWritten.inc(buffered);
      batchRows.update(buffered);
      buffer.reset();
      buffered = 0;
    }
  }
}

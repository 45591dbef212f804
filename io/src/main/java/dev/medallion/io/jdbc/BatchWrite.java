package dev.medallion.io.jdbc;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Writes rows in filled batches, each batch in one transaction, and (with {@link #withRejects})
 * keeps one bad row from failing the rest: a batch the database refuses for its data is undone and
 * written again in halves, down to the single rows it refuses, which go to {@link
 * SinkRejects#REJECTED}; the rest of the batch lands. Only data errors are isolated ({@link
 * SinkErrors#isDataError}); a lost connection or a deadlock fails the bundle, which the runner
 * retries, as before. A batch's statement must be idempotent (an upsert or a merge): a half that
 * landed is written again when its bundle is retried.
 *
 * <pre>
 * rows -> SpreadOverWriters -> FillBatches (GroupIntoBatches) -> WriteBatches -> written | rejected
 * </pre>
 *
 * <p>A bad row costs about two transactions per halving (log2 of the batch size), so a batch of
 * 10,000 rows with one bad row takes some 28 short transactions instead of one.
 */
public final class BatchWrite<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final int DEFAULT_WRITERS = 2;

  /** An unbounded input still sends a part-filled batch after this long. */
  private static final Duration MAX_BUFFERING = Duration.standardSeconds(5);

  /** Writes some rows inside the open transaction of {@code connection}. */
  @FunctionalInterface
  public interface BatchStatement<T> extends Serializable {
    void write(Connection connection, List<T> rows) throws SQLException, IOException;
  }

  /** Binds one row's values to the write's prepared statement. */
  @FunctionalInterface
  public interface RowBinder<T> extends Serializable {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private final JdbcTarget target;
  private final String label;
  private final BatchStatement<T> statement;
  private final int batchSize;
  private final int writers;

  private BatchWrite(
      JdbcTarget target, String label, BatchStatement<T> statement, int batchSize, int writers) {
    this.target = target;
    this.label = label;
    this.statement = statement;
    this.batchSize = batchSize;
    this.writers = writers;
  }

  /**
   * Batches of {@code statement}, written with {@code label} naming the metrics ({@code
   * sink/<label>_rows}, {@code sink/<label>_batch_rows}).
   */
  public static <T> BatchWrite<T> of(JdbcTarget target, String label, BatchStatement<T> statement) {
    if (target == null || label == null || statement == null) {
      throw new IllegalArgumentException("BatchWrite.of() needs a target, a label and a statement");
    }
    return new BatchWrite<>(target, label, statement, DEFAULT_BATCH_SIZE, DEFAULT_WRITERS);
  }

  /** One prepared statement (an upsert) per row, sent as one JDBC batch. */
  public static <T> BatchWrite<T> rows(
      JdbcTarget target, String label, String sql, RowBinder<T> binder) {
    return of(
        target,
        label,
        (connection, rows) -> {
          try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (T row : rows) {
              binder.bind(ps, row);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }

  public BatchWrite<T> withBatchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("withBatchSize() needs at least 1 row, got " + rows);
    }
    return new BatchWrite<>(target, label, statement, rows, writers);
  }

  /** How many batches are filled and written at once. */
  public BatchWrite<T> withWriters(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("withWriters() needs at least 1 writer, got " + count);
    }
    return new BatchWrite<>(target, label, statement, batchSize, count);
  }

  /**
   * Sets aside the rows the database refuses instead of failing: outputs {@link
   * SinkRejects#WRITTEN} and {@link SinkRejects#REJECTED}, each refused row made a quarantine
   * record by {@code toQuarantine} and counted as quarantined (no longer out) in its layer.
   */
  public PTransform<PCollection<T>, PCollectionTuple> withRejects(
      SinkRejects.ToQuarantine<T> toQuarantine) {
    if (toQuarantine == null) {
      throw new IllegalArgumentException(
          "withRejects() needs a function from a refused row to its quarantine record");
    }
    return new Isolating<>(this, toQuarantine);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> rows) {
    return new Isolating<>(this, null).expand(rows).get(SinkRejects.WRITTEN);
  }

  /** The write with its two outputs; without a function a refused batch fails as before. */
  private static final class Isolating<T> extends PTransform<PCollection<T>, PCollectionTuple> {
    private static final long serialVersionUID = 1L;
    private final BatchWrite<T> write;
    @Nullable private final SinkRejects.ToQuarantine<T> toQuarantine;

    Isolating(BatchWrite<T> write, @Nullable SinkRejects.ToQuarantine<T> toQuarantine) {
      this.write = write;
      this.toQuarantine = toQuarantine;
    }

    @Override
    public PCollectionTuple expand(PCollection<T> rows) {
      int spread = write.writers;
      PCollectionTuple result =
          rows.apply(
                  "SpreadOverWriters",
                  WithKeys.of((T row) -> Math.floorMod(row.hashCode(), spread))
                      .withKeyType(TypeDescriptors.integers()))
              .setCoder(
                  org.apache.beam.sdk.coders.KvCoder.of(
                      org.apache.beam.sdk.coders.VarIntCoder.of(), rows.getCoder()))
              .apply(
                  "FillBatches",
                  GroupIntoBatches.<Integer, T>ofSize(write.batchSize)
                      .withMaxBufferingDuration(MAX_BUFFERING))
              .apply(
                  "WriteBatches",
                  ParDo.of(
                          new WriteBatchFn<>(
                              write.target, write.label, write.statement, toQuarantine))
                      .withOutputTags(SinkRejects.WRITTEN, TupleTagList.of(SinkRejects.REJECTED)));
      result.get(SinkRejects.WRITTEN).setCoder(VoidCoder.of());
      return result;
    }
  }

  /** Writes one batch, or its halves when the database refuses some of its rows. */
  static final class WriteBatchFn<T> extends DoFn<KV<Integer, Iterable<T>>, Void> {
    private static final long serialVersionUID = 1L;
    private final JdbcTarget target;
    private final String label;
    private final BatchStatement<T> statement;
    @Nullable private final SinkRejects.ToQuarantine<T> toQuarantine;
    private final Counter rowsWritten;
    private final Counter rowsRejected;
    private final Distribution batchRows;

    WriteBatchFn(
        JdbcTarget target,
        String label,
        BatchStatement<T> statement,
        @Nullable SinkRejects.ToQuarantine<T> toQuarantine) {
      this.target = target;
      this.label = label;
      this.statement = statement;
      this.toQuarantine = toQuarantine;
      this.rowsWritten = Metrics.counter("sink", label + "_rows");
      this.rowsRejected = Metrics.counter("sink", label + "_rows_rejected");
      this.batchRows = Metrics.distribution("sink", label + "_batch_rows");
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<T>> batch, MultiOutputReceiver out)
        throws SQLException, IOException {
      List<T> rows = new ArrayList<>();
      batch.getValue().forEach(rows::add);
      batchRows.update(rows.size());
      writeIsolating(rows, out);
    }

    private void writeIsolating(List<T> rows, MultiOutputReceiver out)
        throws SQLException, IOException {
      try {
        writeInOneTransaction(rows);
        rowsWritten.inc(rows.size());
      } catch (SQLException e) {
        if (toQuarantine == null || !SinkErrors.isDataError(e)) {
          throw SinkErrors.withBoundedMessage(e);
        }
        if (rows.size() == 1) {
          reject(rows.get(0), e, out);
          return;
        }
        int half = rows.size() / 2;
        writeIsolating(rows.subList(0, half), out);
        writeIsolating(rows.subList(half, rows.size()), out);
      }
    }

    private void writeInOneTransaction(List<T> rows) throws SQLException, IOException {
      try (Connection connection = ConnectionPool.forTarget(target).getConnection()) {
        connection.setAutoCommit(false);
        try {
          statement.write(connection, rows);
          connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      }
    }

    private void reject(T row, SQLException e, MultiOutputReceiver out) {
      QuarantinedRecord record =
          toQuarantine.rejected(row, label + " refused the row: " + SinkErrors.databaseMessage(e));
      rowsRejected.inc();
      LayerMetrics.out(record.layer()).dec();
      LayerMetrics.quarantined(record.layer()).inc();
      out.get(SinkRejects.REJECTED).output(record);
    }
  }
}

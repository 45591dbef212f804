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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

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
 * rows -> FillBatchesInBundle -> full batches ------------------------------+
 *           | the rest of each bundle                                        |
 *           +-> FillBatchesAcrossBundles (GroupIntoBatches per writer) ------+-> AllBatches
 * AllBatches -> WriteBatches -> written | rejected
 * </pre>
 *
 * <p>A bundle's rows make full batches on the spot; only the rows left at the end of a bundle wait
 * in keyed state for other bundles' rest, so every batch but the last of each writer is full
 * however the runner cuts its bundles, and an unbounded input still sends a part-filled batch after
 * {@link #MAX_BUFFERING}. Keyed state is what some runners pay for per row (DirectRunner copies it
 * for every bundle), and large bundles need none of it.
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

  /**
   * Writes some rows inside the open transaction of {@code connection}, which holds nothing else:
   * the statement may roll it back and start again ({@link CopyMergeWrite} does when a key is
   * already there), and the batch commits after it returns.
   */
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

  /**
   * How many keys the rows left at the end of bundles are spread over; each key fills and writes
   * its batches on its own, so it sends at most one part-filled batch.
   */
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
      Coder<Iterable<T>> batchCoder = IterableCoder.of(rows.getCoder());
      TupleTag<Iterable<T>> full = new TupleTag<>("full") {};
      TupleTag<T> rest = new TupleTag<>("rest") {};
      PCollectionTuple inBundle =
          rows.apply(
              "FillBatchesInBundle",
              ParDo.of(new FillBatchesInBundleFn<>(write.batchSize, rest))
                  .withOutputTags(full, TupleTagList.of(rest)));
      PCollection<Iterable<T>> acrossBundles =
          inBundle
              .get(rest)
              .setCoder(rows.getCoder())
              .apply("FillBatchesAcrossBundles", new FillBatchesAcrossBundles<>(write));
      PCollectionTuple result =
          PCollectionList.of(inBundle.get(full).setCoder(batchCoder))
              .and(acrossBundles)
              .apply("AllBatches", Flatten.pCollections())
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

  /**
   * Batches the rows left at the end of bundles, spread over the writers' keys (GroupIntoBatches).
   * The rows wait in keyed state as their encoded bytes: DirectRunner copies a key's whole bag,
   * element by element through its coder, for every bundle that reaches the key, and a copy of
   * bytes costs a fraction of decoding every field of every row; each row is decoded once, when its
   * batch is full.
   */
  private static final class FillBatchesAcrossBundles<T>
      extends PTransform<PCollection<T>, PCollection<Iterable<T>>> {
    private static final long serialVersionUID = 1L;
    private final BatchWrite<T> write;

    FillBatchesAcrossBundles(BatchWrite<T> write) {
      this.write = write;
    }

    @Override
    public PCollection<Iterable<T>> expand(PCollection<T> rows) {
      Coder<T> rowCoder = rows.getCoder();
      int spread = write.writers;
      return rows.apply(
              "Encode",
              MapElements.into(TypeDescriptor.of(byte[].class))
                  .via((T row) -> encoded(rowCoder, row)))
          .setCoder(ByteArrayCoder.of())
          .apply(
              "SpreadOverWriters",
              WithKeys.of((byte[] row) -> Math.floorMod(Arrays.hashCode(row), spread))
                  .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
          .apply(
              "FillBatches",
              GroupIntoBatches.<Integer, byte[]>ofSize(write.batchSize)
                  .withMaxBufferingDuration(MAX_BUFFERING))
          .apply(
              "Decode",
              MapElements.into(new TypeDescriptor<Iterable<T>>() {})
                  .via(
                      (KV<Integer, Iterable<byte[]>> batch) -> decoded(rowCoder, batch.getValue())))
          .setCoder(IterableCoder.of(rowCoder));
    }

    private static <T> byte[] encoded(Coder<T> coder, T row) {
      try {
        return CoderUtils.encodeToByteArray(coder, row);
      } catch (CoderException e) {
        throw new IllegalStateException("cannot encode a row with " + coder, e);
      }
    }

    private static <T> List<T> decoded(Coder<T> coder, Iterable<byte[]> batch) {
      List<T> rows = new ArrayList<>();
      try {
        for (byte[] row : batch) {
          rows.add(CoderUtils.decodeFromByteArray(coder, row));
        }
      } catch (CoderException e) {
        throw new IllegalStateException("cannot decode a row with " + coder, e);
      }
      return rows;
    }
  }

  /**
   * Sends on each batch a bundle fills as soon as it is full, and the rows left at the end of the
   * bundle, with their timestamps and windows, to be batched with other bundles' rest. Batches stay
   * within one window, as GroupIntoBatches keeps them.
   */
  static final class FillBatchesInBundleFn<T> extends DoFn<T, Iterable<T>> {
    private static final long serialVersionUID = 1L;
    private final int batchSize;
    private final TupleTag<T> rest;
    private transient Map<BoundedWindow, List<TimestampedValue<T>>> filling;

    FillBatchesInBundleFn(int batchSize, TupleTag<T> rest) {
      this.batchSize = batchSize;
      this.rest = rest;
    }

    @StartBundle
    public void startBundle() {
      filling = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element T row,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        OutputReceiver<Iterable<T>> out) {
      List<TimestampedValue<T>> batch =
          filling.computeIfAbsent(window, w -> new ArrayList<>(batchSize));
      batch.add(TimestampedValue.of(row, timestamp));
      if (batch.size() == batchSize) {
        filling.remove(window);
        List<T> rows = new ArrayList<>(batchSize);
        batch.forEach(value -> rows.add(value.getValue()));
        out.output(rows);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      filling.forEach(
          (window, batch) ->
              batch.forEach(
                  value -> context.output(rest, value.getValue(), value.getTimestamp(), window)));
      filling.clear();
    }
  }

  /** Writes one batch, or its halves when the database refuses some of its rows. */
  static final class WriteBatchFn<T> extends DoFn<Iterable<T>, Void> {
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
    public void process(@Element Iterable<T> batch, MultiOutputReceiver out)
        throws SQLException, IOException {
      List<T> rows = new ArrayList<>();
      batch.forEach(rows::add);
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

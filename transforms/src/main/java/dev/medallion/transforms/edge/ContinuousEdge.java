package dev.medallion.transforms.edge;

import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.ops.Layer;
import dev.medallion.core.LayerMetrics;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.files.MoveLandedFiles;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.core.quarantine.QuarantinedRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge layers for continuous mode, where the input never ends. The batch pipeline's
 * {@code Wait.on} and its side input of known checksums cannot work on an unbounded input (the
 * global window never closes, the side input would be read once), so here every side effect happens
 * in the same step right after the write it depends on, per file and per record:
 *
 * <ul>
 *   <li>{@link #ingestToBronze}: per file, skip it if its checksum is in bronze, else write its
 *       records (and its failures to the quarantine), then move it, then emit its bronze rows that
 *       still wait for silver (read back from the table, so a restart picks up where it stopped).
 *   <li>{@link #toSilver}: per record, insert the transaction unless an earlier file holds its id
 *       (then quarantine it as a duplicate), then mark the bronze row; emit (store, day).
 *   <li>{@link #recomputeGold}: (store, day) signals windowed by the sale's UTC day with early and
 *       late firings; each fired pane recomputes that store-day from every silver row in the table
 *       and upserts it, so restarts and replays neither lose nor double-count sales.
 * </ul>
 */
public final class ContinuousEdge {
  private static final Logger LOG = LoggerFactory.getLogger(ContinuousEdge.class);

  private ContinuousEdge() {}

  public static PTransform<PCollection<LandedFile>, PCollection<BronzeRecord>> ingestToBronze(
      JdbcTarget target, LandingZone zone, String runId, boolean moveProcessed) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<BronzeRecord> expand(PCollection<LandedFile> files) {
        return files.apply("WriteFileToBronzeThenMove", ParDo.of(new IngestFileFn(target, zone, runId, moveProcessed)))
            .setCoder(JdbcSteps.schemaCoder(files, BronzeRecord.class));
      }
    };
  }

  /** Bronze records to silver; emits (store id, UTC epoch day) for every sale that is in silver. */
  public static PTransform<PCollection<BronzeRecord>, PCollection<KV<String, Long>>> toSilver(JdbcTarget target, String runId) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<KV<String, Long>> expand(PCollection<BronzeRecord> bronze) {
        PCollectionTuple parsed = bronze.apply("ParseEdgeTransactions", ParseEdgeTransactions.fromBronze());
        parsed.get(ParseEdgeTransactions.FAILURES).apply("QuarantineThenMarkBronze", ParDo.of(new QuarantineFn(target, runId)));
        return parsed.get(ParseEdgeTransactions.TRANSACTIONS)
            .apply("WriteFirstTransactionThenMarkBronze", ParDo.of(new WriteFirstTransactionFn(target, runId)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
      }
    };
  }

  /**
   * (store, day) signals to gold rows: windowed into the sale's UTC day, fired {@code delay} after
   * the first signal of a pane (early, on time and late alike), kept for {@code allowedLateness}.
   */
  public static PTransform<PCollection<KV<String, Long>>, PCollection<Void>> recomputeGold(
      JdbcTarget target, Duration delay, Duration allowedLateness) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<Void> expand(PCollection<KV<String, Long>> storeDays) {
        return storeDays
            .apply("StampWithSaleDay", WithTimestamps.<KV<String, Long>>of(
                    d -> new org.joda.time.Instant(LocalDate.ofEpochDay(d.getValue()).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()))
                .withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE)))
            .apply("WindowIntoUtcDays", Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardDays(1)))
                .triggering(AfterWatermark.pastEndOfWindow()
                    .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(delay))
                    .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(delay)))
                .withAllowedLateness(allowedLateness)
                .discardingFiredPanes())
            .apply("OnePanePerStoreDay", GroupByKey.create())
            .apply("RecomputeStoreDayFromSilver", ParDo.of(new RecomputeStoreDayFn(target)))
            .setCoder(JdbcSteps.schemaCoder(storeDays, StoreDailySummary.class))
            .apply("WriteGold", EdgeTables.writeGold(target));
      }
    };
  }

  private abstract static class JdbcFn<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    final JdbcTarget target;
    final String runId;

    JdbcFn(JdbcTarget target, String runId) {
      this.target = target;
      this.runId = runId;
    }

    Connection connect() throws SQLException {
      return ConnectionPool.forTarget(target).getConnection();
    }

    void quarantine(Connection c, QuarantinedRecord q) throws SQLException {
      WriteQuarantine.write(c, EdgeTables.PIPELINE, runId, q);
    }

    static void markBronze(Connection c, String bronzeId, String status) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(EdgeTables.MARK_BRONZE)) {
        EdgeTables.setBronzeStatus(bronzeId, status, ps);
        ps.executeUpdate();
      }
    }
  }

  static final class IngestFileFn extends JdbcFn<LandedFile, BronzeRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter read = RunMetric.FILES_READ.counter();
    private final Counter alreadyIngested = RunMetric.FILES_ALREADY_INGESTED.counter();
    private final Counter recordsIn = LayerMetrics.in(Layer.BRONZE);
    private final Counter recordsOut = LayerMetrics.out(Layer.BRONZE);
    private final Counter quarantined = LayerMetrics.quarantined(Layer.BRONZE);
    private final MoveLandedFiles.Mover mover;
    private final boolean moveProcessed;

    IngestFileFn(JdbcTarget target, LandingZone zone, String runId, boolean moveProcessed) {
      super(target, runId);
      this.mover = new MoveLandedFiles.Mover(zone);
      this.moveProcessed = moveProcessed;
    }

    @ProcessElement
    public void process(@Element LandedFile file, OutputReceiver<BronzeRecord> out) throws IOException, SQLException {
      read.inc();
      String destination = file.processedPath();
      try (Connection c = connect()) {
        if (inBronze(c, file.checksum())) {
          alreadyIngested.inc();
        } else {
          ToBronze.Split split = ToBronze.split(file);
          recordsIn.inc(split.records().size() + split.failures().size());
          recordsOut.inc(split.records().size());
          quarantined.inc(split.failures().size());
          for (QuarantinedRecord failure : split.failures()) {
            quarantine(c, failure);
          }
          writeBronze(c, split);
          destination = split.move().getValue();
        }
        // Read back rather than pass on: the rows carry ingested_at, and a file whose rows reached
        // bronze before a crash still sends the ones silver has not taken.
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EdgeTables.BRONZE_COLUMNS
            + " FROM bronze.edge_raw WHERE checksum = ? AND processing_status = 'pending' ORDER BY record_index")) {
          ps.setString(1, file.checksum());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.output(EdgeTables.bronzeRecord(rs));
            }
          }
        }
      }
      if (moveProcessed) {
        mover.move(file.path(), destination);
      }
    }

    private static boolean inBronze(Connection c, String checksum) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM bronze.edge_raw WHERE checksum = ? LIMIT 1")) {
        ps.setString(1, checksum);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }

    private static void writeBronze(Connection c, ToBronze.Split split) throws SQLException {
      Set<Long> months = new TreeSet<>();
      split.records().forEach(r -> months.add(EdgeTables.partitionMonth(r)));
      for (long month : months) {
        try (PreparedStatement ps = c.prepareStatement(EdgeTables.BRONZE_PARTITION)) {
          ps.setObject(1, LocalDate.ofEpochDay(month));
          ps.execute();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(EdgeTables.BRONZE_UPSERT)) {
        for (BronzeRecord r : split.records()) {
          EdgeTables.setBronze(r, ps);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  static final class QuarantineFn extends JdbcFn<QuarantinedRecord, Void> {
    private static final long serialVersionUID = 1L;

    QuarantineFn(JdbcTarget target, String runId) {
      super(target, runId);
    }

    @ProcessElement
    public void process(@Element QuarantinedRecord failure) throws SQLException {
      try (Connection c = connect()) {
        quarantine(c, failure);
        markBronze(c, failure.getRecordKey(), "quarantined");
      }
    }
  }

  static final class WriteFirstTransactionFn extends JdbcFn<EdgeTransaction, KV<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final Counter out = LayerMetrics.out(Layer.SILVER);
    private final Counter duplicates = LayerMetrics.quarantined(Layer.SILVER);

    WriteFirstTransactionFn(JdbcTarget target, String runId) {
      super(target, runId);
    }

    @ProcessElement
    public void process(@Element EdgeTransaction t, OutputReceiver<KV<String, Long>> receiver) throws SQLException {
      try (Connection c = connect()) {
        int inserted;
        try (PreparedStatement ps = c.prepareStatement(EdgeTables.SILVER_INSERT + " ON CONFLICT (transaction_id) DO NOTHING")) {
          EdgeTables.setSilver(t, ps);
          inserted = ps.executeUpdate();
        }
        if (inserted == 0) {
          String[] holder = holder(c, t.getTransactionId());
          if (!holder[0].equals(t.getBronzeId())) {
            duplicates.inc();
            quarantine(c, KeepFirstTransaction.duplicateOf(t, holder[1]));
            markBronze(c, t.getBronzeId(), "quarantined");
            return;
          }
        }
        out.inc();
        markBronze(c, t.getBronzeId(), "processed");
      }
      long day = java.time.Instant.ofEpochMilli(t.getTimestampMillis()).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
      receiver.output(KV.of(t.getStoreId(), day));
    }

    /** The bronze id and file of the row silver holds for a transaction id. */
    private static String[] holder(Connection c, String transactionId) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT bronze_id::text, file_path FROM silver.edge_transactions WHERE transaction_id = ?")) {
        ps.setString(1, transactionId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new String[] {rs.getString(1), rs.getString(2)};
        }
      }
    }
  }

  static final class RecomputeStoreDayFn extends JdbcFn<KV<String, Iterable<Long>>, StoreDailySummary> {
    private static final long serialVersionUID = 1L;
    private final Counter goldIn = LayerMetrics.in(Layer.GOLD);
    private final Counter goldOut = LayerMetrics.out(Layer.GOLD);

    RecomputeStoreDayFn(JdbcTarget target) {
      super(target, null);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Long>> storeDay, BoundedWindow window, OutputReceiver<StoreDailySummary> out)
        throws SQLException {
      LocalDate day = java.time.Instant.ofEpochMilli(((IntervalWindow) window).start().getMillis()).atZone(ZoneOffset.UTC).toLocalDate();
      StoreDayAggregator aggregator = new StoreDayAggregator();
      try (Connection c = connect();
          PreparedStatement ps = c.prepareStatement("SELECT " + EdgeTables.GOLD_INPUT_COLUMNS + " FROM silver.edge_transactions"
              + " WHERE store_id = ? AND transaction_timestamp >= ? AND transaction_timestamp < ?")) {
        ps.setString(1, storeDay.getKey());
        ps.setObject(2, day.atStartOfDay().atOffset(ZoneOffset.UTC));
        ps.setObject(3, day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            goldIn.inc();
            aggregator.add(EdgeTables.silverTransaction(rs));
          }
        }
      }
      if (!aggregator.isEmpty()) {
        goldOut.inc();
        out.output(aggregator.summarize(storeDay.getKey(), day));
      }
    }
  }
}

package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.RecordCoders;
import dev.medallion.transforms.ingest.BronzeFiles;
import dev.medallion.transforms.ingest.IngestFilesContinuously;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
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
 * The edge layers for continuous mode, where the input never ends. The batch pipeline's {@code
 * Wait.on} and its side input of known checksums cannot work on an unbounded input (the global
 * window never closes, the side input would be read once), so here every side effect happens in the
 * same step right after the write it depends on, per file and per record:
 *
 * <ul>
 *   <li>{@link #ingestToBronze}: the file skeleton's continuous path ({@link
 *       IngestFilesContinuously}, the batch path's rules file by file: skip files the ledger holds,
 *       else write the file's records, quarantine rows and ledger row in one transaction, then move
 *       it), then emit its bronze rows that still wait for silver (read back, so a restart picks up
 *       where it stopped).
 *   <li>{@link #toSilver}: per record, insert the transaction unless silver holds its id already;
 *       then {@link KeepFirstTransaction#pick}, the batch rule, decides whether it is a duplicate;
 *       mark the bronze row; emit (store, day).
 *   <li>{@link #recomputeGold}: (store, day) signals windowed by the sale's UTC day with early and
 *       late firings; each fired pane recomputes that store-day from every silver row in the table
 *       and upserts it, so restarts and replays neither lose nor double-count sales.
 * </ul>
 */
public final class ContinuousEdge {
  private static final Logger LOG = LoggerFactory.getLogger(ContinuousEdge.class);

  private ContinuousEdge() {}

  /**
   * @param bronzeFiles {@link EdgeSchema#BRONZE_FILES}, with the run's limits
   */
  public static PTransform<PCollection<LandedFile>, PCollection<BronzeRecord>> ingestToBronze(
      JdbcTarget target,
      LandingZone zone,
      BronzeFiles<BronzeRecord> bronzeFiles,
      String runId,
      boolean moveProcessed) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<BronzeRecord> expand(PCollection<LandedFile> files) {
        return files
            .apply(
                "IngestFiles",
                IngestFilesContinuously.into(zone, bronzeFiles, target, runId, moveProcessed))
            .apply("ReadPendingBronzeOfFile", ParDo.of(new ReadPendingFn(target)))
            .setCoder(RecordCoders.of(files.getPipeline(), BronzeRecord.class));
      }
    };
  }

  /** Bronze records to silver; emits (store id, UTC epoch day) for every sale that is in silver. */
  public static PTransform<PCollection<BronzeRecord>, PCollection<KV<String, Long>>> toSilver(
      JdbcTarget target, String runId) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<KV<String, Long>> expand(PCollection<BronzeRecord> bronze) {
        PCollectionTuple parsed =
            bronze.apply("ParseEdgeTransactions", ParseEdgeTransactions.fromBronze());
        parsed
            .get(ParseEdgeTransactions.FAILURES)
            .apply("QuarantineThenMarkBronze", ParDo.of(new QuarantineFn(target, runId)));
        return parsed
            .get(ParseEdgeTransactions.TRANSACTIONS)
            .apply(
                "WriteFirstTransactionThenMarkBronze",
                ParDo.of(new WriteFirstTransactionFn(target, runId)))
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
        PCollectionTuple gold =
            storeDays
                .apply(
                    "StampWithSaleDay",
                    WithTimestamps.<KV<String, Long>>of(
                            d ->
                                new org.joda.time.Instant(
                                    LocalDate.ofEpochDay(d.getValue())
                                        .atStartOfDay(ZoneOffset.UTC)
                                        .toInstant()
                                        .toEpochMilli()))
                        .withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE)))
                .apply(
                    "WindowIntoUtcDays",
                    Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardDays(1)))
                        .triggering(
                            AfterWatermark.pastEndOfWindow()
                                .withEarlyFirings(
                                    AfterProcessingTime.pastFirstElementInPane().plusDelayOf(delay))
                                .withLateFirings(
                                    AfterProcessingTime.pastFirstElementInPane()
                                        .plusDelayOf(delay)))
                        .withAllowedLateness(allowedLateness)
                        .discardingFiredPanes())
                .apply("OnePanePerStoreDay", GroupByKey.create())
                .apply("RecomputeStoreDayFromSilver", ParDo.of(new RecomputeStoreDayFn(target)))
                .setCoder(RecordCoders.of(storeDays.getPipeline(), StoreDailySummary.class))
                .apply("WriteGold", EdgeSchema.writeGold(target));
        gold.get(SinkRejects.REJECTED)
            .apply("QuarantineGoldRejects", WriteQuarantine.of(target, EdgeSchema.PIPELINE, null));
        return gold.get(SinkRejects.WRITTEN);
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
      WriteQuarantine.write(c, EdgeSchema.PIPELINE, runId, q);
    }

    static void markBronze(Connection c, String bronzeId, String status) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(EdgeSchema.BRONZE_STATUS.updateSql())) {
        EdgeSchema.BRONZE_STATUS.bind(ps, KV.of(bronzeId, status));
        ps.executeUpdate();
      }
    }
  }

  /**
   * The bronze rows of a file that still wait for silver, read back rather than passed on: the rows
   * carry ingested_at, and a file whose rows reached bronze before a crash still sends the ones
   * silver has not taken.
   */
  static final class ReadPendingFn extends JdbcFn<String, BronzeRecord> {
    private static final long serialVersionUID = 1L;

    ReadPendingFn(JdbcTarget target) {
      super(target, null);
    }

    @ProcessElement
    public void process(@Element String checksum, OutputReceiver<BronzeRecord> out)
        throws SQLException {
      try (Connection c = connect();
          PreparedStatement ps = c.prepareStatement(EdgeSchema.PENDING_BRONZE_OF_FILE)) {
        ps.setString(1, checksum);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.output(EdgeSchema.bronzeRecord(rs));
          }
        }
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
    public void process(@Element EdgeTransaction t, OutputReceiver<KV<String, Long>> receiver)
        throws SQLException {
      try (Connection c = connect()) {
        int inserted;
        // The first writer of an id wins here too: an existing row is never overwritten.
        try (PreparedStatement ps =
            c.prepareStatement(EdgeSchema.SILVER.insertSql(OnConflict.KEEP_EXISTING))) {
          EdgeSchema.SILVER.bind(ps, t);
          inserted = ps.executeUpdate();
        }
        if (inserted == 0) {
          KeepFirstTransaction.Picked picked =
              KeepFirstTransaction.pick(List.of(t), holder(c, t.getTransactionId()));
          if (picked.kept() == null) {
            duplicates.inc();
            for (QuarantinedRecord duplicate : picked.duplicates()) {
              quarantine(c, duplicate);
            }
            markBronze(c, t.getBronzeId(), "quarantined");
            return;
          }
        }
        out.inc();
        markBronze(c, t.getBronzeId(), "processed");
      }
      long day =
          java.time.Instant.ofEpochMilli(t.getTimestampMillis())
              .atZone(ZoneOffset.UTC)
              .toLocalDate()
              .toEpochDay();
      receiver.output(KV.of(t.getStoreId(), day));
    }

    /** The row silver holds for a transaction id. */
    private static KeepFirstTransaction.Holder holder(Connection c, String transactionId)
        throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(EdgeSchema.SILVER_HOLDER)) {
        ps.setString(1, transactionId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new KeepFirstTransaction.Holder(
              rs.getString("bronze_id"), rs.getString("file_path"));
        }
      }
    }
  }

  static final class RecomputeStoreDayFn
      extends JdbcFn<KV<String, Iterable<Long>>, StoreDailySummary> {
    private static final long serialVersionUID = 1L;
    private final Counter goldIn = LayerMetrics.in(Layer.GOLD);
    private final Counter goldOut = LayerMetrics.out(Layer.GOLD);

    RecomputeStoreDayFn(JdbcTarget target) {
      super(target, null);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Long>> storeDay,
        BoundedWindow window,
        OutputReceiver<StoreDailySummary> out)
        throws SQLException {
      LocalDate day =
          java.time.Instant.ofEpochMilli(((IntervalWindow) window).start().getMillis())
              .atZone(ZoneOffset.UTC)
              .toLocalDate();
      StoreDayAggregator aggregator = new StoreDayAggregator();
      try (Connection c = connect();
          PreparedStatement ps =
              c.prepareStatement(
                  EdgeSchema.GOLD_INPUT
                      + " WHERE store_id = ? AND transaction_timestamp >= ? AND transaction_timestamp < ?")) {
        ps.setString(1, storeDay.getKey());
        ps.setObject(2, day.atStartOfDay().atOffset(ZoneOffset.UTC));
        ps.setObject(3, day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            goldIn.inc();
            aggregator.add(EdgeSchema.silverTransaction(rs));
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

package dev.medallion.transforms.edge;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.core.table.TableSpec;
import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.files.CsvRecordReader;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.files.RecordReaders;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.jdbc.TableWrite;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.RecordReadWatermark;
import dev.medallion.transforms.ingest.BronzeFiles;
import dev.medallion.transforms.ingest.FileLedger;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The edge tables, declared once each, and the edge SQL that is not a table's (which days gold
 * re-summarizes, the platinum window, bronze partitions), in one place. Every write, read and
 * status update derives its statement from a {@link TableSpec}; the tables themselves are created
 * by the migrations in {@code db/migration}. Bronze and silver, the bulk of the volume, are written
 * by COPY and one merge per batch; gold and platinum, small, by row batches; every write is an
 * upsert on the table's key (runners retry bundles) that changes a row only when its values change.
 */
public final class EdgeSchema {
  /** The pipeline name the edge tables, ledger rows and quarantine rows belong to. */
  public static final String PIPELINE = "edge";

  private EdgeSchema() {}

  // ---- the tables --------------------------------------------------------------------------

  /**
   * One raw record of a landed file; the first write of a record wins, so a redone file lands once.
   */
  public static final TableSpec<BronzeRecord> BRONZE =
      TableSpec.<BronzeRecord>named("bronze.edge_raw")
          .column("id", r -> UUID.fromString(r.getId()))
          .column("device_id", BronzeRecord::getDeviceId)
          .column("file_name", BronzeRecord::getFileName)
          .column("file_path", BronzeRecord::getFilePath)
          .column("record_index", BronzeRecord::getRecordIndex)
          .jsonColumn("raw_data", BronzeRecord::getRawJson)
          .column("file_size_bytes", BronzeRecord::getFileSizeBytes)
          .column("checksum", BronzeRecord::getChecksum)
          .column("created_at", r -> timestamp(r.getCreatedAtMillis()))
          .generated("ingested_at")
          .generated("processing_status")
          .key("id", "created_at")
          .onConflict(OnConflict.KEEP_EXISTING)
          .build();

  /**
   * A bronze row's processing_status (bronze id to 'processed' or 'quarantined'), set once silver
   * took or refused it.
   */
  public static final TableSpec<KV<String, String>> BRONZE_STATUS =
      BRONZE
          .<KV<String, String>>derive()
          .column("id", status -> UUID.fromString(status.getKey()))
          .column("processing_status", KV::getValue)
          .key("id")
          .build();

  public static final TableSpec<EdgeTransaction> SILVER =
      TableSpec.<EdgeTransaction>named("silver.edge_transactions")
          .column("transaction_id", EdgeTransaction::getTransactionId)
          .column("store_id", EdgeTransaction::getStoreId)
          .column("device_id", EdgeTransaction::getDeviceId)
          .column("transaction_timestamp", t -> timestamp(t.getTimestampMillis()))
          .column("amount", EdgeTransaction::getAmount)
          .column("currency", EdgeTransaction::getCurrency)
          .column("payment_method", EdgeTransaction::getPaymentMethod)
          .jsonColumn("full_payload", EdgeTransaction::getPayloadJson)
          .column("bronze_id", t -> UUID.fromString(t.getBronzeId()))
          .column("file_path", EdgeTransaction::getFilePath)
          .column("ingested_at", t -> timestamp(t.getIngestedAtMillis()))
          .generated("updated_at")
          .key("transaction_id")
          .onConflict(OnConflict.UPDATE_CHANGED)
          .touching("updated_at")
          .build();

  public static final TableSpec<StoreDailySummary> GOLD =
      TableSpec.<StoreDailySummary>named("gold.store_daily_summary")
          .column("store_id", StoreDailySummary::getStoreId)
          .column("transaction_date", StoreDailySummary::transactionDate)
          .column("transaction_count", StoreDailySummary::getTransactionCount)
          .column("active_devices", StoreDailySummary::getActiveDevices)
          .column("total_revenue", StoreDailySummary::getTotalRevenue)
          .column("avg_transaction_value", StoreDailySummary::getAvgTransactionValue)
          .column("most_common_payment", StoreDailySummary::getMostCommonPayment)
          .column("first_transaction_time", s -> timestamp(s.getFirstTransactionMillis()))
          .column("last_transaction_time", s -> timestamp(s.getLastTransactionMillis()))
          .generated("last_updated")
          .key("store_id", "transaction_date")
          .onConflict(OnConflict.UPDATE_CHANGED)
          .touching("last_updated")
          .build();

  public static final TableSpec<StoreFeatures> PLATINUM =
      TableSpec.<StoreFeatures>named("platinum.store_features")
          .column("store_id", StoreFeatures::getStoreId)
          .column("as_of_date", StoreFeatures::asOf)
          .column("window_start", StoreFeatures::windowStart)
          .column("days_with_data", StoreFeatures::getDaysWithData)
          .column("avg_daily_transactions", StoreFeatures::getAvgDailyTransactions)
          .column("stddev_daily_transactions", StoreFeatures::getStddevDailyTransactions)
          .column("avg_daily_revenue", StoreFeatures::getAvgDailyRevenue)
          .column("ma7_transactions", StoreFeatures::getMa7Transactions)
          .column("weekday_avg", StoreFeatures::getWeekdayAvg)
          .column("weekend_avg", StoreFeatures::getWeekendAvg)
          .generated("last_updated")
          .key("store_id", "as_of_date")
          .onConflict(OnConflict.UPDATE_CHANGED)
          .touching("last_updated")
          .build();

  // ---- the SQL that is not a table's ------------------------------------------------------------

  /** Creates the monthly bronze partition of a day (an ISO date) if it is missing. */
  static final String BRONZE_PARTITION = "SELECT bronze.ensure_edge_raw_partition(CAST(? AS date))";

  static final String PENDING_BRONZE =
      "SELECT " + BRONZE.selectList() + " FROM " + BRONZE + " WHERE processing_status = 'pending'";

  /** The pending bronze rows of one file (by checksum), in file order. */
  static final String PENDING_BRONZE_OF_FILE =
      PENDING_BRONZE + " AND checksum = ? ORDER BY record_index";

  /**
   * Silver's rows without the payload, which gold never reads: it would only be carried through the
   * shuffle.
   */
  static final String GOLD_INPUT =
      "SELECT " + SILVER.selectListReplacing("full_payload", "'{}'") + " FROM " + SILVER;

  /** The bronze id and file of the row silver holds for a transaction id. */
  static final String SILVER_HOLDER =
      "SELECT "
          + SILVER.selectList("bronze_id", "file_path")
          + " FROM "
          + SILVER
          + " WHERE transaction_id = ?";

  /**
   * JSON, JSON lines and CSV; a CSV whose first line does not name a sale's identity (its
   * transaction and store ids) has no header, and is refused rather than read with its first sale
   * taken for the header.
   */
  public static final RecordReaders READERS =
      RecordReaders.standard()
          .with("csv", new CsvRecordReader().requiring("transaction_id", "store_id"));

  /**
   * The edge files become bronze rows: {@link #READERS}, into monthly partitions of the landing
   * month.
   */
  public static final BronzeFiles<BronzeRecord> BRONZE_FILES =
      BronzeFiles.into(PIPELINE, BRONZE, BronzeRecord.class, BronzeRecord::fromFile)
          .withReaders(READERS)
          .withPartitions(BRONZE_PARTITION, EdgeSchema::partitionMonth);

  /** The first day of the month of a bronze row's created_at (ISO): the partition it goes to. */
  static String partitionMonth(BronzeRecord r) {
    return Instant.ofEpochMilli(r.getCreatedAtMillis())
        .atZone(ZoneOffset.UTC)
        .toLocalDate()
        .withDayOfMonth(1)
        .toString();
  }

  // ---- bronze ------------------------------------------------------------------------------

  /** Bronze rows for silver: only pending ones, or all of them for a full rebuild. */
  public static PTransform<PBegin, PCollection<BronzeRecord>> readBronze(
      JdbcTarget target, boolean pendingOnly, List<PCollection<Void>> after) {
    String sql = pendingOnly ? PENDING_BRONZE : "SELECT " + BRONZE.selectList() + " FROM " + BRONZE;
    return JdbcSteps.readAfterInParts(
        "ReadBronze", target, sql, "id", after, EdgeSchema::bronzeRecord, BronzeRecord.class);
  }

  /** Sets each bronze row's processing_status: id to 'processed' or 'quarantined'. */
  public static PTransform<PCollection<KV<String, String>>, PCollection<Void>> markBronze(
      JdbcTarget target) {
    return TableWrite.update(target, BRONZE_STATUS);
  }

  /**
   * Marks 'processed' every pending bronze row silver now holds, in one statement once silver's
   * writes have finished: the database joins a million rows faster than it takes a million statuses
   * sent to it, and a row counts as processed only if silver really has it (a row the table refused
   * stays pending until its quarantine status is set).
   */
  public static PTransform<PBegin, PCollection<Void>> markProcessedFromSilver(
      JdbcTarget target, List<PCollection<Void>> after) {
    return JdbcSteps.executeAfter(
        "MarkProcessed",
        target,
        "UPDATE "
            + BRONZE
            + " AS b SET processing_status = 'processed' FROM "
            + SILVER
            + " AS s WHERE s.bronze_id = b.id AND b.processing_status = 'pending'",
        after);
  }

  // ---- silver ------------------------------------------------------------------------------

  /** Transaction id to (bronze id, file path) of every row in silver. */
  public static PTransform<PBegin, PCollection<KV<String, KV<String, String>>>> silverKeys(
      JdbcTarget target, List<PCollection<Void>> after) {
    return JdbcSteps.readAfterInParts(
        "ReadSilverKeys",
        target,
        "SELECT "
            + SILVER.selectList("transaction_id", "bronze_id", "file_path")
            + " FROM "
            + SILVER,
        "transaction_id",
        after,
        rs ->
            KV.of(
                rs.getString("transaction_id"),
                KV.of(rs.getString("bronze_id"), rs.getString("file_path"))),
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
  }

  /**
   * Silver carries the volume, so it goes through COPY into staging and one merge per batch, like
   * bronze.
   */
  public static PTransform<PCollection<EdgeTransaction>, PCollectionTuple> writeSilver(
      JdbcTarget target) {
    return TableWrite.copyMerge(target, SILVER).withRejects(EdgeSchema::rejectedTransaction);
  }

  /**
   * A transaction silver refused: quarantined under its file and record, keyed by its bronze id.
   */
  static QuarantinedRecord rejectedTransaction(EdgeTransaction t, String databaseMessage) {
    return QuarantinedRecord.of(
        Layer.SILVER,
        ErrorClass.REJECTED_BY_SINK,
        t.getFilePath(),
        t.getRecordIndex(),
        t.getBronzeId(),
        t.getPayloadJson(),
        databaseMessage);
  }

  /**
   * The UTC days whose silver rows gold must (re)summarize: every day, or (incremental) the days
   * with silver rows whose change_seq is at or above the bound the last successful edge run that
   * included gold read up to. The read records its own bound in this run's row of
   * ops.pipeline_runs: the oldest transaction still open when it read, so a silver row an
   * overlapping writer commits later is read by the next run (V10 explains why a timestamp could
   * not do this), and a failed run is caught up by the next one.
   */
  public static PTransform<PBegin, PCollection<Long>> silverDays(
      JdbcTarget target,
      String runId,
      boolean onlyChangedSinceLastGold,
      List<PCollection<Void>> after) {
    String changed =
        onlyChangedSinceLastGold
            ? " WHERE change_seq >= coalesce((SELECT max(read_watermark) FROM ops.pipeline_runs"
                + " WHERE pipeline = '"
                + PIPELINE
                + "' AND status = 'succeeded' AND layers LIKE '%gold%'), 0)"
            : "";
    // One row per day, and one with no day when there is none, each with the read's bound: taken
    // from the same snapshot as the days, so nothing below it can still be uncommitted.
    String sql =
        "SELECT d.day, s.bound FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
            + " AS bound) s LEFT JOIN (SELECT DISTINCT (transaction_timestamp AT TIME ZONE 'UTC')::date"
            + " AS day FROM "
            + SILVER
            + changed
            + ") d ON true";
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<Long> expand(PBegin input) {
        PCollection<KV<Long, Long>> daysAndBound =
            input.apply(
                JdbcSteps.readAfter(
                    "ReadSilverDays",
                    target,
                    sql,
                    after,
                    rs -> {
                      LocalDate day = rs.getObject(1, LocalDate.class);
                      return KV.of(day == null ? null : day.toEpochDay(), rs.getLong(2));
                    },
                    KvCoder.of(NullableCoder.of(VarLongCoder.of()), VarLongCoder.of())));
        daysAndBound
            .apply("Bound", Values.create())
            .apply("RecordSilverBound", RecordReadWatermark.of(target, runId));
        return daysAndBound
            .apply("WithDay", Filter.by(dayAndBound -> dayAndBound.getKey() != null))
            .apply("Days", Keys.create());
      }
    };
  }

  /** Every silver transaction on the given UTC days. */
  public static PTransform<PCollection<Long>, PCollection<EdgeTransaction>> readSilverOnDays(
      JdbcTarget target) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<EdgeTransaction> expand(PCollection<Long> days) {
        return days.apply(
            "ReadSilverDay",
            JdbcSteps.readEachSpread(
                target,
                GOLD_INPUT + " WHERE transaction_timestamp >= ? AND transaction_timestamp < ?",
                (Long day, PreparedStatement ps) -> {
                  ps.setObject(
                      1, LocalDate.ofEpochDay(day).atStartOfDay().atOffset(ZoneOffset.UTC));
                  ps.setObject(
                      2, LocalDate.ofEpochDay(day + 1).atStartOfDay().atOffset(ZoneOffset.UTC));
                },
                EdgeSchema::silverTransaction,
                EdgeTransaction.Coder.of()));
      }
    };
  }

  // ---- gold and platinum -------------------------------------------------------------------

  /**
   * Gold rows; a row the table refuses (e.g. a day's revenue beyond numeric(14,2)) goes to {@link
   * SinkRejects#REJECTED} while the other store-days land.
   */
  public static PTransform<PCollection<StoreDailySummary>, PCollectionTuple> writeGold(
      JdbcTarget target) {
    return TableWrite.upsert(target, GOLD)
        .withRejects(
            (summary, message) ->
                rejectedRow(
                    Layer.GOLD,
                    GOLD,
                    summary.transactionDate(),
                    summary.getStoreId(),
                    summary.toString(),
                    message));
  }

  /**
   * A derived row its table refused: named by table, day and store (a huge store id cut short), as
   * one whole record.
   */
  private static QuarantinedRecord rejectedRow(
      Layer layer,
      TableSpec<?> table,
      LocalDate day,
      String storeId,
      String payload,
      String databaseMessage) {
    return QuarantinedRecord.of(
        layer,
        ErrorClass.REJECTED_BY_SINK,
        table.name() + "/" + day + "/" + SinkRejects.shortKey(storeId),
        QuarantinedRecord.WHOLE_SOURCE,
        null,
        payload,
        databaseMessage);
  }

  /** Gold rows inside the platinum window ending on {@code asOf}. */
  public static PTransform<PBegin, PCollection<StoreDailySummary>> readGoldWindow(
      JdbcTarget target, LocalDate asOf, List<PCollection<Void>> after) {
    LocalDate start = StoreFeatureCalculator.windowStart(asOf);
    return JdbcSteps.readAfter(
        "ReadGoldWindow",
        target,
        "SELECT "
            + GOLD.selectList()
            + " FROM "
            + GOLD
            + " WHERE transaction_date BETWEEN DATE '"
            + start
            + "' AND DATE '"
            + asOf
            + "'",
        after,
        EdgeSchema::goldSummary,
        StoreDailySummary.class);
  }

  public static PTransform<PCollection<StoreFeatures>, PCollectionTuple> writePlatinum(
      JdbcTarget target) {
    return TableWrite.upsert(target, PLATINUM)
        .withRejects(
            (features, message) ->
                rejectedRow(
                    Layer.PLATINUM,
                    PLATINUM,
                    features.asOf(),
                    features.getStoreId(),
                    features.toString(),
                    message));
  }

  // ---- replay -----------------------------------------------------------------------------

  /**
   * Prepares quarantined records for a replay run. Silver entries: their bronze rows go back to
   * pending, so the next silver run parses them again. Bronze entries: their files go back into the
   * landing zone (a whole file from quarantine/, a file with bad records from processed/) and leave
   * the file ledger, so the next bronze run reads them again. Returns the entries it requeued.
   */
  public static List<QuarantineEntry> requeue(
      JdbcTarget target, Supplier<LandingZone> zone, Layer layer, List<QuarantineEntry> entries) {
    if (layer == Layer.BRONZE) {
      return FileLedger.requeue(target, PIPELINE, zone.get(), entries);
    }
    if (layer != Layer.SILVER) {
      return List.of();
    }
    List<QuarantineEntry> requeued = new ArrayList<>();
    try (java.sql.Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                BRONZE_STATUS.updateSql() + " AND t.processing_status = 'quarantined'")) {
      for (QuarantineEntry entry : entries) {
        if (entry.recordKey() != null) {
          BRONZE_STATUS.bind(ps, KV.of(entry.recordKey(), "pending"));
          ps.executeUpdate();
          requeued.add(entry);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not requeue bronze rows for the replay: " + e.getMessage(), e);
    }
    return requeued;
  }

  // ---- rows ---------------------------------------------------------------------------------

  static OffsetDateTime timestamp(long millis) {
    return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
  }

  private static long millis(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
  }

  static BronzeRecord bronzeRecord(ResultSet rs) throws SQLException {
    return BronzeRecord.fromTable(
        rs.getString("id"),
        rs.getString("device_id"),
        rs.getString("file_name"),
        rs.getString("file_path"),
        rs.getInt("record_index"),
        rs.getString("raw_data"),
        rs.getLong("file_size_bytes"),
        rs.getString("checksum"),
        millis(rs, "created_at"),
        millis(rs, "ingested_at"));
  }

  static EdgeTransaction silverTransaction(ResultSet rs) throws SQLException {
    return EdgeTransaction.builder()
        .setTransactionId(rs.getString("transaction_id"))
        .setStoreId(rs.getString("store_id"))
        .setDeviceId(rs.getString("device_id"))
        .setTimestampMillis(millis(rs, "transaction_timestamp"))
        .setAmount(rs.getBigDecimal("amount"))
        .setCurrency(rs.getString("currency"))
        .setPaymentMethod(rs.getString("payment_method"))
        .setPayloadJson(rs.getString("full_payload"))
        .setBronzeId(rs.getString("bronze_id"))
        .setFilePath(rs.getString("file_path"))
        .setRecordIndex(0)
        .setLandedAtMillis(0L)
        .setIngestedAtMillis(millis(rs, "ingested_at"))
        .build();
  }

  private static StoreDailySummary goldSummary(ResultSet rs) throws SQLException {
    BigDecimal total = rs.getBigDecimal("total_revenue");
    return StoreDailySummary.create(
        rs.getString("store_id"),
        rs.getObject("transaction_date", LocalDate.class),
        rs.getLong("transaction_count"),
        rs.getLong("active_devices"),
        total,
        rs.getBigDecimal("avg_transaction_value"),
        rs.getString("most_common_payment"),
        millis(rs, "first_transaction_time"),
        millis(rs, "last_transaction_time"));
  }
}

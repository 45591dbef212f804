package dev.medallion.transforms.edge;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.io.jdbc.CopyMergeWrite;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.core.quarantine.QuarantinedRecord;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads and writes of the edge tables. Every write is an upsert on the table's natural key (runners
 * retry bundles), changes a row only when its values change (so a re-run leaves identical tables),
 * and returns a signal for {@link Wait#on} so that what depends on the write happens after it.
 * Bronze and silver, the bulk of the volume, go through COPY into staging and one merge per batch
 * ({@link CopyMergeWrite}); gold, platinum and the quarantine are small and use JdbcIO batches.
 */
public final class EdgeTables {
  /** The pipeline name the edge tables and quarantine rows belong to. */
  public static final String PIPELINE = "edge";

  private EdgeTables() {}

  // ---- bronze ------------------------------------------------------------------------------

  /** The checksums of every file already in bronze. */
  public static PTransform<PBegin, PCollection<String>> knownChecksums(JdbcTarget target) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<String> expand(PBegin input) {
        return input.apply("ReadBronzeChecksums", JdbcIO.<String>read()
            .withDataSourceProviderFn(PooledDataSource.of(target))
            .withQuery("SELECT DISTINCT checksum FROM bronze.edge_raw")
            .withRowMapper(rs -> rs.getString(1))
            .withCoder(StringUtf8Coder.of()));
      }
    };
  }

  public static PTransform<PCollection<BronzeRecord>, PCollection<Void>> writeBronze(JdbcTarget target) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<Void> expand(PCollection<BronzeRecord> records) {
        PCollection<Void> partitionsReady = records
            .apply("MonthsOfRecords", MapElements.into(TypeDescriptors.longs()).via(EdgeTables::partitionMonth))
            .apply("DistinctMonths", org.apache.beam.sdk.transforms.Distinct.create())
            .apply("EnsureMonthlyPartitions", JdbcIO.<Long>write()
                .withDataSourceProviderFn(PooledDataSource.of(target))
                .withStatement(BRONZE_PARTITION)
                .withPreparedStatementSetter((month, ps) -> ps.setObject(1, LocalDate.ofEpochDay(month)))
                .withResults());
        return records
            .apply("WaitForPartitions", Wait.on(partitionsReady))
            .apply("CopyMergeBronze", CopyMergeWrite.<BronzeRecord>into(target, "bronze.edge_raw", BRONZE_COPY_COLUMNS,
                BRONZE_ON_CONFLICT, EdgeTables::bronzeValues));
      }
    };
  }

  private static final String BRONZE_ON_CONFLICT = "ON CONFLICT (id, created_at) DO NOTHING";
  private static final List<String> BRONZE_COPY_COLUMNS = List.of(
      "id", "device_id", "file_name", "file_path", "record_index", "raw_data", "file_size_bytes", "checksum", "created_at");

  private static Object[] bronzeValues(BronzeRecord r) {
    return new Object[] {
      UUID.fromString(r.getId()), r.getDeviceId(), r.getFileName(), r.getFilePath(), r.getRecordIndex(), r.getRawJson(),
      r.getFileSizeBytes(), r.getChecksum(), timestamp(r.getCreatedAtMillis())
    };
  }

  static final String BRONZE_UPSERT =
      insertStatement("bronze.edge_raw", BRONZE_COPY_COLUMNS, "raw_data") + " " + BRONZE_ON_CONFLICT;
  static final String BRONZE_PARTITION = "SELECT bronze.ensure_edge_raw_partition(?)";
  static final String BRONZE_COLUMNS = "id, device_id, file_name, file_path, record_index, raw_data::text, file_size_bytes,"
      + " checksum, created_at, ingested_at";

  /** Binds a bronze record to {@link #BRONZE_UPSERT}, whose placeholders follow the COPY columns. */
  static void setBronze(BronzeRecord r, PreparedStatement ps) throws SQLException {
    bind(ps, bronzeValues(r));
  }

  /** The first day of the month of a bronze row's created_at: the partition it goes to. */
  static long partitionMonth(BronzeRecord r) {
    return Instant.ofEpochMilli(r.getCreatedAtMillis()).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).toEpochDay();
  }

  /** Bronze rows for silver: only pending ones, or all of them for a full rebuild. */
  public static PTransform<PBegin, PCollection<BronzeRecord>> readBronze(
      JdbcTarget target, boolean pendingOnly, List<PCollection<Void>> after) {
    String sql = "SELECT " + BRONZE_COLUMNS + " FROM bronze.edge_raw" + (pendingOnly ? " WHERE processing_status = 'pending'" : "");
    return JdbcSteps.readAfter("ReadBronze", target, sql, after, EdgeTables::bronzeRecord, BronzeRecord.class);
  }

  /** Sets each bronze row's processing_status: id to 'processed' or 'quarantined'. */
  public static PTransform<PCollection<KV<String, String>>, PCollection<Void>> markBronze(JdbcTarget target) {
    return CopyMergeWrite.<KV<String, String>>updating(target, "bronze.edge_raw", List.of("id"), List.of("processing_status"),
        status -> new Object[] {UUID.fromString(status.getKey()), status.getValue()});
  }

  static final String MARK_BRONZE = "UPDATE bronze.edge_raw SET processing_status = ? WHERE id = ? AND processing_status <> ?";

  static void setBronzeStatus(String bronzeId, String status, PreparedStatement ps) throws SQLException {
    ps.setString(1, status);
    ps.setObject(2, UUID.fromString(bronzeId));
    ps.setString(3, status);
  }

  // ---- silver ------------------------------------------------------------------------------

  /** Transaction id to (bronze id, file path) of every row in silver. */
  public static PTransform<PBegin, PCollection<KV<String, KV<String, String>>>> silverKeys(
      JdbcTarget target, List<PCollection<Void>> after) {
    return JdbcSteps.readAfter("ReadSilverKeys", target, "SELECT transaction_id, bronze_id::text, file_path FROM silver.edge_transactions",
        after, rs -> KV.of(rs.getString(1), KV.of(rs.getString(2), rs.getString(3))),
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
  }

  /** Silver carries the volume, so it goes through COPY into staging and one merge per batch, like bronze. */
  public static PTransform<PCollection<EdgeTransaction>, PCollection<Void>> writeSilver(JdbcTarget target) {
    return CopyMergeWrite.<EdgeTransaction>into(target, "silver.edge_transactions", SILVER_COPY_COLUMNS, SILVER_ON_CONFLICT,
        EdgeTables::silverValues);
  }

  static final String SILVER_ON_CONFLICT =
      "ON CONFLICT (transaction_id) DO UPDATE SET store_id = EXCLUDED.store_id, device_id = EXCLUDED.device_id,"
          + " transaction_timestamp = EXCLUDED.transaction_timestamp, amount = EXCLUDED.amount,"
          + " currency = EXCLUDED.currency, payment_method = EXCLUDED.payment_method,"
          + " full_payload = EXCLUDED.full_payload, bronze_id = EXCLUDED.bronze_id, file_path = EXCLUDED.file_path,"
          + " ingested_at = EXCLUDED.ingested_at, updated_at = now()"
          + " WHERE (t.store_id, t.device_id, t.transaction_timestamp, t.amount, t.currency, t.payment_method,"
          + " t.full_payload, t.bronze_id, t.file_path) IS DISTINCT FROM (EXCLUDED.store_id, EXCLUDED.device_id,"
          + " EXCLUDED.transaction_timestamp, EXCLUDED.amount, EXCLUDED.currency, EXCLUDED.payment_method,"
          + " EXCLUDED.full_payload, EXCLUDED.bronze_id, EXCLUDED.file_path)";

  private static final List<String> SILVER_COPY_COLUMNS = List.of("transaction_id", "store_id", "device_id",
      "transaction_timestamp", "amount", "currency", "payment_method", "full_payload", "bronze_id", "file_path", "ingested_at");

  private static Object[] silverValues(EdgeTransaction t) {
    return new Object[] {
      t.getTransactionId(), t.getStoreId(), t.getDeviceId(), timestamp(t.getTimestampMillis()), t.getAmount(), t.getCurrency(),
      t.getPaymentMethod(), t.getPayloadJson(), UUID.fromString(t.getBronzeId()), t.getFilePath(), timestamp(t.getIngestedAtMillis())
    };
  }

  static final String SILVER_INSERT = insertStatement("silver.edge_transactions", SILVER_COPY_COLUMNS, "full_payload");
  static final String SILVER_COLUMNS = "transaction_id, store_id, device_id, transaction_timestamp, amount, currency,"
      + " payment_method, full_payload::text, bronze_id::text, file_path, ingested_at";

  /** Silver's columns without the payload, which gold never reads: it would only be carried through the shuffle. */
  static final String GOLD_INPUT_COLUMNS = SILVER_COLUMNS.replace("full_payload::text", "'{}' AS full_payload");

  /** Binds a transaction to {@link #SILVER_INSERT}, whose placeholders follow the COPY columns. */
  static void setSilver(EdgeTransaction t, PreparedStatement ps) throws SQLException {
    bind(ps, silverValues(t));
  }

  /**
   * The UTC days whose silver rows gold must (re)summarize: every day, or (incremental) the days
   * with rows changed since the last successful edge run that included gold, so a failed run is
   * caught up by the next one.
   */
  public static PTransform<PBegin, PCollection<Long>> silverDays(
      JdbcTarget target, boolean onlyChangedSinceLastGold, List<PCollection<Void>> after) {
    String changed = onlyChangedSinceLastGold
        ? " WHERE updated_at >= coalesce((SELECT max(completed_at) FROM ops.pipeline_runs WHERE pipeline = 'edge'"
            + " AND status = 'succeeded' AND layers LIKE '%gold%'), '-infinity'::timestamptz)"
        : "";
    return JdbcSteps.readAfter("ReadSilverDays", target,
        "SELECT DISTINCT (transaction_timestamp AT TIME ZONE 'UTC')::date FROM silver.edge_transactions" + changed,
        after, rs -> rs.getObject(1, LocalDate.class).toEpochDay(), VarLongCoder.of());
  }

  /** Every silver transaction on the given UTC days. */
  public static PTransform<PCollection<Long>, PCollection<EdgeTransaction>> readSilverOnDays(JdbcTarget target) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<EdgeTransaction> expand(PCollection<Long> days) {
        return days.apply("ReadSilverDay", JdbcIO.<Long, EdgeTransaction>readAll()
            .withDataSourceProviderFn(PooledDataSource.of(target))
            .withQuery("SELECT " + GOLD_INPUT_COLUMNS + " FROM silver.edge_transactions"
                + " WHERE transaction_timestamp >= ? AND transaction_timestamp < ?")
            .withParameterSetter((day, ps) -> {
              ps.setObject(1, LocalDate.ofEpochDay(day).atStartOfDay().atOffset(ZoneOffset.UTC));
              ps.setObject(2, LocalDate.ofEpochDay(day + 1).atStartOfDay().atOffset(ZoneOffset.UTC));
            })
            .withRowMapper(EdgeTables::silverTransaction)
            .withCoder(JdbcSteps.schemaCoder(days, EdgeTransaction.class))
            .withOutputParallelization(false));
      }
    };
  }

  // ---- gold and platinum -------------------------------------------------------------------

  public static PTransform<PCollection<StoreDailySummary>, PCollection<Void>> writeGold(JdbcTarget target) {
    return JdbcIO.<StoreDailySummary>write()
        .withDataSourceProviderFn(PooledDataSource.of(target))
        .withStatement(
            "INSERT INTO gold.store_daily_summary AS g (store_id, transaction_date, transaction_count, active_devices,"
                + " total_revenue, avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (store_id, transaction_date) DO UPDATE SET transaction_count = EXCLUDED.transaction_count,"
                + " active_devices = EXCLUDED.active_devices, total_revenue = EXCLUDED.total_revenue,"
                + " avg_transaction_value = EXCLUDED.avg_transaction_value, most_common_payment = EXCLUDED.most_common_payment,"
                + " first_transaction_time = EXCLUDED.first_transaction_time,"
                + " last_transaction_time = EXCLUDED.last_transaction_time, last_updated = now()"
                + " WHERE (g.transaction_count, g.active_devices, g.total_revenue, g.avg_transaction_value,"
                + " g.most_common_payment, g.first_transaction_time, g.last_transaction_time) IS DISTINCT FROM"
                + " (EXCLUDED.transaction_count, EXCLUDED.active_devices, EXCLUDED.total_revenue,"
                + " EXCLUDED.avg_transaction_value, EXCLUDED.most_common_payment, EXCLUDED.first_transaction_time,"
                + " EXCLUDED.last_transaction_time)")
        .withPreparedStatementSetter((s, ps) -> {
          ps.setString(1, s.getStoreId());
          ps.setObject(2, s.transactionDate());
          ps.setLong(3, s.getTransactionCount());
          ps.setLong(4, s.getActiveDevices());
          ps.setBigDecimal(5, s.getTotalRevenue());
          ps.setBigDecimal(6, s.getAvgTransactionValue());
          setNullableText(ps, 7, s.getMostCommonPayment());
          ps.setObject(8, timestamp(s.getFirstTransactionMillis()));
          ps.setObject(9, timestamp(s.getLastTransactionMillis()));
        })
        .withResults();
  }

  /** Gold rows inside the platinum window ending on {@code asOf}. */
  public static PTransform<PBegin, PCollection<StoreDailySummary>> readGoldWindow(
      JdbcTarget target, LocalDate asOf, List<PCollection<Void>> after) {
    LocalDate start = StoreFeatureCalculator.windowStart(asOf);
    return JdbcSteps.readAfter("ReadGoldWindow", target,
        "SELECT store_id, transaction_date, transaction_count, active_devices, total_revenue, avg_transaction_value,"
            + " most_common_payment, first_transaction_time, last_transaction_time FROM gold.store_daily_summary"
            + " WHERE transaction_date BETWEEN DATE '" + start + "' AND DATE '" + asOf + "'",
        after, EdgeTables::goldSummary, StoreDailySummary.class);
  }

  public static PTransform<PCollection<StoreFeatures>, PCollection<Void>> writePlatinum(JdbcTarget target) {
    return JdbcIO.<StoreFeatures>write()
        .withDataSourceProviderFn(PooledDataSource.of(target))
        .withStatement(
            "INSERT INTO platinum.store_features AS p (store_id, as_of_date, window_start, days_with_data,"
                + " avg_daily_transactions, stddev_daily_transactions, avg_daily_revenue, ma7_transactions, weekday_avg,"
                + " weekend_avg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (store_id, as_of_date) DO UPDATE SET window_start = EXCLUDED.window_start,"
                + " days_with_data = EXCLUDED.days_with_data, avg_daily_transactions = EXCLUDED.avg_daily_transactions,"
                + " stddev_daily_transactions = EXCLUDED.stddev_daily_transactions,"
                + " avg_daily_revenue = EXCLUDED.avg_daily_revenue, ma7_transactions = EXCLUDED.ma7_transactions,"
                + " weekday_avg = EXCLUDED.weekday_avg, weekend_avg = EXCLUDED.weekend_avg, last_updated = now()"
                + " WHERE (p.days_with_data, p.avg_daily_transactions, p.stddev_daily_transactions, p.avg_daily_revenue,"
                + " p.ma7_transactions, p.weekday_avg, p.weekend_avg) IS DISTINCT FROM (EXCLUDED.days_with_data,"
                + " EXCLUDED.avg_daily_transactions, EXCLUDED.stddev_daily_transactions, EXCLUDED.avg_daily_revenue,"
                + " EXCLUDED.ma7_transactions, EXCLUDED.weekday_avg, EXCLUDED.weekend_avg)")
        .withPreparedStatementSetter((f, ps) -> {
          ps.setString(1, f.getStoreId());
          ps.setObject(2, f.asOf());
          ps.setObject(3, f.windowStart());
          ps.setInt(4, f.getDaysWithData());
          ps.setDouble(5, f.getAvgDailyTransactions());
          setNullableDouble(ps, 6, f.getStddevDailyTransactions());
          ps.setBigDecimal(7, f.getAvgDailyRevenue());
          ps.setDouble(8, f.getMa7Transactions());
          setNullableDouble(ps, 9, f.getWeekdayAvg());
          setNullableDouble(ps, 10, f.getWeekendAvg());
        })
        .withResults();
  }

  // ---- replay -----------------------------------------------------------------------------

  /**
   * Sets the bronze rows of silver-layer quarantine entries back to pending, so the next silver run
   * parses them again. Returns the entries it requeued (those with a bronze id).
   */
  public static List<QuarantineEntry> requeue(JdbcTarget target, Layer layer, List<QuarantineEntry> entries) {
    if (layer != Layer.SILVER) {
      return List.of();
    }
    List<QuarantineEntry> requeued = new java.util.ArrayList<>();
    try (java.sql.Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE bronze.edge_raw SET processing_status = 'pending' WHERE id = ? AND processing_status = 'quarantined'")) {
      for (QuarantineEntry entry : entries) {
        if (entry.recordKey() != null) {
          ps.setObject(1, UUID.fromString(entry.recordKey()));
          ps.executeUpdate();
          requeued.add(entry);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not requeue bronze rows for the replay: " + e.getMessage(), e);
    }
    return requeued;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static OffsetDateTime timestamp(long millis) {
    return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
  }

  private static long millis(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
  }

  /** {@code INSERT INTO table AS t (columns) VALUES (?, ...)}, the JSON column cast to jsonb. */
  private static String insertStatement(String table, List<String> columns, String jsonColumn) {
    return "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") VALUES ("
        + columns.stream().map(c -> c.equals(jsonColumn) ? "CAST(? AS jsonb)" : "?").collect(java.util.stream.Collectors.joining(", "))
        + ")";
  }

  /** The row-at-a-time twin of a COPY row: the same values, in the same order, as parameters. */
  private static void bind(PreparedStatement ps, Object[] values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        ps.setObject(i + 1, values[i]);
      }
    }
  }

  private static void setNullableText(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  private static void setNullableDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  static BronzeRecord bronzeRecord(ResultSet rs) throws SQLException {
    return BronzeRecord.fromTable(
        rs.getString("id"), rs.getString("device_id"), rs.getString("file_name"), rs.getString("file_path"),
        rs.getInt("record_index"), rs.getString("raw_data"), rs.getLong("file_size_bytes"), rs.getString("checksum"),
        millis(rs, "created_at"), millis(rs, "ingested_at"));
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
        rs.getString("store_id"), rs.getObject("transaction_date", LocalDate.class), rs.getLong("transaction_count"),
        rs.getLong("active_devices"), total, rs.getBigDecimal("avg_transaction_value"),
        rs.getString("most_common_payment"), millis(rs, "first_transaction_time"), millis(rs, "last_transaction_time"));
  }

}

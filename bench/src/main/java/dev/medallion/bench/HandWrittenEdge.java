package dev.medallion.bench;

import dev.medallion.core.files.FolderLayout;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.edge.BronzeRecord;
import dev.medallion.transforms.edge.EdgeSchema;
import dev.medallion.transforms.edge.EdgeTransaction;
import dev.medallion.transforms.edge.EdgeTransactionParser;
import dev.medallion.transforms.edge.KeepFirstTransaction;
import dev.medallion.transforms.edge.StoreFeatureCalculator;
import dev.medallion.transforms.ingest.BronzeFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The edge pipeline's work as a user would write it by hand instead: one thread, one connection,
 * plain JDBC, the same tables. It reads the landing folder's files in first-landed order (then by
 * path), splits and validates each with the pipeline's own plain classes (so exactly the same
 * records are kept or set aside), COPYs every raw record into bronze.edge_raw, inserts silver in
 * JDBC batches of {@code INSERT ... ON CONFLICT (transaction_id) DO NOTHING}, recomputes the
 * store-days it touched in gold with the seed's gold query, and computes platinum for the as-of day
 * in SQL. It is a first load, as the bench runs it on emptied tables: it keeps no file ledger, so a
 * second run over the same files would stop on bronze's key.
 */
final class HandWrittenEdge {
  static final String RUN_ID = "bench-hand-written";

  /** Raw records sent per COPY into bronze. */
  private static final int COPY_ROWS = 10_000;

  /** Silver rows per JDBC batch. */
  private static final int INSERT_BATCH = 1_000;

  private static final String BRONZE_COPY =
      "COPY bronze.edge_raw (id, device_id, file_name, file_path, record_index, raw_data,"
          + " file_size_bytes, checksum, created_at, processing_status) FROM STDIN";

  // ingested_at is now(): the same instant bronze's default gives its rows in this transaction.
  private static final String SILVER_INSERT =
      "INSERT INTO silver.edge_transactions (transaction_id, store_id, device_id, transaction_timestamp,"
          + " amount, currency, payment_method, full_payload, bronze_id, file_path, ingested_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS uuid), ?, now())"
          + " ON CONFLICT (transaction_id) DO NOTHING";

  /**
   * The seed's gold query (edge-device-medallion.md, section 3) over the touched store-days only.
   * Days are UTC days, as everywhere in the project; AVG lands in numeric(14,4), which rounds half
   * away from zero like the pipeline's HALF_UP; MODE() breaks ties to the smallest value, in byte
   * order like the pipeline's string comparison.
   */
  private static final String GOLD =
      "INSERT INTO gold.store_daily_summary (store_id, transaction_date, transaction_count, active_devices,"
          + " total_revenue, avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time)"
          + " SELECT store_id, (transaction_timestamp AT TIME ZONE 'UTC')::date,"
          + " COUNT(DISTINCT transaction_id), COUNT(DISTINCT device_id), SUM(amount), AVG(amount),"
          + " MODE() WITHIN GROUP (ORDER BY payment_method COLLATE \"C\"),"
          + " MIN(transaction_timestamp), MAX(transaction_timestamp)"
          + " FROM silver.edge_transactions"
          + " WHERE (store_id, (transaction_timestamp AT TIME ZONE 'UTC')::date)"
          + " IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS date[])))"
          + " GROUP BY store_id, (transaction_timestamp AT TIME ZONE 'UTC')::date"
          + " ON CONFLICT (store_id, transaction_date) DO UPDATE SET"
          + " transaction_count = EXCLUDED.transaction_count, active_devices = EXCLUDED.active_devices,"
          + " total_revenue = EXCLUDED.total_revenue, avg_transaction_value = EXCLUDED.avg_transaction_value,"
          + " most_common_payment = EXCLUDED.most_common_payment,"
          + " first_transaction_time = EXCLUDED.first_transaction_time,"
          + " last_transaction_time = EXCLUDED.last_transaction_time, last_updated = now()";

  /**
   * The seed's store_metrics over gold's window, as the pipeline defines each feature: means over
   * the days that have a summary, the moving average over the last 7 such days, weekend being
   * Saturday and Sunday. The means divide the exact sums as doubles, which is what the pipeline's
   * Java does, so they agree to the last bit; the sample stddev is the seed's STDDEV (exact, then a
   * double), which differs from the pipeline's double arithmetic in the last bits.
   */
  private static final String PLATINUM =
      "INSERT INTO platinum.store_features (store_id, as_of_date, window_start, days_with_data,"
          + " avg_daily_transactions, stddev_daily_transactions, avg_daily_revenue, ma7_transactions,"
          + " weekday_avg, weekend_avg)"
          + " SELECT store_id, CAST(? AS date), CAST(? AS date), count(*),"
          + " sum(transaction_count)::float8 / count(*),"
          + " stddev_samp(transaction_count)::float8,"
          + " round(sum(total_revenue) / count(*), 4),"
          + " (sum(transaction_count) FILTER (WHERE newest <= 7))::float8 / count(*) FILTER (WHERE newest <= 7),"
          + " (sum(transaction_count) FILTER (WHERE NOT weekend))::float8"
          + " / nullif(count(*) FILTER (WHERE NOT weekend), 0),"
          + " (sum(transaction_count) FILTER (WHERE weekend))::float8 / nullif(count(*) FILTER (WHERE weekend), 0)"
          + " FROM (SELECT store_id, transaction_count, total_revenue,"
          + " extract(isodow FROM transaction_date) >= 6 AS weekend,"
          + " row_number() OVER (PARTITION BY store_id ORDER BY transaction_date DESC) AS newest"
          + " FROM gold.store_daily_summary WHERE transaction_date BETWEEN CAST(? AS date) AND CAST(? AS date)) days"
          + " GROUP BY store_id"
          + " ON CONFLICT (store_id, as_of_date) DO UPDATE SET window_start = EXCLUDED.window_start,"
          + " days_with_data = EXCLUDED.days_with_data, avg_daily_transactions = EXCLUDED.avg_daily_transactions,"
          + " stddev_daily_transactions = EXCLUDED.stddev_daily_transactions,"
          + " avg_daily_revenue = EXCLUDED.avg_daily_revenue, ma7_transactions = EXCLUDED.ma7_transactions,"
          + " weekday_avg = EXCLUDED.weekday_avg, weekend_avg = EXCLUDED.weekend_avg, last_updated = now()";

  private final JdbcTarget target;
  private final LocalDate asOf;

  HandWrittenEdge(JdbcTarget target, LocalDate asOf) {
    // The batched inserts go out as multi-row statements, as pgjdbc's documentation recommends.
    this.target = target.withUrlParameter("reWriteBatchedInserts", "true");
    this.asOf = asOf;
  }

  /** A store and a UTC day whose gold row this run must recompute. */
  private record StoreDay(String store, LocalDate day) {}

  /** A file found in the landing folder, before it is read. */
  private record Found(Path path, long landedAtMillis) {}

  /** Loads every file under {@code landing} to platinum; returns the records read. */
  long run(Path landing) throws Exception {
    String prefix = landing + "/";
    List<Found> files = landedFiles(landing);
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      c.setAutoCommit(false);
      Load load = new Load(c);
      for (Found found : files) {
        Path path = found.path();
        String name = path.getFileName().toString();
        load.file(
            LandedFile.create(prefix, name, Files.readAllBytes(path), found.landedAtMillis()));
      }
      load.finish();
      c.commit();
      c.setAutoCommit(true);
      recomputeGold(c, load.touched);
      computePlatinum(c);
      return load.records;
    }
  }

  /**
   * The files directly under the folder that a device landed, earliest first (then by path): the
   * order in which the first record of a transaction id wins.
   */
  private static List<Found> landedFiles(Path landing) throws Exception {
    List<Found> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(landing)) {
      for (Path path : listing.toList()) {
        if (Files.isRegularFile(path) && FolderLayout.isLandedName(path.getFileName().toString())) {
          files.add(new Found(path, Files.getLastModifiedTime(path).toMillis()));
        }
      }
    }
    files.sort(
        Comparator.comparingLong(Found::landedAtMillis)
            .thenComparing(found -> found.path().toString()));
    return files;
  }

  /** Bronze and silver for all files, in one transaction on one connection. */
  private static final class Load {
    private final Connection c;
    private final CopyManager copy;
    private final PreparedStatement silver;
    private final PreparedStatement partition;
    private final StringBuilder bronzeRows = new StringBuilder();
    private final Set<String> partitions = new HashSet<>();
    private final List<QuarantinedRecord> setAside = new ArrayList<>();

    /** The first record of each transaction id: the one silver takes. */
    private final Map<String, KeepFirstTransaction.Holder> first = new HashMap<>();

    final Set<StoreDay> touched = new HashSet<>();
    long records;
    private int bronzePending;
    private int silverPending;

    Load(Connection c) throws SQLException {
      this.c = c;
      this.copy = c.unwrap(PGConnection.class).getCopyAPI();
      this.silver = c.prepareStatement(SILVER_INSERT);
      this.partition =
          c.prepareStatement("SELECT bronze.ensure_edge_raw_partition(CAST(? AS date))");
    }

    void file(LandedFile file) throws Exception {
      BronzeFiles.Split<BronzeRecord> split = EdgeSchema.BRONZE_FILES.split(file, RUN_ID);
      setAside.addAll(split.failures());
      ensurePartition(file.landedAtMillis());
      for (BronzeRecord record : split.records()) {
        records++;
        bronze(record, silver(record) ? "processed" : "quarantined");
      }
    }

    /** Validates a record and adds it to silver's batch; false when it is set aside instead. */
    private boolean silver(BronzeRecord record) throws Exception {
      EdgeTransaction t;
      try {
        t = EdgeTransactionParser.parse(record);
      } catch (InvalidRecordException e) {
        setAside.add(
            QuarantinedRecord.of(
                    Layer.SILVER,
                    record.getFilePath(),
                    record.getRecordIndex(),
                    record.getId(),
                    record.getRawJson(),
                    e)
                .withSourceChecksum(record.getChecksum()));
        return false;
      }
      KeepFirstTransaction.Picked picked =
          KeepFirstTransaction.pick(List.of(t), first.get(t.getTransactionId()));
      if (picked.kept() == null) {
        setAside.addAll(picked.duplicates());
        return false;
      }
      first.put(
          t.getTransactionId(), new KeepFirstTransaction.Holder(t.getBronzeId(), t.getFilePath()));
      touched.add(new StoreDay(t.getStoreId(), t.transactionDate()));
      silver.setString(1, t.getTransactionId());
      silver.setString(2, t.getStoreId());
      silver.setString(3, t.getDeviceId());
      silver.setObject(4, t.timestamp().atOffset(ZoneOffset.UTC));
      silver.setBigDecimal(5, t.getAmount());
      silver.setString(6, t.getCurrency());
      silver.setString(7, t.getPaymentMethod());
      silver.setString(8, t.getPayloadJson());
      silver.setString(9, t.getBronzeId());
      silver.setString(10, t.getFilePath());
      silver.addBatch();
      if (++silverPending == INSERT_BATCH) {
        sendBronze();
        silver.executeBatch();
        silverPending = 0;
      }
      return true;
    }

    private void bronze(BronzeRecord r, String status) throws Exception {
      bronzeRows
          .append(r.getId())
          .append('\t')
          .append(copyText(r.getDeviceId()))
          .append('\t')
          .append(copyText(r.getFileName()))
          .append('\t')
          .append(copyText(r.getFilePath()))
          .append('\t')
          .append(r.getRecordIndex())
          .append('\t')
          .append(copyText(r.getRawJson()))
          .append('\t')
          .append(r.getFileSizeBytes())
          .append('\t')
          .append(r.getChecksum())
          .append('\t')
          .append(Instant.ofEpochMilli(r.getCreatedAtMillis()))
          .append('\t')
          .append(status)
          .append('\n');
      if (++bronzePending == COPY_ROWS) {
        sendBronze();
      }
    }

    /** Bronze's monthly partition for a landing time (the table is partitioned by created_at). */
    private void ensurePartition(long landedAtMillis) throws SQLException {
      String month =
          Instant.ofEpochMilli(landedAtMillis)
              .atZone(ZoneOffset.UTC)
              .toLocalDate()
              .withDayOfMonth(1)
              .toString();
      if (partitions.add(month)) {
        partition.setString(1, month);
        partition.executeQuery().close();
      }
    }

    private void sendBronze() throws Exception {
      if (bronzePending == 0) {
        return;
      }
      copy.copyIn(
          BRONZE_COPY,
          new ByteArrayInputStream(bronzeRows.toString().getBytes(StandardCharsets.UTF_8)));
      bronzeRows.setLength(0);
      bronzePending = 0;
    }

    void finish() throws Exception {
      sendBronze();
      if (silverPending > 0) {
        silver.executeBatch();
      }
      for (QuarantinedRecord q : setAside) {
        WriteQuarantine.write(c, EdgeSchema.PIPELINE, RUN_ID, q);
      }
      silver.close();
      partition.close();
    }
  }

  private static void recomputeGold(Connection c, Set<StoreDay> touched) throws SQLException {
    try (PreparedStatement gold = c.prepareStatement(GOLD)) {
      gold.setArray(
          1, c.createArrayOf("text", touched.stream().map(StoreDay::store).toArray(String[]::new)));
      gold.setArray(
          2,
          c.createArrayOf(
              "text", touched.stream().map(d -> d.day().toString()).toArray(String[]::new)));
      gold.executeUpdate();
    }
  }

  private void computePlatinum(Connection c) throws SQLException {
    String start = StoreFeatureCalculator.windowStart(asOf).toString();
    try (PreparedStatement platinum = c.prepareStatement(PLATINUM)) {
      platinum.setString(1, asOf.toString());
      platinum.setString(2, start);
      platinum.setString(3, start);
      platinum.setString(4, asOf.toString());
      platinum.executeUpdate();
    }
  }

  /** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
  static String copyText(String value) {
    if (value.indexOf('\\') < 0
        && value.indexOf('\t') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}

package dev.medallion.transforms.edge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.jdbc.CopyMergeWrite;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.ingest.FileLedger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;

/**
 * The statements the edge table specs derive, written out by hand: what runs against the database.
 */
public class EdgeSchemaTest {
  private static final String BRONZE_COLUMNS =
      "id, device_id, file_name, file_path, record_index, raw_data, file_size_bytes, checksum, created_at";

  @Test
  public void bronzeStatementsAllComeFromItsSpec() {
    assertEquals(
        "INSERT INTO bronze.edge_raw AS t ("
            + BRONZE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)"
            + " ON CONFLICT (id, created_at) DO NOTHING",
        EdgeSchema.BRONZE.insertSql());
    assertEquals(
        "id, device_id, file_name, file_path, record_index, raw_data::text AS raw_data, file_size_bytes, checksum,"
            + " created_at, ingested_at, processing_status",
        EdgeSchema.BRONZE.selectList());
    assertEquals(
        "SELECT id, device_id, file_name, file_path, record_index, raw_data::text AS raw_data, file_size_bytes, checksum,"
            + " created_at, ingested_at, processing_status FROM bronze.edge_raw WHERE processing_status = 'pending'"
            + " AND checksum = ? ORDER BY record_index",
        EdgeSchema.PENDING_BRONZE_OF_FILE);
    assertEquals(
        "UPDATE bronze.edge_raw AS t SET processing_status = s.processing_status"
            + " FROM (VALUES (?, ?)) AS s (id, processing_status)"
            + " WHERE t.id = s.id AND (t.processing_status) IS DISTINCT FROM (s.processing_status)",
        EdgeSchema.BRONZE_STATUS.updateSql());

    JdbcTarget unused = JdbcTarget.of("jdbc:postgresql://localhost/none", "none", null);
    assertThat(
        CopyMergeWrite.into(unused, EdgeSchema.BRONZE).mergeStatement(),
        matchesPattern(
            "INSERT INTO bronze\\.edge_raw AS t \\("
                + BRONZE_COLUMNS
                + "\\) SELECT "
                + BRONZE_COLUMNS
                + " FROM medallion_stage_bronze_edge_raw_[0-9a-f]+ ON CONFLICT \\(id, created_at\\) DO NOTHING"));
    assertThat(
        CopyMergeWrite.updating(unused, EdgeSchema.BRONZE_STATUS).mergeStatement(),
        matchesPattern(
            "UPDATE bronze\\.edge_raw AS t SET processing_status = s\\.processing_status FROM medallion_stage_bronze_edge_raw_[0-9a-f]+"
                + " AS s WHERE t\\.id = s\\.id AND \\(t\\.processing_status\\) IS DISTINCT FROM \\(s\\.processing_status\\)"));
  }

  @Test
  public void bronzeValuesFollowTheColumns() {
    BronzeRecord r =
        BronzeRecord.create(
            "pi5-a", "a_1.json", "landing/a_1.json", 2, "{\"x\":1}", 40, "abc", 1718704800000L, 0L);
    assertArrayEquals(
        new Object[] {
          UUID.fromString(r.getId()),
          "pi5-a",
          "a_1.json",
          "landing/a_1.json",
          2,
          "{\"x\":1}",
          40L,
          "abc",
          OffsetDateTime.parse("2024-06-18T10:00:00Z")
        },
        EdgeSchema.BRONZE.values(r));
    assertArrayEquals(
        new Object[] {UUID.fromString(r.getId()), "processed"},
        EdgeSchema.BRONZE_STATUS.values(KV.of(r.getId(), "processed")));
    assertEquals("2024-06-01", EdgeSchema.partitionMonth(r));
  }

  @Test
  public void silverGoldAndPlatinumUpsertsComeFromTheirSpecs() {
    assertEquals(
        "INSERT INTO silver.edge_transactions AS t (transaction_id, store_id, device_id, transaction_timestamp, amount,"
            + " currency, payment_method, full_payload, bronze_id, file_path, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
            + " CAST(? AS jsonb), ?, ?, ?) ON CONFLICT (transaction_id) DO NOTHING",
        EdgeSchema.SILVER.insertSql(OnConflict.KEEP_EXISTING));
    assertEquals(
        "ON CONFLICT (transaction_id) DO UPDATE SET store_id = EXCLUDED.store_id, device_id = EXCLUDED.device_id,"
            + " transaction_timestamp = EXCLUDED.transaction_timestamp, amount = EXCLUDED.amount, currency = EXCLUDED.currency,"
            + " payment_method = EXCLUDED.payment_method, full_payload = EXCLUDED.full_payload, bronze_id = EXCLUDED.bronze_id,"
            + " file_path = EXCLUDED.file_path, ingested_at = EXCLUDED.ingested_at, updated_at = now()"
            + " WHERE (t.store_id, t.device_id, t.transaction_timestamp, t.amount, t.currency, t.payment_method, t.full_payload,"
            + " t.bronze_id, t.file_path, t.ingested_at) IS DISTINCT FROM (EXCLUDED.store_id, EXCLUDED.device_id,"
            + " EXCLUDED.transaction_timestamp, EXCLUDED.amount, EXCLUDED.currency, EXCLUDED.payment_method, EXCLUDED.full_payload,"
            + " EXCLUDED.bronze_id, EXCLUDED.file_path, EXCLUDED.ingested_at)",
        EdgeSchema.SILVER.onConflictClause());
    assertEquals(
        "SELECT transaction_id, store_id, device_id, transaction_timestamp, amount, currency, payment_method,"
            + " '{}' AS full_payload, bronze_id, file_path, ingested_at, updated_at FROM silver.edge_transactions",
        EdgeSchema.GOLD_INPUT);
    assertEquals(
        "SELECT bronze_id, file_path FROM silver.edge_transactions WHERE transaction_id = ?",
        EdgeSchema.SILVER_HOLDER);

    assertEquals(
        "INSERT INTO gold.store_daily_summary AS t (store_id, transaction_date, transaction_count, active_devices,"
            + " total_revenue, avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, transaction_date) DO UPDATE SET"
            + " transaction_count = EXCLUDED.transaction_count, active_devices = EXCLUDED.active_devices,"
            + " total_revenue = EXCLUDED.total_revenue, avg_transaction_value = EXCLUDED.avg_transaction_value,"
            + " most_common_payment = EXCLUDED.most_common_payment, first_transaction_time = EXCLUDED.first_transaction_time,"
            + " last_transaction_time = EXCLUDED.last_transaction_time, last_updated = now()"
            + " WHERE (t.transaction_count, t.active_devices, t.total_revenue, t.avg_transaction_value, t.most_common_payment,"
            + " t.first_transaction_time, t.last_transaction_time) IS DISTINCT FROM (EXCLUDED.transaction_count,"
            + " EXCLUDED.active_devices, EXCLUDED.total_revenue, EXCLUDED.avg_transaction_value, EXCLUDED.most_common_payment,"
            + " EXCLUDED.first_transaction_time, EXCLUDED.last_transaction_time)",
        EdgeSchema.GOLD.insertSql());
    assertEquals(List.of("store_id", "as_of_date"), EdgeSchema.PLATINUM.keyColumns());
    assertEquals(
        List.of(
            "window_start",
            "days_with_data",
            "avg_daily_transactions",
            "stddev_daily_transactions",
            "avg_daily_revenue",
            "ma7_transactions",
            "weekday_avg",
            "weekend_avg"),
        EdgeSchema.PLATINUM.valueColumns());
  }

  @Test
  public void theFileLedgerIsASpecToo() {
    assertEquals(
        "INSERT INTO ops.landed_files AS t (pipeline, checksum, path, size_bytes, landed_at, records, quarantined,"
            + " status, reason, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, checksum) DO UPDATE SET"
            + " path = EXCLUDED.path, size_bytes = EXCLUDED.size_bytes, landed_at = EXCLUDED.landed_at, records = EXCLUDED.records,"
            + " quarantined = EXCLUDED.quarantined, status = EXCLUDED.status, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id,"
            + " ingested_at = now() WHERE (t.path, t.size_bytes, t.landed_at, t.records, t.quarantined, t.status, t.reason,"
            + " t.run_id) IS DISTINCT FROM (EXCLUDED.path, EXCLUDED.size_bytes, EXCLUDED.landed_at, EXCLUDED.records,"
            + " EXCLUDED.quarantined, EXCLUDED.status, EXCLUDED.reason, EXCLUDED.run_id)",
        FileLedger.LANDED_FILES.insertSql());
  }
}

package dev.medallion.transforms.edge;

import static org.junit.Assert.assertEquals;

import dev.medallion.io.jdbc.BatchWriteTest;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The edge tables' writes set aside what PostgreSQL refuses, even when the parser's checks are
 * bypassed: a 10,000-character transaction_id in silver, a 10,000-character store_id in gold. The
 * other rows of the same batch land.
 */
public class EdgeSinkRejectsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String DAY_MILLIS = "2024-06-20T10:00:00Z";

  @Before
  public void emptyTables() {
    TestDatabase.truncate("silver.edge_transactions", "gold.store_daily_summary");
  }

  private static EdgeTransaction transaction(String id, int index) {
    long at = Instant.parse(DAY_MILLIS).toEpochMilli();
    return EdgeTransaction.builder()
        .setTransactionId(id)
        .setStoreId("S1")
        .setDeviceId("d1")
        .setTimestampMillis(at)
        .setAmount(new BigDecimal("10.00"))
        .setCurrency("USD")
        .setPaymentMethod("cash")
        .setPayloadJson("{\"i\": " + index + "}")
        .setBronzeId(new UUID(0, index).toString())
        .setFilePath("landing/f.jsonl")
        .setRecordIndex(index)
        .setLandedAtMillis(at)
        .setIngestedAtMillis(at)
        .build();
  }

  private static PCollection<String> described(PCollectionTuple written) {
    return written
        .get(SinkRejects.REJECTED)
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    q ->
                        String.join(
                            "|",
                            q.getLayer(),
                            q.getSource(),
                            String.valueOf(q.getRecordIndex()),
                            String.valueOf(q.getRecordKey()),
                            q.getErrorClass(),
                            q.getReason())));
  }

  @Test
  public void silverSetsAsideATransactionIdItsKeyCannotHold() {
    PCollectionTuple written =
        pipeline
            .apply(
                Create.of(
                    transaction("T0", 0),
                    transaction(BatchWriteTest.incompressible(10_000), 1),
                    transaction("T2", 2)))
            .apply(EdgeSchema.writeSilver(TestDatabase.target()));
    PAssert.that(described(written))
        .containsInAnyOrder(
            "silver|landing/f.jsonl|1|"
                + new UUID(0, 1)
                + "|rejected_by_sink|silver.edge_transactions refused the row: index row requires"
                + " 10016 bytes, maximum size is 8191 [SQLState 54000]");
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("T0", "T2"),
        TestDatabase.rows("SELECT transaction_id FROM silver.edge_transactions ORDER BY 1"));
  }

  @Test
  public void goldSetsAsideAStoreIdItsKeyCannotHoldAndARevenueBeyondItsColumn() {
    String hugeStore = BatchWriteTest.incompressible(10_000);
    LocalDate day = LocalDate.parse("2024-06-20");
    long at = Instant.parse(DAY_MILLIS).toEpochMilli();
    PCollectionTuple written =
        pipeline
            .apply(
                Create.of(
                    StoreDailySummary.create(
                        "S1",
                        day,
                        1,
                        1,
                        new BigDecimal("10.00"),
                        new BigDecimal("10.0000"),
                        "cash",
                        at,
                        at),
                    StoreDailySummary.create(
                        hugeStore,
                        day,
                        1,
                        1,
                        new BigDecimal("10.00"),
                        new BigDecimal("10.0000"),
                        "cash",
                        at,
                        at),
                    // numeric(14,2) ends at 999,999,999,999.99: 10,001 sales of 99,999,999.99.
                    StoreDailySummary.create(
                        "S3",
                        day,
                        10_001,
                        1,
                        new BigDecimal("1000099999999.90"),
                        new BigDecimal("99999999.9900"),
                        "cash",
                        at,
                        at),
                    StoreDailySummary.create(
                        "S4",
                        day,
                        2,
                        1,
                        new BigDecimal("5.00"),
                        new BigDecimal("2.5000"),
                        "card",
                        at,
                        at)))
            .apply(EdgeSchema.writeGold(TestDatabase.target()));
    PAssert.that(described(written))
        .containsInAnyOrder(
            "gold|gold.store_daily_summary/2024-06-20/"
                + hugeStore.substring(0, 60)
                + "...(10000 characters, hash "
                + Integer.toHexString(hugeStore.hashCode())
                + ")|-1|null|rejected_by_sink|gold.store_daily_summary refused the row: index row"
                + " requires 10016 bytes, maximum size is 8191 [SQLState 54000]",
            "gold|gold.store_daily_summary/2024-06-20/S3|-1|null|rejected_by_sink"
                + "|gold.store_daily_summary refused the row: numeric field overflow (A field with"
                + " precision 14, scale 2 must round to an absolute value less than 10^12.)"
                + " [SQLState 22003]");
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("S1|10.00", "S4|5.00"),
        TestDatabase.rows(
            "SELECT store_id, total_revenue FROM gold.store_daily_summary ORDER BY 1"));
  }
}

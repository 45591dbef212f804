package dev.medallion.transforms.edge;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

public class ParseEdgeTransactionsTest {
  private static final String CHECKSUM = "0123456789abcdef0123456789abcdef";

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String PATH = "landing/processed/20240618/pi5-a_20240618T103000Z.json";
  private static final long LANDED = Instant.parse("2024-06-18T10:30:00Z").toEpochMilli();
  private static final long INGESTED = Instant.parse("2024-06-18T10:31:00Z").toEpochMilli();

  private static BronzeRecord bronze(String id, int index, String json) {
    return BronzeRecord.fromTable(
        id,
        "pi5-a",
        "pi5-a_20240618T103000Z.json",
        PATH,
        index,
        json,
        900L,
        CHECKSUM,
        LANDED,
        INGESTED);
  }

  private static final String GOOD_1 =
      "{\"transaction_id\":\"g1\",\"store_id\":\"s1\","
          + "\"timestamp\":\"2024-06-18T12:02:11+02:00\",\"amount\":\"18.40\",\"currency\":\"EUR\",\"payment_method\":\"card\"}";
  private static final String GOOD_2 =
      "{\"transaction_id\":\"g2\",\"store_id\":\"s2\",\"timestamp\":\"2024-06-18T10:00:00Z\",\"amount\":7}";
  private static final String NO_STORE =
      "{\"transaction_id\":\"b1\",\"timestamp\":\"2024-06-18T10:00:00Z\",\"amount\":1}";
  private static final String BAD_TIME =
      "{\"transaction_id\":\"b2\",\"store_id\":\"s1\",\"timestamp\":\"21/06/2024\",\"amount\":1}";
  private static final String BAD_AMOUNT =
      "{\"transaction_id\":\"b3\",\"store_id\":\"s1\",\"timestamp\":\"2024-06-18T10:00:00Z\",\"amount\":\"abc\"}";
  private static final String NOT_OBJECT = "[1]";

  @Test
  public void goodRecordsBecomeTransactionsAndBadOnesFailures() throws Exception {
    List<BronzeRecord> input =
        List.of(
            bronze("00000000-0000-0000-0000-000000000001", 0, GOOD_1),
            bronze("00000000-0000-0000-0000-000000000002", 1, GOOD_2),
            bronze("00000000-0000-0000-0000-000000000003", 2, NO_STORE),
            bronze("00000000-0000-0000-0000-000000000004", 3, BAD_TIME),
            bronze("00000000-0000-0000-0000-000000000005", 4, BAD_AMOUNT),
            bronze("00000000-0000-0000-0000-000000000006", 5, NOT_OBJECT));

    PCollectionTuple out =
        p.apply(Create.of(input).withCoder(BronzeRecord.Coder.of()))
            .apply(ParseEdgeTransactions.fromBronze());

    PAssert.that(out.get(ParseEdgeTransactions.TRANSACTIONS))
        .containsInAnyOrder(
            EdgeTransaction.builder()
                .setTransactionId("g1")
                .setStoreId("s1")
                .setDeviceId("pi5-a") // from the bronze row
                .setTimestampMillis(
                    Instant.parse("2024-06-18T10:02:11Z").toEpochMilli()) // 12:02:11+02:00
                .setAmount(new BigDecimal("18.40"))
                .setCurrency("EUR")
                .setPaymentMethod("card")
                .setPayloadJson(GOOD_1) // compact in, compact out
                .setBronzeId("00000000-0000-0000-0000-000000000001")
                .setFilePath(PATH)
                .setRecordIndex(0)
                .setLandedAtMillis(LANDED)
                .setIngestedAtMillis(INGESTED)
                .build(),
            EdgeTransaction.builder()
                .setTransactionId("g2")
                .setStoreId("s2")
                .setDeviceId("pi5-a")
                .setTimestampMillis(Instant.parse("2024-06-18T10:00:00Z").toEpochMilli())
                .setAmount(new BigDecimal("7.00")) // 7 -> 7.00
                .setCurrency(null)
                .setPaymentMethod(null)
                .setPayloadJson(GOOD_2)
                .setBronzeId("00000000-0000-0000-0000-000000000002")
                .setFilePath(PATH)
                .setRecordIndex(1)
                .setLandedAtMillis(LANDED)
                .setIngestedAtMillis(INGESTED)
                .build());

    PAssert.that(out.get(ParseEdgeTransactions.FAILURES))
        .containsInAnyOrder(
            QuarantinedRecord.of(
                    Layer.SILVER,
                    ErrorClass.MISSING_FIELD,
                    PATH,
                    2,
                    "00000000-0000-0000-0000-000000000003",
                    NO_STORE,
                    "store_id is missing or empty")
                .withSourceChecksum(CHECKSUM),
            QuarantinedRecord.of(
                    Layer.SILVER,
                    ErrorClass.INVALID_TYPE,
                    PATH,
                    3,
                    "00000000-0000-0000-0000-000000000004",
                    BAD_TIME,
                    "timestamp '21/06/2024' is not ISO-8601 with a UTC offset (e.g. 2024-06-18T10:02:11Z or 2024-06-18T12:02:11+02:00)")
                .withSourceChecksum(CHECKSUM),
            QuarantinedRecord.of(
                    Layer.SILVER,
                    ErrorClass.INVALID_TYPE,
                    PATH,
                    4,
                    "00000000-0000-0000-0000-000000000005",
                    BAD_AMOUNT,
                    "amount 'abc' is not a number")
                .withSourceChecksum(CHECKSUM),
            QuarantinedRecord.of(
                    Layer.SILVER,
                    ErrorClass.MALFORMED_RECORD,
                    PATH,
                    5,
                    "00000000-0000-0000-0000-000000000006",
                    NOT_OBJECT,
                    "raw record is not a JSON object")
                .withSourceChecksum(CHECKSUM));

    p.run().waitUntilFinish();
  }

  @Test
  public void anOverflowingAmountIsQuarantinedNotFatal() throws Exception {
    // 1e400 is Infinity as a double; before the fix this threw out of the DoFn and failed the run.
    String json =
        "{\"transaction_id\":\"x\",\"store_id\":\"s1\",\"timestamp\":\"2024-06-18T10:00:00Z\",\"amount\":1e400}";
    PCollectionTuple out =
        p.apply(
                Create.of(List.of(bronze("00000000-0000-0000-0000-000000000009", 0, json)))
                    .withCoder(BronzeRecord.Coder.of()))
            .apply(ParseEdgeTransactions.fromBronze());

    PAssert.that(out.get(ParseEdgeTransactions.TRANSACTIONS)).empty();
    PAssert.that(out.get(ParseEdgeTransactions.FAILURES))
        .containsInAnyOrder(
            QuarantinedRecord.of(
                    Layer.SILVER,
                    ErrorClass.INVALID_VALUE,
                    PATH,
                    0,
                    "00000000-0000-0000-0000-000000000009",
                    json,
                    "amount overflows a double, so it is outside numeric(10,2)")
                .withSourceChecksum(CHECKSUM));
    p.run().waitUntilFinish();
  }
}

package dev.medallion.transforms.edge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.ops.ErrorClass;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.Test;

public class EdgeTransactionParserTest {
  private static final String FILE_NAME = "pi5-a_20240618T103000Z.json";
  private static final String FILE_PATH = "landing/" + FILE_NAME;
  // 2024-06-18T10:30:00Z, when the file landed.
  private static final long LANDED_AT = Instant.parse("2024-06-18T10:30:00Z").toEpochMilli();
  private static final long INGESTED_AT = Instant.parse("2024-06-18T10:31:00Z").toEpochMilli();

  private static BronzeRecord bronze(String json) {
    return BronzeRecord.create(
        "pi5-a",
        FILE_NAME,
        FILE_PATH,
        3,
        json,
        512L,
        "0123456789abcdef0123456789abcdef",
        LANDED_AT,
        INGESTED_AT);
  }

  /**
   * A valid record with one field replaced (the value is raw JSON text, or null to drop the field).
   */
  private static String recordWith(String field, String rawValue) {
    String[][] fields = {
      {"transaction_id", "\"tx-1\""},
      {"store_id", "\"store-7\""},
      {"timestamp", "\"2024-06-18T12:02:11+02:00\""},
      {"amount", "18.4"},
      {"payment_method", "\"card\""},
    };
    StringBuilder json = new StringBuilder("{");
    for (String[] f : fields) {
      String value = f[0].equals(field) ? rawValue : f[1];
      if (value == null) {
        continue;
      }
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(f[0]).append("\":").append(value);
    }
    return json.append('}').toString();
  }

  private static String failureOf(String json) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> EdgeTransactionParser.parse(bronze(json)));
    return e.getMessage();
  }

  @Test
  public void goodRecordFillsEveryField() throws Exception {
    String json =
        "{\"transaction_id\":\"tx-1\",\"store_id\":\"store-7\",\"device_id\":\"pi5-a\","
            + "\"timestamp\":\"2024-06-18T12:02:11+02:00\",\"amount\":18.4,\"currency\":\"EUR\",\"payment_method\":\"card\"}";
    BronzeRecord bronze = bronze(json);

    EdgeTransaction t = EdgeTransactionParser.parse(bronze);

    assertEquals("tx-1", t.getTransactionId());
    assertEquals("store-7", t.getStoreId());
    assertEquals("pi5-a", t.getDeviceId()); // the bronze record's device
    // 12:02:11 at +02:00 is 10:02:11 UTC.
    assertEquals(Instant.parse("2024-06-18T10:02:11Z").toEpochMilli(), t.getTimestampMillis());
    // 18.4 kept at numeric(10,2) scale: 18.40 (scale 2), so equals() with "18.40" holds.
    assertEquals(new BigDecimal("18.40"), t.getAmount());
    assertEquals(2, t.getAmount().scale());
    assertEquals("EUR", t.getCurrency());
    assertEquals("card", t.getPaymentMethod());
    // Compact JSON in, the same compact JSON out (Jackson keeps field order; 18.4 prints as 18.4).
    assertEquals(json, t.getPayloadJson());
    assertEquals(bronze.getId(), t.getBronzeId());
    assertEquals(FILE_PATH, t.getFilePath());
    assertEquals(3, t.getRecordIndex());
    assertEquals(LANDED_AT, t.getLandedAtMillis()); // bronze created_at is when the file landed
    assertEquals(INGESTED_AT, t.getIngestedAtMillis());
  }

  @Test
  public void timestampInUtcIsAccepted() throws Exception {
    EdgeTransaction t =
        EdgeTransactionParser.parse(bronze(recordWith("timestamp", "\"2024-06-18T10:02:11Z\"")));
    assertEquals(Instant.parse("2024-06-18T10:02:11Z").toEpochMilli(), t.getTimestampMillis());
  }

  @Test
  public void optionalFieldsAbsentOrBlankAreNull() throws Exception {
    // No currency at all; payment_method only blanks.
    EdgeTransaction t =
        EdgeTransactionParser.parse(bronze(recordWith("payment_method", "\"   \"")));
    assertNull(t.getCurrency());
    assertNull(t.getPaymentMethod());
  }

  @Test
  public void textFieldsAreStripped() throws Exception {
    EdgeTransaction t =
        EdgeTransactionParser.parse(bronze(recordWith("store_id", "\"  store-7 \"")));
    assertEquals("store-7", t.getStoreId());
  }

  @Test
  public void amountAsStringIsParsed() throws Exception {
    EdgeTransaction t = EdgeTransactionParser.parse(bronze(recordWith("amount", "\"18.40\"")));
    assertEquals(new BigDecimal("18.40"), t.getAmount()); // "18.40" -> 18.40, scale 2
  }

  @Test
  public void amountRoundsHalfUpToCents() throws Exception {
    // 1.005: the third decimal is 5, HALF_UP -> 1.01 (as PostgreSQL rounds into numeric(10,2)).
    EdgeTransaction t = EdgeTransactionParser.parse(bronze(recordWith("amount", "1.005")));
    assertEquals(new BigDecimal("1.01"), t.getAmount());
    // -1.005 rounds away from zero too: -1.01.
    EdgeTransaction negative =
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"-1.005\"")));
    assertEquals(new BigDecimal("-1.01"), negative.getAmount());
    // 7 (an integer) -> 7.00.
    EdgeTransaction whole = EdgeTransactionParser.parse(bronze(recordWith("amount", "7")));
    assertEquals(new BigDecimal("7.00"), whole.getAmount());
  }

  @Test
  public void largestAmountThatFitsIsAccepted() throws Exception {
    // numeric(10,2) holds at most 99,999,999.99.
    EdgeTransaction t =
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"99999999.99\"")));
    assertEquals(new BigDecimal("99999999.99"), t.getAmount());
  }

  @Test
  public void missingTransactionIdIsRefused() {
    assertThat(
        failureOf(recordWith("transaction_id", null)),
        containsString("transaction_id is missing or empty"));
  }

  @Test
  public void nullTransactionIdIsRefused() {
    assertThat(
        failureOf(recordWith("transaction_id", "null")),
        containsString("transaction_id is missing or empty"));
  }

  @Test
  public void blankStoreIdIsRefused() {
    assertThat(
        failureOf(recordWith("store_id", "\"   \"")),
        containsString("store_id is missing or empty"));
  }

  @Test
  public void storeIdThatIsAnObjectIsRefused() {
    assertThat(
        failureOf(recordWith("store_id", "{\"id\":7}")),
        containsString("store_id must be a single value"));
  }

  @Test
  public void missingTimestampIsRefused() {
    assertThat(
        failureOf(recordWith("timestamp", null)), containsString("timestamp is missing or empty"));
  }

  @Test
  public void timestampWithoutOffsetIsRefused() {
    String message = failureOf(recordWith("timestamp", "\"2024-06-18T10:02:11\""));
    assertThat(message, containsString("timestamp '2024-06-18T10:02:11'"));
    assertThat(message, containsString("UTC offset"));
  }

  @Test
  public void timestampInAnotherFormatIsRefused() {
    assertThat(
        failureOf(recordWith("timestamp", "\"21/06/2024\"")),
        containsString("timestamp '21/06/2024'"));
  }

  @Test
  public void amountThatIsNotANumberIsRefused() {
    assertThat(
        failureOf(recordWith("amount", "\"abc\"")), containsString("amount 'abc' is not a number"));
  }

  @Test
  public void emptyAmountIsRefused() {
    assertThat(
        failureOf(recordWith("amount", "\"\"")), containsString("amount is missing or empty"));
  }

  @Test
  public void missingAmountIsRefused() {
    assertThat(failureOf(recordWith("amount", null)), containsString("amount is missing or empty"));
  }

  @Test
  public void amountOutsideNumeric10And2IsRefused() {
    // 123456789.00 has 9 integer digits; numeric(10,2) allows 8.
    String message = failureOf(recordWith("amount", "123456789.00"));
    assertThat(message, containsString("amount 123456789"));
    assertThat(message, containsString("outside numeric(10,2)"));
  }

  @Test
  public void amountThatRoundsPastTheLimitIsRefused() {
    // 99999999.995 rounds HALF_UP to 100000000.00, one cent past 99,999,999.99.
    assertThat(
        failureOf(recordWith("amount", "\"99999999.995\"")),
        containsString("outside numeric(10,2)"));
  }

  @Test
  public void amountThatIsAnObjectIsRefused() {
    assertThat(
        failureOf(recordWith("amount", "{\"value\":1}")),
        containsString("amount must be a number"));
  }

  @Test
  public void amountThatIsABooleanIsRefused() {
    assertThat(failureOf(recordWith("amount", "true")), containsString("amount must be a number"));
  }

  @Test
  public void numberTooLargeForADoubleIsRefusedNotThrown() {
    // 1e400 overflows a double (Jackson reads Infinity); it must be a validation failure, not a
    // NumberFormatException that fails the whole pipeline.
    assertThat(
        failureOf(recordWith("amount", "1e400")),
        containsString("amount overflows a double, so it is outside numeric(10,2)"));
  }

  @Test(timeout = 10_000)
  public void hugeExponentInTextIsRefusedQuickly() {
    // 1e99999999 has 100,000,000 integer digits; rounding it to cents first would take minutes.
    assertThat(
        failureOf(recordWith("amount", "\"1e99999999\"")),
        containsString("amount 1E+99999999 is outside numeric(10,2)"));
  }

  @Test(timeout = 10_000)
  public void tinyAmountsRoundToZeroCents() throws Exception {
    // 1e-99999999 is far below half a cent: HALF_UP gives 0.00 (and quickly).
    assertEquals(
        new BigDecimal("0.00"),
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"1e-99999999\""))).getAmount());
    // 0.004 < 0.005 -> 0.00; 0.005 is exactly half a cent -> HALF_UP -> 0.01.
    assertEquals(
        new BigDecimal("0.00"),
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"0.004\""))).getAmount());
    assertEquals(
        new BigDecimal("0.01"),
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"0.005\""))).getAmount());
    // -0.005 -> HALF_UP rounds away from zero -> -0.01.
    assertEquals(
        new BigDecimal("-0.01"),
        EdgeTransactionParser.parse(bronze(recordWith("amount", "\"-0.005\""))).getAmount());
  }

  @Test
  public void rawRecordThatIsNotJsonIsRefused() {
    assertThat(failureOf("{not json"), containsString("raw record is not JSON"));
  }

  @Test
  public void rawRecordThatIsNotAnObjectIsRefused() {
    assertThat(failureOf("[1,2]"), containsString("raw record is not a JSON object"));
  }

  private static InvalidRecordException refusal(String json) {
    return assertThrows(
        InvalidRecordException.class, () -> EdgeTransactionParser.parse(bronze(json)));
  }

  private static void assertRefused(String json, ErrorClass errorClass, String reason) {
    InvalidRecordException e = refusal(json);
    assertEquals(reason, e.getMessage());
    assertEquals(errorClass, e.errorClass());
  }

  @Test
  public void aTransactionIdLongerThanItsColumnTakesIsRefusedBeforeTheSink() {
    // silver's key: PostgreSQL refused it with "index row requires 10016 bytes".
    assertRefused(
        recordWith("transaction_id", "\"" + "t".repeat(10_000) + "\""),
        ErrorClass.INVALID_VALUE,
        "transaction_id is 10000 characters long; a key holds at most 255");
  }

  @Test
  public void aStoreIdLongerThanItsColumnTakesIsRefusedBeforeTheSink() {
    // gold's key: silver took it, gold failed.
    assertRefused(
        recordWith("store_id", "\"" + "s".repeat(10_000) + "\""),
        ErrorClass.INVALID_VALUE,
        "store_id is 10000 characters long; a key holds at most 255");
  }

  @Test
  public void theLongestIdsThatFitAreAccepted() throws Exception {
    String id = "é".repeat(255);
    EdgeTransaction t =
        EdgeTransactionParser.parse(bronze(recordWith("store_id", "\"" + id + "\"")));
    assertEquals(id, t.getStoreId());
  }

  @Test
  public void aYearAbove9999IsRefused() {
    assertRefused(
        recordWith("timestamp", "\"+10000-01-01T00:00:00Z\""),
        ErrorClass.INVALID_VALUE,
        "timestamp '+10000-01-01T00:00:00Z' is outside the years 0001 to 9999 (UTC)");
  }

  @Test
  public void aYearBelowZeroIsRefused() {
    assertRefused(
        recordWith("timestamp", "\"-0001-06-18T10:02:11Z\""),
        ErrorClass.INVALID_VALUE,
        "timestamp '-0001-06-18T10:02:11Z' is outside the years 0001 to 9999 (UTC)");
  }

  @Test
  public void theLargestYearJavaReadsIsRefusedWithoutOverflow() {
    // Was "long overflow" from the conversion to epoch milliseconds.
    assertRefused(
        recordWith("timestamp", "\"+999999999-12-31T00:00:00Z\""),
        ErrorClass.INVALID_VALUE,
        "timestamp '+999999999-12-31T00:00:00Z' is outside the years 0001 to 9999 (UTC)");
  }

  @Test
  public void theFirstAndLastInstantsOfTheRangeAreAccepted() throws Exception {
    assertEquals(
        Instant.parse("0001-01-01T00:00:00Z").toEpochMilli(),
        EdgeTransactionParser.parse(bronze(recordWith("timestamp", "\"0001-01-01T00:00:00Z\"")))
            .getTimestampMillis());
    assertEquals(
        Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
        EdgeTransactionParser.parse(bronze(recordWith("timestamp", "\"9999-12-31T23:59:59.999Z\"")))
            .getTimestampMillis());
  }

  @Test
  public void aNulCharacterInAValueIsRefused() {
    // COPY would drop it silently, and jsonb refuses it: the record says what it holds.
    assertRefused(
        recordWith("store_id", "\"S\\u00009\""),
        ErrorClass.INVALID_VALUE,
        "store_id contains a NUL character (\\u0000), which a text column cannot hold");
    assertRefused(
        recordWith("payment_method", "\"ca\\u0000rd\""),
        ErrorClass.INVALID_VALUE,
        "payment_method contains a NUL character (\\u0000), which a text column cannot hold");
  }
}

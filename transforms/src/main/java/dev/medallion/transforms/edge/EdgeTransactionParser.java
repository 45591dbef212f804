package dev.medallion.transforms.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.ops.ErrorClass;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns a bronze record's raw JSON into an {@link EdgeTransaction}, or says exactly why it cannot:
 * a missing id, a timestamp without a UTC offset, an amount that is not a number, and so on. What
 * silver and gold would refuse is refused here, with a reason, before the sink sees it: keys longer
 * than an index entry takes, timestamps outside the years 0001 to 9999, NUL characters, and amounts
 * outside numeric(10,2).
 */
public final class EdgeTransactionParser {
  /** numeric(10, 2) holds up to 99,999,999.99. */
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("99999999.99");

  /** The smallest magnitude that rounds (HALF_UP) past {@link #MAX_AMOUNT}. */
  private static final BigDecimal ROUNDS_PAST_MAX = new BigDecimal("99999999.995");

  /** Every magnitude below this rounds (HALF_UP) to 0.00. */
  private static final BigDecimal HALF_CENT = new BigDecimal("0.005");

  private static final BigDecimal ZERO_CENTS = BigDecimal.ZERO.setScale(2);

  /**
   * Longest transaction_id and store_id: they are keys (silver's and gold's), and PostgreSQL
   * refuses an index entry above a third of a page (2,704 bytes, "index row requires N bytes"); 255
   * characters of up to 4 bytes each stay well inside, and no real id is longer.
   */
  static final int MAX_KEY_CHARS = 255;

  /**
   * The years a timestamp may fall in (UTC): those PostgreSQL and its driver write and read back as
   * given (a year above 9999 fails as "time zone displacement out of range", year 0 and below as
   * out of range, and +999999999 overflows epoch milliseconds).
   */
  private static final int FIRST_YEAR = 1;

  private static final int LAST_YEAR = 9999;

  private EdgeTransactionParser() {}

  public static EdgeTransaction parse(BronzeRecord bronze) throws InvalidRecordException {
    JsonNode record = InvalidRecordException.readObject(bronze.getRawJson());
    return EdgeTransaction.builder()
        .setTransactionId(key(record, "transaction_id"))
        .setStoreId(key(record, "store_id"))
        .setDeviceId(withoutNul("device_id", bronze.getDeviceId()))
        .setTimestampMillis(timestamp(record))
        .setAmount(amount(record))
        .setCurrency(optionalText(record, "currency"))
        .setPaymentMethod(optionalText(record, "payment_method"))
        .setPayloadJson(record.toString())
        .setBronzeId(bronze.getId())
        .setFilePath(bronze.getFilePath())
        .setRecordIndex(bronze.getRecordIndex())
        .setLandedAtMillis(bronze.getCreatedAtMillis())
        .setIngestedAtMillis(bronze.getIngestedAtMillis())
        .build();
  }

  private static String key(JsonNode record, String field) throws InvalidRecordException {
    String value = requiredText(record, field);
    if (value.length() > MAX_KEY_CHARS) {
      throw new InvalidRecordException(
          ErrorClass.INVALID_VALUE,
          field
              + " is "
              + value.length()
              + " characters long; a key holds at most "
              + MAX_KEY_CHARS);
    }
    return value;
  }

  /** PostgreSQL text cannot hold NUL: COPY would drop it and jsonb refuses it. */
  private static String withoutNul(String field, String value) throws InvalidRecordException {
    if (value != null && value.indexOf('\u0000') >= 0) {
      throw new InvalidRecordException(
          ErrorClass.INVALID_VALUE,
          field + " contains a NUL character (\\u0000), which a text column cannot hold");
    }
    return value;
  }

  private static String requiredText(JsonNode record, String field) throws InvalidRecordException {
    String value = optionalText(record, field);
    if (value == null) {
      throw new InvalidRecordException(ErrorClass.MISSING_FIELD, field + " is missing or empty");
    }
    return value;
  }

  private static String optionalText(JsonNode record, String field) throws InvalidRecordException {
    JsonNode node = record.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new InvalidRecordException(
          ErrorClass.INVALID_TYPE, field + " must be a single value, got " + node);
    }
    String text = withoutNul(field, node.asText()).strip();
    return text.isEmpty() ? null : text;
  }

  private static long timestamp(JsonNode record) throws InvalidRecordException {
    String text = requiredText(record, "timestamp");
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRecordException(
          ErrorClass.INVALID_TYPE,
          "timestamp '"
              + text
              + "' is not ISO-8601 with a UTC offset (e.g. 2024-06-18T10:02:11Z or 2024-06-18T12:02:11+02:00)");
    }
    int year = instant.atOffset(ZoneOffset.UTC).getYear();
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new InvalidRecordException(
          ErrorClass.INVALID_VALUE,
          "timestamp '" + text + "' is outside the years 0001 to 9999 (UTC)");
    }
    return instant.toEpochMilli();
  }

  private static BigDecimal amount(JsonNode record) throws InvalidRecordException {
    JsonNode node = record.get("amount");
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
      throw new InvalidRecordException(ErrorClass.MISSING_FIELD, "amount is missing or empty");
    }
    BigDecimal amount;
    if (node.isNumber()) {
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        // A literal such as 1e400 overflows Jackson's double to Infinity, which has no decimal
        // value.
        throw new InvalidRecordException(
            ErrorClass.INVALID_VALUE, "amount overflows a double, so it is outside numeric(10,2)");
      }
      amount = node.decimalValue();
    } else if (node.isTextual()) {
      try {
        amount = new BigDecimal(node.asText().strip());
      } catch (NumberFormatException e) {
        throw new InvalidRecordException(
            ErrorClass.INVALID_TYPE, "amount '" + node.asText() + "' is not a number");
      }
    } else {
      throw new InvalidRecordException(
          ErrorClass.INVALID_TYPE, "amount must be a number, got " + node);
    }
    // Range checks before rounding: setScale on an exponent such as 1e99999999 or 1e-99999999
    // runs for minutes, while compareTo looks at the exponents first.
    if (amount.abs().compareTo(ROUNDS_PAST_MAX) >= 0) {
      // Plain notation only while it stays short: 1e99999999 written out is 100 million characters.
      String shown =
          amount.precision() - amount.scale() <= 20 ? amount.toPlainString() : amount.toString();
      throw new InvalidRecordException(
          ErrorClass.INVALID_VALUE, "amount " + shown + " is outside numeric(10,2)");
    }
    if (amount.abs().compareTo(HALF_CENT) < 0) {
      return ZERO_CENTS;
    }
    // The same rounding PostgreSQL applies when a value goes into numeric(10, 2).
    return amount.setScale(2, RoundingMode.HALF_UP);
  }
}

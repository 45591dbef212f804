package dev.medallion.bench;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One edge-bronze-shaped row of benchmark data: ten columns of text, numeric, timestamptz, jsonb
 * and a uuid key. Row {@code i} is the same on every run and in every process (seeded by its
 * index).
 */
public record BenchRow(
    UUID id,
    String deviceId,
    String storeId,
    String transactionId,
    BigDecimal amount,
    String paymentMethod,
    OffsetDateTime createdAt,
    String rawJson,
    String fileName,
    int recordIndex)
    implements Serializable {

  static final String TABLE_COLUMNS =
      "id uuid PRIMARY KEY, device_id text NOT NULL, store_id text NOT NULL, transaction_id text NOT NULL,"
          + " amount numeric(10,2) NOT NULL, payment_method text, created_at timestamptz NOT NULL, raw_data jsonb NOT NULL,"
          + " file_name text NOT NULL, record_index integer NOT NULL";
  static final String COLUMNS =
      "id, device_id, store_id, transaction_id, amount, payment_method, created_at, raw_data, file_name, record_index";
  private static final String[] METHODS = {"card", "cash", "mobile", "card"};
  private static final long START = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

  public static BenchRow of(long index, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    int store = random.nextInt(50);
    int device = random.nextInt(4);
    String storeId = String.format("STORE-%03d", store);
    String deviceId = String.format("pi5-store%03d-%02d", store, device);
    String transactionId = "TX-" + index;
    BigDecimal amount = BigDecimal.valueOf(random.nextInt(1, 20_000), 2);
    String method = METHODS[random.nextInt(METHODS.length)];
    Instant at = Instant.ofEpochSecond(START + random.nextLong(180L * 86_400));
    String json =
        "{\"device_id\": \""
            + deviceId
            + "\", \"transaction_id\": \""
            + transactionId
            + "\", \"store_id\": \""
            + storeId
            + "\", \"timestamp\": \""
            + at
            + "\", \"amount\": "
            + amount.toPlainString()
            + ", \"currency\": \"USD\", \"payment_method\": \""
            + method
            + "\"}";
    UUID id =
        UUID.nameUUIDFromBytes(("bench#" + seed + "#" + index).getBytes(StandardCharsets.UTF_8));
    return new BenchRow(
        id,
        deviceId,
        storeId,
        transactionId,
        amount,
        method,
        at.atOffset(ZoneOffset.UTC),
        json,
        deviceId + "_" + at.getEpochSecond() / 900 + ".json",
        (int) (index % 1000));
  }

  Object[] values() {
    return new Object[] {
      id,
      deviceId,
      storeId,
      transactionId,
      amount,
      paymentMethod,
      createdAt,
      rawJson,
      fileName,
      recordIndex
    };
  }

  /** Bytes of the row as text, for MB/s. */
  long textBytes() {
    long bytes = 36 + 8;
    for (Object value : values()) {
      bytes += value.toString().length();
    }
    return bytes;
  }
}

package dev.medallion.bench;

import dev.medallion.io.files.LandedFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Benchmark edge-device files built from {@link BenchRow}s: file {@code f} holds rows {@code f *
 * perFile ...}, as a JSON array (even files) or a CSV (odd files).
 */
final class EdgeFiles {
  static final int ROWS_PER_FILE = 500;
  private static final long LANDED_AT = Instant.parse("2024-07-01T00:00:00Z").toEpochMilli();

  private EdgeFiles() {}

  static long fileCount(long rows) {
    return (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE;
  }

  static String name(long file) {
    return String.format("bench-%07d.%s", file, file % 2 == 0 ? "json" : "csv");
  }

  static byte[] content(long file, long rows, long seed) {
    long first = file * ROWS_PER_FILE;
    long last = Math.min(rows, first + ROWS_PER_FILE);
    StringBuilder text = new StringBuilder(ROWS_PER_FILE * 220);
    if (file % 2 == 0) {
      text.append('[');
      for (long i = first; i < last; i++) {
        text.append(i == first ? "\n" : ",\n").append(BenchRow.of(i, seed).rawJson());
      }
      text.append("\n]\n");
    } else {
      text.append("device_id,transaction_id,store_id,timestamp,amount,currency,payment_method\r\n");
      for (long i = first; i < last; i++) {
        BenchRow row = BenchRow.of(i, seed);
        text.append(row.deviceId())
            .append(',')
            .append(row.transactionId())
            .append(',')
            .append(row.storeId())
            .append(',')
            .append(row.createdAt().toInstant())
            .append(',')
            .append(row.amount().toPlainString())
            .append(",USD,")
            .append(row.paymentMethod())
            .append("\r\n");
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  static LandedFile landed(long file, long rows, long seed) {
    return LandedFile.create(
        "bench://landing/", name(file), content(file, rows, seed), LANDED_AT + file);
  }
}

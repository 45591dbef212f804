package dev.medallion.transforms.edge;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One raw record of a landed file, as kept in {@code bronze.edge_raw}. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class BronzeRecord {
  /** Deterministic from the file's checksum and the record's position, so retries upsert the same row. */
  public abstract String getId();

  public abstract String getDeviceId();

  public abstract String getFileName();

  public abstract String getFilePath();

  public abstract int getRecordIndex();

  public abstract String getRawJson();

  public abstract long getFileSizeBytes();

  public abstract String getChecksum();

  /** When the file landed; the partition key. */
  public abstract long getCreatedAtMillis();

  /** When the record entered bronze (0 until it is read back from the table). */
  public abstract long getIngestedAtMillis();

  public static BronzeRecord create(
      String deviceId, String fileName, String filePath, int recordIndex, String rawJson,
      long fileSizeBytes, String checksum, long createdAtMillis, long ingestedAtMillis) {
    return new AutoValue_BronzeRecord(
        idFor(checksum, recordIndex), deviceId, fileName, filePath, recordIndex, rawJson,
        fileSizeBytes, checksum, createdAtMillis, ingestedAtMillis);
  }

  public static BronzeRecord fromTable(
      String id, String deviceId, String fileName, String filePath, int recordIndex, String rawJson,
      long fileSizeBytes, String checksum, long createdAtMillis, long ingestedAtMillis) {
    return new AutoValue_BronzeRecord(
        id, deviceId, fileName, filePath, recordIndex, rawJson, fileSizeBytes, checksum, createdAtMillis, ingestedAtMillis);
  }

  static String idFor(String checksum, int recordIndex) {
    return UUID.nameUUIDFromBytes((checksum + "#" + recordIndex).getBytes(StandardCharsets.UTF_8)).toString();
  }
}

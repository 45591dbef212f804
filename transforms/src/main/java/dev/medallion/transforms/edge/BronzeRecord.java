package dev.medallion.transforms.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One raw record of a landed file, as kept in {@code bronze.edge_raw}. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class BronzeRecord {
  private static final ObjectMapper MAPPER = dev.medallion.core.RecordJson.mapper();

  /**
   * Deterministic from the file's checksum and the record's position, so retries upsert the same
   * row.
   */
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
      String deviceId,
      String fileName,
      String filePath,
      int recordIndex,
      String rawJson,
      long fileSizeBytes,
      String checksum,
      long createdAtMillis,
      long ingestedAtMillis) {
    return fromTable(
        idFor(checksum, recordIndex),
        deviceId,
        fileName,
        filePath,
        recordIndex,
        rawJson,
        fileSizeBytes,
        checksum,
        createdAtMillis,
        ingestedAtMillis);
  }

  public static BronzeRecord fromTable(
      String id,
      String deviceId,
      String fileName,
      String filePath,
      int recordIndex,
      String rawJson,
      long fileSizeBytes,
      String checksum,
      long createdAtMillis,
      long ingestedAtMillis) {
    return new AutoValue_BronzeRecord(
        id,
        deviceId,
        fileName,
        filePath,
        recordIndex,
        rawJson,
        fileSizeBytes,
        checksum,
        createdAtMillis,
        ingestedAtMillis);
  }

  /**
   * A record of a landed file as a bronze row (the edge pipeline's {@code RecordMaker}): its device
   * is the record's device_id, else the device named at the start of the file name, else "unknown".
   */
  public static BronzeRecord fromFile(LandedFile file, ParsedFile.Record record)
      throws IOException {
    return create(
        deviceId(record.json(), file.name()),
        file.name(),
        file.path(),
        record.index(),
        record.json(),
        file.sizeBytes(),
        file.checksum(),
        file.landedAtMillis(),
        0L);
  }

  static String deviceId(String json, String fileName) throws IOException {
    JsonNode device = MAPPER.readTree(json).get("device_id");
    // A JSON null is a value node too, whose text is "null": it names no device.
    if (device != null && !device.isNull() && device.isValueNode() && !device.asText().isBlank()) {
      return device.asText().strip();
    }
    int underscore = fileName.indexOf('_');
    return underscore > 0 ? fileName.substring(0, underscore) : "unknown";
  }

  static String idFor(String checksum, int recordIndex) {
    return UUID.nameUUIDFromBytes((checksum + "#" + recordIndex).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}

package dev.medallion.transforms.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.transforms.FieldCoding;
import dev.medallion.transforms.RecordCoders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** One raw record of a landed file, as kept in {@code bronze.edge_raw}. */
@DefaultCoder(BronzeRecord.Coder.class)
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

  /** Field by field, without a schema's row conversion: every record is encoded on its way. */
  public static final class Coder extends RecordCoders.FieldByField<BronzeRecord> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /**
     * What Beam's {@code @DefaultCoder} calls to find this coder for every {@link BronzeRecord}.
     */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(BronzeRecord.class), INSTANCE);
    }

    @Override
    public void encode(BronzeRecord r, OutputStream out) throws IOException {
      FieldCoding.text(r.getId(), out);
      FieldCoding.text(r.getDeviceId(), out);
      FieldCoding.text(r.getFileName(), out);
      FieldCoding.text(r.getFilePath(), out);
      FieldCoding.number(r.getRecordIndex(), out);
      FieldCoding.text(r.getRawJson(), out);
      FieldCoding.number(r.getFileSizeBytes(), out);
      FieldCoding.text(r.getChecksum(), out);
      FieldCoding.number(r.getCreatedAtMillis(), out);
      FieldCoding.number(r.getIngestedAtMillis(), out);
    }

    @Override
    public BronzeRecord decode(InputStream in) throws IOException {
      return fromTable(
          FieldCoding.text(in),
          FieldCoding.text(in),
          FieldCoding.text(in),
          FieldCoding.text(in),
          (int) FieldCoding.number(in),
          FieldCoding.text(in),
          FieldCoding.number(in),
          FieldCoding.text(in),
          FieldCoding.number(in),
          FieldCoding.number(in));
    }
  }

  static String idFor(String checksum, int recordIndex) {
    return UUID.nameUUIDFromBytes((checksum + "#" + recordIndex).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}

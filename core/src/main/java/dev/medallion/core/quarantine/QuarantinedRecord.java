package dev.medallion.core.quarantine;

import com.google.auto.value.AutoValue;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * The one shape of every record set aside, from any layer of any pipeline: the layer that refused
 * it, where it came from (a file path, an API request, a table), its position or key there, an
 * excerpt of the record, why, and the {@link ErrorClass}. Written to ops.quarantine by the one
 * quarantine writer.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class QuarantinedRecord {
  /** The record index of a failure that covers a whole file or a whole request. */
  public static final int WHOLE_SOURCE = -1;

  /**
   * How much of a record the quarantine keeps: enough to see what was wrong, never a whole huge
   * value.
   */
  public static final int MAX_PAYLOAD_CHARS = 10_000;

  /** The layer that refused the record: bronze, silver, ... */
  public abstract String getLayer();

  /** Where the record came from: a file path, an API request, or a table. */
  public abstract String getSource();

  /** Position in the source, or {@link #WHOLE_SOURCE}. */
  public abstract int getRecordIndex();

  /** The record's key where it is stored upstream (a bronze id, a natural key), for a replay. */
  @Nullable
  public abstract String getRecordKey();

  /** The record, cut to {@link #MAX_PAYLOAD_CHARS}. */
  @Nullable
  public abstract String getPayload();

  public abstract String getReason();

  /** One of the {@link ErrorClass} labels. */
  public abstract String getErrorClass();

  /**
   * The checksum of the file the record came from, so that two uploads under one name keep their
   * own rows; null for sources that are not files.
   */
  @Nullable
  public abstract String getSourceChecksum();

  @SchemaCreate
  static QuarantinedRecord create(
      String layer,
      String source,
      int recordIndex,
      @Nullable String recordKey,
      @Nullable String payload,
      String reason,
      String errorClass,
      @Nullable String sourceChecksum) {
    return new AutoValue_QuarantinedRecord(
        layer,
        source,
        recordIndex,
        recordKey,
        excerpt(payload),
        withoutNul(reason),
        errorClass,
        sourceChecksum);
  }

  public static QuarantinedRecord of(
      Layer layer,
      ErrorClass errorClass,
      String source,
      int recordIndex,
      @Nullable String recordKey,
      @Nullable String payload,
      String reason) {
    return create(
        layer.label(), source, recordIndex, recordKey, payload, reason, errorClass.label(), null);
  }

  /** A record refused with an {@link InvalidRecordException}: its class and message. */
  public static QuarantinedRecord of(
      Layer layer,
      String source,
      int recordIndex,
      @Nullable String recordKey,
      @Nullable String payload,
      InvalidRecordException e) {
    return of(layer, e.errorClass(), source, recordIndex, recordKey, payload, e.getMessage());
  }

  /** This record, from the file whose content has {@code checksum}. */
  public QuarantinedRecord withSourceChecksum(String checksum) {
    return new AutoValue_QuarantinedRecord(
        getLayer(),
        getSource(),
        getRecordIndex(),
        getRecordKey(),
        getPayload(),
        getReason(),
        getErrorClass(),
        checksum);
  }

  public Layer layer() {
    return Layer.valueOf(getLayer().toUpperCase(java.util.Locale.ROOT));
  }

  public ErrorClass errorClass() {
    return ErrorClass.parse(getErrorClass());
  }

  /** One line for a log or a terminal: the source, the record and the reason. */
  public String describe() {
    return getSource()
        + (getRecordIndex() == WHOLE_SOURCE ? "" : " record " + getRecordIndex())
        + ": "
        + getReason();
  }

  @Nullable
  static String excerpt(@Nullable String payload) {
    if (payload == null) {
      return null;
    }
    // PostgreSQL text cannot hold NUL; the excerpt is for people, so it names the character
    // instead.
    String kept =
        payload.length() <= MAX_PAYLOAD_CHARS
            ? payload
            : payload.substring(0, MAX_PAYLOAD_CHARS) + "...";
    return withoutNul(kept);
  }

  private static String withoutNul(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
  }
}

package dev.medallion.transforms.quarantine;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * The one shape of every failure, from any layer: where the record came from, the record itself,
 * the step that refused it and why.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class QuarantinedRecord {
  /** Whole-file failures carry this record index. */
  public static final int WHOLE_FILE = -1;

  private static final int MAX_RECORD_CHARS = 10_000;

  /** The layer that refused the record: bronze, silver, ... */
  public abstract String getStep();

  public abstract String getFilePath();

  /** Position in the file, or {@link #WHOLE_FILE}. */
  public abstract int getRecordIndex();

  @Nullable
  public abstract String getRecord();

  public abstract String getReason();

  @Nullable
  public abstract String getBronzeId();

  public static QuarantinedRecord of(
      String step, String filePath, int recordIndex, @Nullable String record, String reason, @Nullable String bronzeId) {
    String kept = record == null || record.length() <= MAX_RECORD_CHARS ? record : record.substring(0, MAX_RECORD_CHARS) + "...";
    return new AutoValue_QuarantinedRecord(step, filePath, recordIndex, kept, reason, bronzeId);
  }

  /** One line for a log or a terminal: the file, the record and the reason. */
  public String describe() {
    return getFilePath() + (getRecordIndex() == WHOLE_FILE ? "" : " record " + getRecordIndex()) + ": " + getReason();
  }
}

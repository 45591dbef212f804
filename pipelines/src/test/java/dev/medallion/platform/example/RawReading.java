package dev.medallion.platform.example;

import com.google.auto.value.AutoValue;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** A reading as it arrived: one row of bronze.readings_raw. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class RawReading {
  public abstract String getId();

  public abstract String getFilePath();

  public abstract int getRecordIndex();

  public abstract String getRawJson();

  public abstract String getChecksum();

  public static RawReading create(
      String id, String filePath, int recordIndex, String rawJson, String checksum) {
    return new AutoValue_RawReading(id, filePath, recordIndex, rawJson, checksum);
  }

  /**
   * The pipeline's record maker: the id depends only on the file's checksum and the record's index.
   */
  static RawReading fromFile(LandedFile file, ParsedFile.Record record) {
    return create(
        file.checksum() + "/" + record.index(),
        file.path(),
        record.index(),
        record.json(),
        file.checksum());
  }
}

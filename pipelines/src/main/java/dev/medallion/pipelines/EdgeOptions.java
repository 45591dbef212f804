package dev.medallion.pipelines;

import dev.medallion.io.files.FileLimits;
import dev.medallion.io.http.PlainHttp;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.Validation;

/** Settings of the edge-device pipeline. */
public interface EdgeOptions extends MedallionOptions {
  @Description(
      "Landing prefix: a folder, gs://bucket/prefix/, or supabase://BUCKET/PREFIX (with SUPABASE_URL and SUPABASE_SERVICE_KEY set).")
  @Validation.Required
  String getSource();

  void setSource(String value);

  @Description(
      "Move each file to processed/YYYYMMDD/ under the prefix once its records are in bronze"
          + " (--no-move-processed leaves files in the landing prefix).")
  @Default.Boolean(true)
  boolean getMoveProcessed();

  void setMoveProcessed(boolean value);

  @Description(
      "Largest landed file read, in bytes (at most 2147483639): a larger file is quarantined whole,"
          + " unread.")
  @Default.Long(FileLimits.DEFAULT_MAX_FILE_BYTES)
  long getMaxFileBytes();

  void setMaxFileBytes(long value);

  @Description(
      "Largest record, in bytes of JSON: a larger record is quarantined and the rest of its file"
          + " lands.")
  @Default.Long(FileLimits.DEFAULT_MAX_RECORD_BYTES)
  long getMaxRecordBytes();

  void setMaxRecordBytes(long value);

  @Hidden
  @Description(
      "Continuous mode: seconds between the first new sale of a store-day and the update of its gold row"
          + " (more sales of that day arriving meanwhile are folded into the same update).")
  @Default.Long(5)
  long getGoldUpdateDelaySeconds();

  void setGoldUpdateDelaySeconds(long value);

  @Hidden
  @Description(
      "Continuous mode: how many days after a day ends a late file still updates that day's gold row.")
  @Default.Long(3650)
  long getAllowedLatenessDays();

  void setAllowedLatenessDays(long value);

  // Declared per pipeline, not in MedallionOptions: the CLI makes flags of a pipeline's own
  // getters.
  @Description(PlainHttp.ALLOW_FLAG_DESCRIPTION)
  @Default.Boolean(false)
  boolean getAllowInsecureHttp();

  void setAllowInsecureHttp(boolean value);
}

package dev.medallion.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Settings of the edge-device pipeline. */
public interface EdgeOptions extends MedallionOptions {
  @Description("The landing prefix: a folder, gs://bucket/prefix/, or supabase://BUCKET/PREFIX.")
  String getSource();

  void setSource(String value);

  @Description("Move each file to processed/YYYYMMDD/ under the prefix once its records are in bronze.")
  @Default.Boolean(true)
  boolean getMoveProcessed();

  void setMoveProcessed(boolean value);

  @Description("Continuous mode: how often to look for new files in the landing prefix, in seconds.")
  @Default.Long(30)
  long getPollIntervalSeconds();

  void setPollIntervalSeconds(long value);

  @Description("Continuous mode: seconds between the first new sale of a store-day and the update of its gold row"
      + " (more sales of that day arriving meanwhile are folded into the same update).")
  @Default.Long(5)
  long getGoldUpdateDelaySeconds();

  void setGoldUpdateDelaySeconds(long value);

  @Description("Continuous mode: how many days after a day ends a late file still updates that day's gold row.")
  @Default.Long(3650)
  long getAllowedLatenessDays();

  void setAllowedLatenessDays(long value);
}

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
}

package dev.medallion.platform.example;

import dev.medallion.pipelines.MedallionOptions;
import org.apache.beam.sdk.options.Description;

/** The daily example's settings: a folder with one {@code YYYY-MM-DD.csv} of amounts per date. */
public interface DailyOptions extends MedallionOptions {
  @Description("Folder holding one file of amounts per business date, named YYYY-MM-DD.csv.")
  String getSource();

  void setSource(String value);
}

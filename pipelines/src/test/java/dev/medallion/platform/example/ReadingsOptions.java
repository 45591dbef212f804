package dev.medallion.platform.example;

import dev.medallion.pipelines.MedallionOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The readings pipeline's own settings: each getter is a flag of {@code medallion run readings}.
 */
public interface ReadingsOptions extends MedallionOptions {
  @Description("Folder of reading files (CSV with reading_id,device,value).")
  String getSource();

  void setSource(String value);

  @Description("Readings above this value are set aside as implausible.")
  @Default.Integer(100)
  Integer getMaxValue();

  void setMaxValue(Integer value);
}

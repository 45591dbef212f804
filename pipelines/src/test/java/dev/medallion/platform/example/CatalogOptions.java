package dev.medallion.platform.example;

import dev.medallion.pipelines.MedallionOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The catalog pipeline's own settings: each getter is a flag of {@code medallion run catalog}. */
public interface CatalogOptions extends MedallionOptions {
  @Description("The catalog API's base URL.")
  @Default.String(CatalogConnector.BASE_URL)
  String getCatalogBaseUrl();

  void setCatalogBaseUrl(String value);
}

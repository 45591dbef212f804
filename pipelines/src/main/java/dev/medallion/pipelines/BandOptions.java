package dev.medallion.pipelines;

import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.platform.ApiRequestOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the band pipeline (the ElGoose API). */
public interface BandOptions extends MedallionOptions, ApiRequestOptions {
  @Description(
      "Which ElGoose endpoints bronze reads: all, or a comma-separated list of "
          + "setlists,latest,shows,songs,venues,jamcharts,metadata,links,uploads,appearances.")
  @Default.String("all")
  String getEndpoints();

  void setEndpoints(String value);

  @Description("The ElGoose API v2 base URL.")
  @Default.String(ElGooseConnector.DEFAULT_BASE_URL)
  String getElgooseBaseUrl();

  void setElgooseBaseUrl(String value);

  @Description(
      "At most this many rows per request (the API's limit parameter); unset for no limit.")
  Integer getRecordLimit();

  void setRecordLimit(Integer value);

  @Description(
      "The seed's processing modes instead of --layers: bronze_only, silver_only, gold_only or complete.")
  String getModeName();

  void setModeName(String value);

  @Hidden
  @Description(
      "Incremental runs read setlists of shows after this day (YYYY-MM-DD): the newest show date in silver."
          + " Unset in full mode, or when silver has no setlists yet, to read every show's setlist.")
  String getSetlistsAfter();

  void setSetlistsAfter(String value);
}

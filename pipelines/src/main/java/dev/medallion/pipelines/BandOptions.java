package dev.medallion.pipelines;

import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.io.http.PlainHttp;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the band pipeline (the ElGoose API). */
public interface BandOptions extends MedallionOptions {
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

  @Description(
      "The longest wait between two attempts of a request, in seconds: a longer backoff is cut to it,"
          + " and a request whose server asks for a longer Retry-After fails as rate limited for this"
          + " run and is asked again by the next one.")
  @Default.Long(300)
  long getMaxRetryWaitSeconds();

  void setMaxRetryWaitSeconds(long value);

  @Hidden
  @Description(
      "Incremental runs read setlists of shows after this day (YYYY-MM-DD): the newest show date in silver."
          + " Unset in full mode, or when silver has no setlists yet, to read every show's setlist.")
  String getSetlistsAfter();

  void setSetlistsAfter(String value);

  // Declared per pipeline, not in MedallionOptions: the CLI makes flags of a pipeline's own
  // getters.
  @Description(PlainHttp.ALLOW_FLAG_DESCRIPTION)
  @Default.Boolean(false)
  boolean getAllowInsecureHttp();

  void setAllowInsecureHttp(boolean value);
}

package dev.medallion.pipelines;

import dev.medallion.io.strava.StravaConnector;
import dev.medallion.platform.ApiRequestOptions;
import dev.medallion.platform.LandingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the strava pipeline (Strava API v3: activities and the athlete's profile). */
public interface StravaOptions extends MedallionOptions, LandingOptions, ApiRequestOptions {
  @Description(
      "Which data types to read: a comma-separated list of activities,athlete (default both).")
  @Default.String("activities,athlete")
  String getStreams();

  void setStreams(String value);

  @Description("The Strava API v3 base URL.")
  @Default.String(StravaConnector.DEFAULT_BASE_URL)
  String getStravaBaseUrl();

  void setStravaBaseUrl(String value);

  @Description("Strava's OAuth token URL (refresh with STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET).")
  @Default.String(StravaConnector.DEFAULT_TOKEN_URL)
  String getStravaTokenUrl();

  void setStravaTokenUrl(String value);

  @Description(
      "Incremental runs ask for activities that start after the newest stored start_date minus"
          + " this many seconds; the overlap is deduplicated by activity id.")
  @Default.Long(3600)
  long getOverlapSeconds();

  void setOverlapSeconds(long value);

  @Description("Activities per page (Strava allows 1 to 200).")
  @Default.Integer(200)
  int getPerPage();

  void setPerPage(int value);

  @Description(
      "When Strava's 15-minute or daily quota is spent, wait for its reset if it comes within this"
          + " many seconds; otherwise stop the stream cleanly and resume on the next run.")
  @Default.Long(120)
  long getRateLimitWaitSeconds();

  void setRateLimitWaitSeconds(long value);

  @Hidden
  @Description("Activities after this epoch second: set from bronze before the run.")
  Long getActivitiesAfter();

  void setActivitiesAfter(Long value);
}

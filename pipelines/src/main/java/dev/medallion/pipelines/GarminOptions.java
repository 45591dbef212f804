package dev.medallion.pipelines;

import dev.medallion.io.garmin.GarminConnector;
import dev.medallion.platform.ApiRequestOptions;
import dev.medallion.platform.LandingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the garmin pipeline (Garmin Connect: activities, daily sleep, daily heart rate). */
public interface GarminOptions extends MedallionOptions, LandingOptions, ApiRequestOptions {
  @Description(
      "Which data types to read: a comma-separated list of activities,sleep,heart_rate (default"
          + " all three).")
  @Default.String("activities,sleep,heart_rate")
  String getStreams();

  void setStreams(String value);

  @Description("The Garmin Connect API base URL.")
  @Default.String(GarminConnector.DEFAULT_BASE_URL)
  String getGarminBaseUrl();

  void setGarminBaseUrl(String value);

  @Description(
      "Garmin's DI OAuth2 token URL (refresh with GARMIN_DI_CLIENT_ID and the stored token pair).")
  @Default.String(GarminConnector.DEFAULT_TOKEN_URL)
  String getGarminTokenUrl();

  void setGarminTokenUrl(String value);

  @Description("Activities per page (start/limit paging; Garmin allows 1 to 1000).")
  @Default.Integer(100)
  int getLimit();

  void setLimit(int value);

  @Description(
      "Sleep and heart rate are fetched again for this many days up to today (their values change"
          + " until the watch has synced), plus every day after the newest one landed.")
  @Default.Integer(3)
  int getRefetchDays();

  void setRefetchDays(int value);

  @Description(
      "The first calendar date (YYYY-MM-DD) of sleep and heart rate on a first run (nothing landed"
          + " yet); unset: the re-fetch window only.")
  String getSince();

  void setSince(String value);

  @Description(
      "The timezone of the Garmin account's calendar days, for today's date (--as-of overrides"
          + " today).")
  @Default.String("Europe/Paris")
  String getTimezone();

  void setTimezone(String value);

  @Hidden
  @Description("Activities starting at or before this epoch ms are landed: set from bronze.")
  Long getActivitiesWatermark();

  void setActivitiesWatermark(Long value);

  @Hidden
  @Description("The first wellness date of this run: set from bronze and the options.")
  String getWellnessFrom();

  void setWellnessFrom(String value);

  @Hidden
  @Description("The last wellness date of this run (today).")
  String getWellnessTo();

  void setWellnessTo(String value);
}

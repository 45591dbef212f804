package dev.medallion.transforms.garmin;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import dev.medallion.transforms.strava.StravaTables;
import java.time.LocalDate;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Garmin's tables (V23), the fitness gold (V24) and their statements. Silver is one set-based
 * statement per stream, run by the database once bronze is written: the newest pending version of
 * each key, typed, upserted, then its bronze rows marked processed. Gold is rebuilt from all of
 * silver (a few rows per day).
 */
public final class GarminTables {
  public static final String BRONZE = "bronze.garmin_raw";
  public static final String ACTIVITIES = "silver.garmin_activities";
  public static final String SLEEP = "silver.garmin_sleep";
  public static final String HEART_RATE = "silver.garmin_heart_rate";
  public static final String SLEEP_NIGHTLY = "gold.sleep_nightly";
  public static final String TRAINING_WEEKLY = "gold.training_weekly";

  /**
   * Two starts within this many seconds and distances within {@link #SAME_DISTANCE}: one activity.
   */
  public static final int SAME_START_SECONDS = 120;

  public static final double SAME_DISTANCE = 0.02;

  private static final String ID_KEY = "'^\\d{1,18}$'";
  private static final String DATE_KEY = "'^\\d{4}-\\d{2}-\\d{2}$'";

  private GarminTables() {}

  /** A JSON number at this path (e.g. "dailySleepDTO,deepSleepSeconds") as a double, else null. */
  private static String number(String path) {
    return "CASE WHEN jsonb_typeof(raw_data #> '{"
        + path
        + "}') = 'number' THEN (raw_data #>> '{"
        + path
        + "}')::double precision END";
  }

  private static String whole(String path) {
    return "round(" + number(path) + ")::integer";
  }

  private static String bool(String path) {
    return "CASE WHEN jsonb_typeof(raw_data #> '{"
        + path
        + "}') = 'boolean' THEN (raw_data #>> '{"
        + path
        + "}')::boolean END";
  }

  /** Garmin's "YYYY-MM-DD HH:MM:SS" (no zone) as a timestamp, or null when it is not one. */
  private static String wallTime(String field) {
    return "CASE WHEN raw_data->>'"
        + field
        + "' ~ '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}' THEN (raw_data->>'"
        + field
        + "')::timestamp END";
  }

  /** Epoch milliseconds at this path as a timestamptz, or null. */
  private static String epochMillis(String path) {
    return "to_timestamp(" + number(path) + " / 1000.0)";
  }

  private static String pending(String stream, String keyPattern) {
    return "SELECT DISTINCT ON (natural_key) natural_key, version, raw_data, fetched_at FROM "
        + BRONZE
        + " WHERE endpoint = '"
        + stream
        + "' AND NOT is_processed AND natural_key ~ "
        + keyPattern
        + " ORDER BY natural_key, version DESC";
  }

  private static String markProcessed(String stream, String keyPattern) {
    return "UPDATE "
        + BRONZE
        + " SET is_processed = true, processed_at = now() WHERE endpoint = '"
        + stream
        + "' AND NOT is_processed AND natural_key ~ "
        + keyPattern;
  }

  private static String updateAll(String... columns) {
    StringBuilder set = new StringBuilder();
    for (String column : columns) {
      set.append(set.length() == 0 ? "" : ", ")
          .append(column)
          .append(" = excluded.")
          .append(column);
    }
    return set.toString();
  }

  /** Pending activities into silver (a later version replaces an earlier one), then marked. */
  public static String upsertActivities() {
    return "INSERT INTO "
        + ACTIVITIES
        + " (activity_id, name, sport, start_time_gmt, start_time_local, distance_m, duration_s,"
        + " moving_duration_s, elapsed_duration_s, elevation_gain_m, average_hr, max_hr, calories,"
        + " manual_activity, bronze_version, fetched_at) SELECT natural_key::bigint,"
        + " raw_data->>'activityName', raw_data->'activityType'->>'typeKey', coalesce("
        + wallTime("startTimeGMT")
        + " AT TIME ZONE 'UTC', "
        + epochMillis("beginTimestamp")
        + "), "
        + wallTime("startTimeLocal")
        + ", "
        + number("distance")
        + ", "
        + number("duration")
        + ", "
        + number("movingDuration")
        + ", "
        + number("elapsedDuration")
        + ", "
        + number("elevationGain")
        + ", "
        + number("averageHR")
        + ", "
        + number("maxHR")
        + ", "
        + number("calories")
        + ", "
        + bool("manualActivity")
        + ", version, fetched_at FROM ("
        + pending("activities", ID_KEY)
        + ") AS latest ON CONFLICT (activity_id) DO UPDATE SET "
        + updateAll(
            "name",
            "sport",
            "start_time_gmt",
            "start_time_local",
            "distance_m",
            "duration_s",
            "moving_duration_s",
            "elapsed_duration_s",
            "elevation_gain_m",
            "average_hr",
            "max_hr",
            "calories",
            "manual_activity",
            "bronze_version",
            "fetched_at")
        + "; "
        + markProcessed("activities", ID_KEY);
  }

  /**
   * Pending sleep days into silver, then marked. A day whose DTO has no id and no sleep time is "no
   * data": kept with has_data false, so a later fetch of the same day can fill it.
   */
  public static String upsertSleep() {
    String dto = "dailySleepDTO,";
    return "INSERT INTO "
        + SLEEP
        + " (calendar_date, has_data, sleep_start, sleep_end, sleep_seconds, deep_seconds,"
        + " light_seconds, rem_seconds, awake_seconds, nap_seconds, sleep_score,"
        + " resting_heart_rate, avg_overnight_hrv, average_spo2, average_respiration,"
        + " bronze_version, fetched_at) SELECT natural_key::date, ("
        + number(dto + "id")
        + " IS NOT NULL OR "
        + number(dto + "sleepTimeSeconds")
        + " IS NOT NULL), "
        + epochMillis(dto + "sleepStartTimestampGMT")
        + ", "
        + epochMillis(dto + "sleepEndTimestampGMT")
        + ", "
        + whole(dto + "sleepTimeSeconds")
        + ", "
        + whole(dto + "deepSleepSeconds")
        + ", "
        + whole(dto + "lightSleepSeconds")
        + ", "
        + whole(dto + "remSleepSeconds")
        + ", "
        + whole(dto + "awakeSleepSeconds")
        + ", "
        + whole(dto + "napTimeSeconds")
        + ", "
        + whole(dto + "sleepScores,overall,value")
        + ", "
        + whole("restingHeartRate")
        + ", "
        + number("avgOvernightHrv")
        + ", "
        + number(dto + "averageSpO2Value")
        + ", "
        + number(dto + "averageRespirationValue")
        + ", version, fetched_at FROM ("
        + pending("sleep", DATE_KEY)
        + ") AS latest ON CONFLICT (calendar_date) DO UPDATE SET "
        + updateAll(
            "has_data",
            "sleep_start",
            "sleep_end",
            "sleep_seconds",
            "deep_seconds",
            "light_seconds",
            "rem_seconds",
            "awake_seconds",
            "nap_seconds",
            "sleep_score",
            "resting_heart_rate",
            "avg_overnight_hrv",
            "average_spo2",
            "average_respiration",
            "bronze_version",
            "fetched_at")
        + "; "
        + markProcessed("sleep", DATE_KEY);
  }

  /**
   * Pending heart-rate days into silver, then marked: the day's summary values and its samples with
   * a reading ({@code [epoch_ms, bpm]}, a null bpm is none). No samples: has_data false.
   */
  public static String upsertHeartRate() {
    String readings =
        "(SELECT e->1 AS bpm FROM jsonb_array_elements(CASE WHEN"
            + " jsonb_typeof(raw_data->'heartRateValues') = 'array' THEN raw_data->'heartRateValues'"
            + " ELSE '[]'::jsonb END) AS e WHERE jsonb_typeof(e) = 'array' AND jsonb_typeof(e->1) ="
            + " 'number')";
    return "INSERT INTO "
        + HEART_RATE
        + " (calendar_date, has_data, resting_heart_rate, min_heart_rate, max_heart_rate,"
        + " seven_day_avg_resting, samples, average_bpm, day_start_gmt, bronze_version,"
        + " fetched_at) SELECT natural_key::date, r.samples > 0, "
        + whole("restingHeartRate")
        + ", "
        + whole("minHeartRate")
        + ", "
        + whole("maxHeartRate")
        + ", "
        + whole("lastSevenDaysAvgRestingHeartRate")
        + ", r.samples, r.average, CASE WHEN r.samples > 0 THEN "
        + wallTime("startTimestampGMT")
        + " AT TIME ZONE 'UTC' END, version, fetched_at FROM ("
        + pending("heart_rate", DATE_KEY)
        + ") AS latest CROSS JOIN LATERAL (SELECT count(*)::integer AS samples,"
        + " round(avg((bpm #>> '{}')::numeric), 1) AS average FROM "
        + readings
        + " AS readings) AS r ON CONFLICT (calendar_date) DO UPDATE SET "
        + updateAll(
            "has_data",
            "resting_heart_rate",
            "min_heart_rate",
            "max_heart_rate",
            "seven_day_avg_resting",
            "samples",
            "average_bpm",
            "day_start_gmt",
            "bronze_version",
            "fetched_at")
        + "; "
        + markProcessed("heart_rate", DATE_KEY);
  }

  /**
   * gold.sleep_nightly from all of silver: the nights with data, their total, the deep/light/REM
   * shares of the staged sleep, the score and the day's resting heart rate.
   */
  public static String rebuildSleepNightly() {
    String staged =
        "(coalesce(s.deep_seconds, 0) + coalesce(s.light_seconds, 0) + coalesce(s.rem_seconds, 0))";
    return "DELETE FROM "
        + SLEEP_NIGHTLY
        + "; INSERT INTO "
        + SLEEP_NIGHTLY
        + " (calendar_date, sleep_start, sleep_end, total_sleep_s, total_sleep_h, deep_share,"
        + " light_share, rem_share, awake_s, sleep_score, resting_heart_rate)"
        + " SELECT s.calendar_date, s.sleep_start, s.sleep_end, s.sleep_seconds,"
        + " round(s.sleep_seconds / 3600.0, 2), "
        + share("s.deep_seconds", staged)
        + ", "
        + share("s.light_seconds", staged)
        + ", "
        + share("s.rem_seconds", staged)
        + ", s.awake_seconds, s.sleep_score, coalesce(h.resting_heart_rate, s.resting_heart_rate)"
        + " FROM "
        + SLEEP
        + " AS s LEFT JOIN "
        + HEART_RATE
        + " AS h USING (calendar_date) WHERE s.has_data AND s.sleep_seconds IS NOT NULL";
  }

  private static String share(String part, String staged) {
    return "CASE WHEN "
        + staged
        + " > 0 THEN round(coalesce("
        + part
        + ", 0)::numeric / "
        + staged
        + ", 3) END";
  }

  /**
   * A sport of either service folded into one vocabulary (Strava's sport_type "TrailRun" and
   * Garmin's typeKey "trail_running" are both running); an unknown one stays as it is, lower case.
   */
  static String sportGroup(String sport) {
    String s = "lower(" + sport + ")";
    return "CASE WHEN "
        + s
        + " IN ('run', 'trailrun', 'virtualrun', 'running', 'trail_running', 'treadmill_running',"
        + " 'track_running', 'indoor_running', 'virtual_run', 'street_running', 'ultra_run')"
        + " THEN 'running' WHEN "
        + s
        + " IN ('ride', 'gravelride', 'mountainbikeride', 'ebikeride', 'emountainbikeride',"
        + " 'virtualride', 'velomobile', 'handcycle', 'cycling', 'road_biking', 'gravel_cycling',"
        + " 'mountain_biking', 'indoor_cycling', 'virtual_ride', 'cyclocross', 'track_cycling',"
        + " 'e_bike_fitness', 'e_bike_mountain', 'bmx') THEN 'cycling' WHEN "
        + s
        + " IN ('swim', 'swimming', 'lap_swimming', 'open_water_swimming') THEN 'swimming' WHEN "
        + s
        + " IN ('walk', 'walking', 'casual_walking', 'speed_walking') THEN 'walking' WHEN "
        + s
        + " IN ('hike', 'hiking') THEN 'hiking' WHEN "
        + s
        + " IN ('weighttraining', 'strength_training') THEN 'strength' WHEN "
        + s
        + " = 'yoga' THEN 'yoga' ELSE coalesce("
        + s
        + ", 'other') END";
  }

  /**
   * gold.training_weekly from silver.garmin_activities and silver.strava_activities: ISO week of
   * the local start x sport group. A Strava activity with a Garmin one starting within 2 minutes
   * and with a distance within 2% of it is the same session (Strava imported it from the watch):
   * only Garmin's counts.
   */
  public static String rebuildTrainingWeekly() {
    String sameSession =
        "abs(extract(epoch FROM g.start_time_gmt - st.start_date)) <= "
            + SAME_START_SECONDS
            + " AND abs(coalesce(g.distance_m, 0) - coalesce(st.distance_m, 0)) <= "
            + SAME_DISTANCE
            + " * greatest(coalesce(g.distance_m, 0), coalesce(st.distance_m, 0))";
    return "DELETE FROM "
        + TRAINING_WEEKLY
        + "; INSERT INTO "
        + TRAINING_WEEKLY
        + " (week_start, iso_week, sport, activities, from_garmin, from_strava_only, distance_km,"
        + " moving_time_s, elevation_gain_m, average_heart_rate)"
        + " WITH sessions AS (SELECT 'garmin' AS source, coalesce(start_time_local,"
        + " start_time_gmt AT TIME ZONE 'UTC') AS local_start, "
        + sportGroup("sport")
        + " AS sport, distance_m, coalesce(moving_duration_s, duration_s) AS moving_s,"
        + " elevation_gain_m, average_hr FROM "
        + ACTIVITIES
        + " UNION ALL SELECT 'strava', coalesce(st.start_date_local, st.start_date AT TIME ZONE"
        + " 'UTC'), "
        + sportGroup("st.sport_type")
        + ", st.distance_m, st.moving_time_s, st.total_elevation_gain_m, st.average_heartrate"
        + " FROM "
        + StravaTables.ACTIVITIES
        + " AS st WHERE NOT EXISTS (SELECT 1 FROM "
        + ACTIVITIES
        + " AS g WHERE "
        + sameSession
        + ")) SELECT date_trunc('week', local_start)::date,"
        + " to_char(date_trunc('week', local_start), 'IYYY-\"W\"IW'), sport, count(*),"
        + " count(*) FILTER (WHERE source = 'garmin'), count(*) FILTER (WHERE source = 'strava'),"
        + " round((coalesce(sum(distance_m), 0) / 1000.0)::numeric, 2),"
        + " round(coalesce(sum(moving_s), 0))::bigint,"
        + " round(coalesce(sum(elevation_gain_m), 0)::numeric, 1),"
        + " round(avg(average_hr)::numeric, 1) FROM sessions WHERE local_start IS NOT NULL"
        + " GROUP BY 1, 2, 3";
  }

  /**
   * The newest activity start landed in bronze, in epoch ms (every version counts: a row is landed
   * once it is in bronze), or null when none is: pages from the newest stop when they reach it.
   */
  @Nullable
  public static Long newestActivityStart(JdbcTarget target) {
    List<Long> newest =
        Queries.list(
            target,
            "the newest Garmin activity start",
            "SELECT max(coalesce("
                + number("beginTimestamp")
                + ", extract(epoch FROM "
                + wallTime("startTimeGMT")
                + " AT TIME ZONE 'UTC') * 1000))::bigint FROM "
                + BRONZE
                + " WHERE endpoint = 'activities'",
            rs -> {
              long value = rs.getLong(1);
              return rs.wasNull() ? null : value;
            });
    return newest.isEmpty() ? null : newest.get(0);
  }

  /** The newest calendar date landed in bronze for any wellness stream, or null. */
  @Nullable
  public static LocalDate newestWellnessDate(JdbcTarget target, List<String> streams) {
    if (streams.isEmpty()) {
      return null;
    }
    List<LocalDate> newest =
        Queries.list(
            target,
            "the newest Garmin wellness date",
            "SELECT max(natural_key::date) FROM "
                + BRONZE
                + " WHERE endpoint IN ('"
                + String.join("', '", streams)
                + "') AND natural_key ~ "
                + DATE_KEY,
            rs -> rs.getObject(1, LocalDate.class));
    return newest.isEmpty() ? null : newest.get(0);
  }
}

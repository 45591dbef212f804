package dev.medallion.transforms.strava;

import static dev.medallion.transforms.ApiSilver.check;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import dev.medallion.transforms.ApiSilver;
import java.time.OffsetDateTime;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Strava's tables (V16) and their statements. Silver is one {@link ApiSilver} step per stream, run
 * by the database once bronze is written: the newest pending version of each id, its field types
 * checked (a wrong type is quarantined naming the record and field), typed, upserted by id, then
 * its bronze rows marked processed.
 */
public final class StravaTables {
  public static final String BRONZE = "bronze.strava_raw";
  public static final String ACTIVITIES = "silver.strava_activities";
  public static final String ATHLETE = "silver.strava_athlete";
  private static final String ID = "^\\d{1,18}$";

  private StravaTables() {}

  /** A JSON number field as a double, null when absent, null or not a number. */
  private static String number(String field) {
    return "CASE WHEN jsonb_typeof(raw_data->'"
        + field
        + "') = 'number' THEN (raw_data->>'"
        + field
        + "')::double precision END";
  }

  private static String whole(String field) {
    return "round(" + number(field) + ")::bigint";
  }

  private static String bool(String field) {
    return "CASE WHEN jsonb_typeof(raw_data->'"
        + field
        + "') = 'boolean' THEN (raw_data->>'"
        + field
        + "')::boolean END";
  }

  /** Text of an ISO-8601 timestamp field, or null when it does not look like one. */
  private static String instant(String field) {
    return "CASE WHEN raw_data->>'"
        + field
        + "' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}' THEN (raw_data->>'"
        + field
        + "')::timestamptz END";
  }

  /** Pending activities into silver (a later version replaces an earlier one), types checked. */
  public static ApiSilver activities() {
    return ApiSilver.of(
        BRONZE,
        "activities",
        ID,
        List.of(
            check("athlete", "object"),
            check("athlete.id", "number"),
            check("name", "string"),
            check("sport_type", "string"),
            check("type", "string"),
            check("start_date", "timestamp"),
            check("start_date_local", "timestamp"),
            check("timezone", "string"),
            check("distance", "number"),
            check("moving_time", "number"),
            check("elapsed_time", "number"),
            check("total_elevation_gain", "number"),
            check("average_speed", "number"),
            check("has_heartrate", "boolean"),
            check("average_heartrate", "number"),
            check("max_heartrate", "number"),
            check("manual", "boolean"),
            check("trainer", "boolean"),
            check("commute", "boolean"),
            check("gear_id", "string")),
        List.of(
            "INSERT INTO "
                + ACTIVITIES
                + " (activity_id, athlete_id, name, sport_type, start_date, start_date_local, timezone,"
                + " distance_m, moving_time_s, elapsed_time_s, total_elevation_gain_m, average_speed_mps,"
                + " has_heartrate, average_heartrate, max_heartrate, manual, trainer, commute, gear_id,"
                + " bronze_version, fetched_at) SELECT natural_key::bigint,"
                + " CASE WHEN jsonb_typeof(raw_data->'athlete'->'id') = 'number'"
                + " THEN (raw_data->'athlete'->>'id')::bigint END,"
                + " raw_data->>'name', coalesce(raw_data->>'sport_type', raw_data->>'type'), "
                + instant("start_date")
                + ", ("
                + instant("start_date_local")
                + " AT TIME ZONE 'UTC'), raw_data->>'timezone', "
                + number("distance")
                + ", "
                + whole("moving_time")
                + ", "
                + whole("elapsed_time")
                + ", "
                + number("total_elevation_gain")
                + ", "
                + number("average_speed")
                + ", "
                + bool("has_heartrate")
                + ", "
                + number("average_heartrate")
                + ", "
                + number("max_heartrate")
                + ", "
                + bool("manual")
                + ", "
                + bool("trainer")
                + ", "
                + bool("commute")
                + ", raw_data->>'gear_id', version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (activity_id) DO UPDATE SET athlete_id = excluded.athlete_id,"
                + " name = excluded.name, sport_type = excluded.sport_type, start_date = excluded.start_date,"
                + " start_date_local = excluded.start_date_local, timezone = excluded.timezone,"
                + " distance_m = excluded.distance_m, moving_time_s = excluded.moving_time_s,"
                + " elapsed_time_s = excluded.elapsed_time_s,"
                + " total_elevation_gain_m = excluded.total_elevation_gain_m,"
                + " average_speed_mps = excluded.average_speed_mps, has_heartrate = excluded.has_heartrate,"
                + " average_heartrate = excluded.average_heartrate, max_heartrate = excluded.max_heartrate,"
                + " manual = excluded.manual, trainer = excluded.trainer, commute = excluded.commute,"
                + " gear_id = excluded.gear_id, bronze_version = excluded.bronze_version,"
                + " fetched_at = excluded.fetched_at"));
  }

  /** The pending athlete profile into silver, types checked. */
  public static ApiSilver athlete() {
    return ApiSilver.of(
        BRONZE,
        "athlete",
        ID,
        List.of(
            check("username", "string"),
            check("firstname", "string"),
            check("lastname", "string"),
            check("city", "string"),
            check("country", "string"),
            check("sex", "string"),
            check("measurement_preference", "string"),
            check("weight", "number"),
            check("ftp", "number"),
            check("updated_at", "timestamp")),
        List.of(
            "INSERT INTO "
                + ATHLETE
                + " (athlete_id, username, firstname, lastname, city, country, sex,"
                + " measurement_preference, weight_kg, ftp, updated_at, bronze_version, fetched_at)"
                + " SELECT natural_key::bigint, raw_data->>'username', raw_data->>'firstname',"
                + " raw_data->>'lastname', raw_data->>'city', raw_data->>'country', raw_data->>'sex',"
                + " raw_data->>'measurement_preference', "
                + number("weight")
                + ", "
                + whole("ftp")
                + ", "
                + instant("updated_at")
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (athlete_id) DO UPDATE SET username = excluded.username,"
                + " firstname = excluded.firstname, lastname = excluded.lastname, city = excluded.city,"
                + " country = excluded.country, sex = excluded.sex,"
                + " measurement_preference = excluded.measurement_preference,"
                + " weight_kg = excluded.weight_kg, ftp = excluded.ftp, updated_at = excluded.updated_at,"
                + " bronze_version = excluded.bronze_version, fetched_at = excluded.fetched_at"));
  }

  /**
   * The newest start_date landed in bronze (every version counts: a row is landed once it is in
   * bronze, whether or not silver has taken it yet), or null when none is.
   */
  @Nullable
  public static OffsetDateTime newestActivityStart(JdbcTarget target) {
    List<OffsetDateTime> newest =
        Queries.list(
            target,
            "the newest Strava activity start",
            "SELECT max("
                + instant("start_date")
                + ") FROM "
                + BRONZE
                + " WHERE endpoint = 'activities'",
            rs -> rs.getObject(1, OffsetDateTime.class));
    return newest.isEmpty() ? null : newest.get(0);
  }
}

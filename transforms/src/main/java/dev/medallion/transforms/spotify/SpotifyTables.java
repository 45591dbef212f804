package dev.medallion.transforms.spotify;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Spotify's tables (V16) and their statements: silver is the newest pending version of each play,
 * typed and upserted; gold.listening_daily is recomputed from all of silver in the configured
 * timezone (a few plays a day: the whole table is small, and a changed timezone changes every day).
 */
public final class SpotifyTables {
  public static final String BRONZE = "bronze.spotify_raw";
  public static final String PLAYS = "silver.spotify_plays";
  public static final String LISTENING_DAILY = "gold.listening_daily";

  private SpotifyTables() {}

  private static final String PLAYED_AT_PATTERN =
      "'^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$'";

  /** Pending plays into silver (every field but played_at optional), then marked processed. */
  public static String upsertPlays() {
    String pending =
        "SELECT DISTINCT ON (natural_key) natural_key, version, raw_data, fetched_at FROM "
            + BRONZE
            + " WHERE endpoint = 'recently_played' AND NOT is_processed AND natural_key ~ "
            + PLAYED_AT_PATTERN
            + " ORDER BY natural_key, version DESC";
    return "INSERT INTO "
        + PLAYS
        + " (played_at, track_id, track_name, duration_ms, album_id, album_name, artist_names,"
        + " primary_artist, context_type, bronze_version, fetched_at)"
        + " SELECT natural_key::timestamptz, raw_data->'track'->>'id', raw_data->'track'->>'name',"
        + " CASE WHEN jsonb_typeof(raw_data->'track'->'duration_ms') = 'number'"
        + " THEN round((raw_data->'track'->>'duration_ms')::numeric)::bigint END,"
        + " raw_data->'track'->'album'->>'id', raw_data->'track'->'album'->>'name',"
        + " CASE WHEN jsonb_typeof(raw_data->'track'->'artists') = 'array' THEN ARRAY(SELECT"
        + " a->>'name' FROM jsonb_array_elements(raw_data->'track'->'artists') WITH ORDINALITY"
        + " AS x(a, n) WHERE a->>'name' IS NOT NULL ORDER BY n) END,"
        + " CASE WHEN jsonb_typeof(raw_data->'track'->'artists') = 'array'"
        + " THEN raw_data->'track'->'artists'->0->>'name' END,"
        + " CASE WHEN jsonb_typeof(raw_data->'context') = 'object'"
        + " THEN raw_data->'context'->>'type' END, version, fetched_at FROM ("
        + pending
        + ") AS latest ON CONFLICT (played_at) DO UPDATE SET track_id = excluded.track_id,"
        + " track_name = excluded.track_name, duration_ms = excluded.duration_ms,"
        + " album_id = excluded.album_id, album_name = excluded.album_name,"
        + " artist_names = excluded.artist_names, primary_artist = excluded.primary_artist,"
        + " context_type = excluded.context_type, bronze_version = excluded.bronze_version,"
        + " fetched_at = excluded.fetched_at; UPDATE "
        + BRONZE
        + " SET is_processed = true, processed_at = now() WHERE endpoint = 'recently_played'"
        + " AND NOT is_processed AND natural_key ~ "
        + PLAYED_AT_PATTERN;
  }

  /**
   * gold.listening_daily from all of silver, days in {@code zone}: plays, minutes (the tracks'
   * durations), distinct tracks, distinct artists (every artist of a track counts), the artist with
   * the most plays as primary artist (ties: the name first in order).
   */
  public static String rebuildListeningDaily(ZoneId zone) {
    String tz = zone.getId(); // a zone id is letters, digits, '/', '_', '+', '-': safe to inline
    return "DELETE FROM "
        + LISTENING_DAILY
        + "; INSERT INTO "
        + LISTENING_DAILY
        + " (day, plays, minutes, distinct_tracks, distinct_artists, top_artist, timezone)"
        + " WITH p AS (SELECT (played_at AT TIME ZONE '"
        + tz
        + "')::date AS day, track_id, duration_ms, artist_names, primary_artist FROM "
        + PLAYS
        + "), top AS (SELECT DISTINCT ON (day) day, primary_artist FROM (SELECT day,"
        + " primary_artist, count(*) AS n FROM p WHERE primary_artist IS NOT NULL GROUP BY 1, 2)"
        + " AS c ORDER BY day, n DESC, primary_artist), artists AS (SELECT day,"
        + " count(DISTINCT a) AS n FROM p, unnest(artist_names) AS a GROUP BY day)"
        + " SELECT p.day, count(*), round(coalesce(sum(p.duration_ms), 0) / 60000.0, 1),"
        + " count(DISTINCT p.track_id), coalesce(max(artists.n), 0), max(top.primary_artist), '"
        + tz
        + "' FROM p LEFT JOIN top USING (day) LEFT JOIN artists USING (day) GROUP BY p.day";
  }

  /** The newest played_at landed in bronze, or null: the next run asks for plays after it. */
  @Nullable
  public static OffsetDateTime newestPlay(JdbcTarget target) {
    List<OffsetDateTime> newest =
        Queries.list(
            target,
            "the newest Spotify play",
            "SELECT max(natural_key::timestamptz) FROM "
                + BRONZE
                + " WHERE endpoint = 'recently_played' AND natural_key ~ "
                + PLAYED_AT_PATTERN,
            rs -> rs.getObject(1, OffsetDateTime.class));
    return newest.isEmpty() ? null : newest.get(0);
  }
}

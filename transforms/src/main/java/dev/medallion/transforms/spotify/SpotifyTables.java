package dev.medallion.transforms.spotify;

import static dev.medallion.transforms.ApiSilver.check;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import dev.medallion.transforms.ApiSilver;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Spotify's tables (V16, V27) and their statements. Silver is one {@link ApiSilver} step per
 * stream: the newest pending version of each key, its field types checked (a wrong type is
 * quarantined naming the record and the field, never silently nulled), typed and upserted. Gold is
 * recomputed from all of silver (a few rows a day: the whole table is small, and a changed timezone
 * changes every day).
 */
public final class SpotifyTables {
  public static final String BRONZE = "bronze.spotify_raw";
  public static final String PLAYS = "silver.spotify_plays";
  public static final String SAVED_TRACKS = "silver.spotify_saved_tracks";
  public static final String SAVED_ALBUMS = "silver.spotify_saved_albums";
  public static final String PLAYLISTS = "silver.spotify_playlists";
  public static final String PLAYLIST_VERSIONS = "silver.spotify_playlist_versions";
  public static final String TOP_ITEMS = "silver.spotify_top_items";
  public static final String LISTENING_DAILY = "gold.listening_daily";
  public static final String TOP_ITEMS_HISTORY = "gold.top_items_history";

  private SpotifyTables() {}

  private static final String PLAYED_AT =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$";
  private static final String SPOTIFY_ID = "^[A-Za-z0-9]{1,64}$";
  private static final String TOP_KEY =
      "^\\d{4}-\\d{2}-\\d{2}/(short|medium|long)_term/\\d{1,6}/[A-Za-z0-9]{1,64}$";

  /** Text at a dotted path of the row. */
  private static String text(String path) {
    return "raw_data #>> '{" + path.replace('.', ',') + "}'";
  }

  /** A number at a dotted path (checked to be one) as a whole number. */
  private static String whole(String path) {
    return "round((" + text(path) + ")::numeric)::bigint";
  }

  private static String bool(String path) {
    return "(" + text(path) + ")::boolean";
  }

  private static String instant(String path) {
    return "(" + text(path) + ")::timestamptz";
  }

  /** The names of an array of artist objects, in order, or null when it is not an array. */
  private static String artistNames(String path) {
    String array = "raw_data #> '{" + path.replace('.', ',') + "}'";
    return "CASE WHEN jsonb_typeof("
        + array
        + ") = 'array' THEN ARRAY(SELECT a->>'name' FROM jsonb_array_elements("
        + array
        + ") WITH ORDINALITY AS x(a, n) WHERE a->>'name' IS NOT NULL ORDER BY n) END";
  }

  private static String strings(String path) {
    String array = "raw_data #> '{" + path.replace('.', ',') + "}'";
    return "CASE WHEN jsonb_typeof("
        + array
        + ") = 'array' THEN ARRAY(SELECT g #>> '{}' FROM jsonb_array_elements("
        + array
        + ") WITH ORDINALITY AS x(g, n) WHERE jsonb_typeof(g) = 'string' ORDER BY n) END";
  }

  private static String updateAll(String... columns) {
    StringBuilder set = new StringBuilder(" DO UPDATE SET ");
    for (int i = 0; i < columns.length; i++) {
      set.append(i == 0 ? "" : ", ").append(columns[i]).append(" = excluded.").append(columns[i]);
    }
    return set.toString();
  }

  /** Recently played into silver.spotify_plays, keyed by played_at. */
  public static ApiSilver plays() {
    return ApiSilver.of(
        BRONZE,
        "recently_played",
        PLAYED_AT,
        List.of(
            check("track", "object"),
            check("track.id", "string"),
            check("track.name", "string"),
            check("track.duration_ms", "number"),
            check("track.album", "object"),
            check("track.album.id", "string"),
            check("track.album.name", "string"),
            check("track.artists", "array"),
            check("context", "object"),
            check("context.type", "string")),
        List.of(
            "INSERT INTO "
                + PLAYS
                + " (played_at, track_id, track_name, duration_ms, album_id, album_name,"
                + " artist_names, primary_artist, context_type, bronze_version, fetched_at)"
                + " SELECT natural_key::timestamptz, "
                + text("track.id")
                + ", "
                + text("track.name")
                + ", "
                + whole("track.duration_ms")
                + ", "
                + text("track.album.id")
                + ", "
                + text("track.album.name")
                + ", "
                + artistNames("track.artists")
                + ", (raw_data #> '{track,artists}')->0->>'name', "
                + text("context.type")
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (played_at)"
                + updateAll(
                    "track_id",
                    "track_name",
                    "duration_ms",
                    "album_id",
                    "album_name",
                    "artist_names",
                    "primary_artist",
                    "context_type",
                    "bronze_version",
                    "fetched_at")));
  }

  /** Saved tracks into silver.spotify_saved_tracks, keyed by track id. */
  public static ApiSilver savedTracks() {
    return ApiSilver.of(
        BRONZE,
        "saved_tracks",
        SPOTIFY_ID,
        List.of(
            check("added_at", "timestamp"),
            check("track", "object"),
            check("track.name", "string"),
            check("track.duration_ms", "number"),
            check("track.explicit", "boolean"),
            check("track.popularity", "number"),
            check("track.external_ids", "object"),
            check("track.external_ids.isrc", "string"),
            check("track.album", "object"),
            check("track.album.id", "string"),
            check("track.album.name", "string"),
            check("track.artists", "array")),
        List.of(
            "INSERT INTO "
                + SAVED_TRACKS
                + " (track_id, added_at, track_name, duration_ms, explicit, popularity, isrc,"
                + " album_id, album_name, artist_names, bronze_version, fetched_at)"
                + " SELECT natural_key, "
                + instant("added_at")
                + ", "
                + text("track.name")
                + ", "
                + whole("track.duration_ms")
                + ", "
                + bool("track.explicit")
                + ", "
                + whole("track.popularity")
                + ", "
                + text("track.external_ids.isrc")
                + ", "
                + text("track.album.id")
                + ", "
                + text("track.album.name")
                + ", "
                + artistNames("track.artists")
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (track_id)"
                + updateAll(
                    "added_at",
                    "track_name",
                    "duration_ms",
                    "explicit",
                    "popularity",
                    "isrc",
                    "album_id",
                    "album_name",
                    "artist_names",
                    "bronze_version",
                    "fetched_at")));
  }

  /** Saved albums into silver.spotify_saved_albums, keyed by album id. */
  public static ApiSilver savedAlbums() {
    return ApiSilver.of(
        BRONZE,
        "saved_albums",
        SPOTIFY_ID,
        List.of(
            check("added_at", "timestamp"),
            check("album", "object"),
            check("album.name", "string"),
            check("album.album_type", "string"),
            check("album.release_date", "string"),
            check("album.total_tracks", "number"),
            check("album.label", "string"),
            check("album.popularity", "number"),
            check("album.artists", "array")),
        List.of(
            "INSERT INTO "
                + SAVED_ALBUMS
                + " (album_id, added_at, album_name, album_type, release_date, total_tracks,"
                + " label, popularity, artist_names, bronze_version, fetched_at)"
                + " SELECT natural_key, "
                + instant("added_at")
                + ", "
                + text("album.name")
                + ", "
                + text("album.album_type")
                + ", "
                + text("album.release_date")
                + ", "
                + whole("album.total_tracks")
                + ", "
                + text("album.label")
                + ", "
                + whole("album.popularity")
                + ", "
                + artistNames("album.artists")
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (album_id)"
                + updateAll(
                    "added_at",
                    "album_name",
                    "album_type",
                    "release_date",
                    "total_tracks",
                    "label",
                    "popularity",
                    "artist_names",
                    "bronze_version",
                    "fetched_at")));
  }

  /**
   * Playlists into silver.spotify_playlists (the current state) and a row per snapshot_id into
   * silver.spotify_playlist_versions. The item count is {@code items.total} (2026) or the
   * deprecated {@code tracks.total}.
   */
  public static ApiSilver playlists() {
    String itemCount = "coalesce(" + whole("items.total") + ", " + whole("tracks.total") + ")";
    return ApiSilver.of(
        BRONZE,
        "playlists",
        SPOTIFY_ID,
        List.of(
            check("name", "string"),
            check("description", "string"),
            check("owner", "object"),
            check("owner.id", "string"),
            check("owner.display_name", "string"),
            check("collaborative", "boolean"),
            check("public", "boolean"),
            check("snapshot_id", "string"),
            check("items", "object"),
            check("items.total", "number"),
            check("tracks", "object"),
            check("tracks.total", "number")),
        List.of(
            "INSERT INTO "
                + PLAYLISTS
                + " (playlist_id, name, description, owner_id, owner_name, collaborative, public,"
                + " snapshot_id, item_count, bronze_version, fetched_at) SELECT natural_key, "
                + text("name")
                + ", "
                + text("description")
                + ", "
                + text("owner.id")
                + ", "
                + text("owner.display_name")
                + ", "
                + bool("collaborative")
                + ", "
                + bool("public")
                + ", "
                + text("snapshot_id")
                + ", "
                + itemCount
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (playlist_id)"
                + updateAll(
                    "name",
                    "description",
                    "owner_id",
                    "owner_name",
                    "collaborative",
                    "public",
                    "snapshot_id",
                    "item_count",
                    "bronze_version",
                    "fetched_at"),
            "INSERT INTO "
                + PLAYLIST_VERSIONS
                + " (playlist_id, snapshot_id, name, item_count, first_seen_at, bronze_version)"
                + " SELECT natural_key, "
                + text("snapshot_id")
                + ", "
                + text("name")
                + ", "
                + itemCount
                + ", fetched_at, version FROM "
                + ApiSilver.LATEST
                + " WHERE "
                + text("snapshot_id")
                + " IS NOT NULL ON CONFLICT (playlist_id, snapshot_id) DO NOTHING"));
  }

  /** Top tracks or artists (their landed envelope) into silver.spotify_top_items. */
  public static ApiSilver topItems(String stream) {
    String type =
        switch (stream) {
          case "top_tracks" -> "track";
          case "top_artists" -> "artist";
          default -> throw new IllegalArgumentException("not a top-items stream: " + stream);
        };
    return ApiSilver.of(
        BRONZE,
        stream,
        TOP_KEY,
        List.of(
            check("item", "object"),
            check("item.name", "string"),
            check("item.popularity", "number"),
            check("item.artists", "array"),
            check("item.genres", "array")),
        List.of(
            "INSERT INTO "
                + TOP_ITEMS
                + " (snapshot_date, item_type, time_range, rank, item_id, name, popularity,"
                + " artist_names, genres, bronze_version, fetched_at) SELECT "
                + "split_part(natural_key, '/', 1)::date, '"
                + type
                + "', split_part(natural_key, '/', 2), split_part(natural_key, '/', 3)::int,"
                + " split_part(natural_key, '/', 4), "
                + text("item.name")
                + ", "
                + whole("item.popularity")
                + ", "
                + artistNames("item.artists")
                + ", "
                + strings("item.genres")
                + ", version, fetched_at FROM "
                + ApiSilver.LATEST
                + " ON CONFLICT (snapshot_date, item_type, time_range, rank)"
                + updateAll(
                    "item_id",
                    "name",
                    "popularity",
                    "artist_names",
                    "genres",
                    "bronze_version",
                    "fetched_at")));
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

  /** gold.top_items_history from all of silver's dated snapshots. */
  public static String rebuildTopItemsHistory() {
    return "DELETE FROM "
        + TOP_ITEMS_HISTORY
        + "; INSERT INTO "
        + TOP_ITEMS_HISTORY
        + " (snapshot_date, item_type, time_range, rank, item_id, name) SELECT snapshot_date,"
        + " item_type, time_range, rank, item_id, name FROM "
        + TOP_ITEMS;
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
                + " WHERE endpoint = 'recently_played' AND natural_key ~ '"
                + PLAYED_AT
                + "'",
            rs -> rs.getObject(1, OffsetDateTime.class));
    return newest.isEmpty() ? null : newest.get(0);
  }

  /**
   * The newest added_at of a saved-items stream landed in bronze (any version, processed or not:
   * landed is what counts), or null: the next run stops at the first item at or before it.
   */
  @Nullable
  public static OffsetDateTime newestSaved(JdbcTarget target, String stream) {
    if (!stream.equals("saved_tracks") && !stream.equals("saved_albums")) {
      throw new IllegalArgumentException("not a saved-items stream: " + stream);
    }
    List<OffsetDateTime> newest =
        Queries.list(
            target,
            "the newest Spotify " + stream,
            "SELECT max((raw_data->>'added_at')::timestamptz) FROM "
                + BRONZE
                + " WHERE endpoint = '"
                + stream
                + "' AND raw_data->>'added_at' ~ '"
                + PLAYED_AT
                + "'",
            rs -> rs.getObject(1, OffsetDateTime.class));
    return newest.isEmpty() ? null : newest.get(0);
  }
}

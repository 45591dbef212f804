-- Spotify (issue 12), the streams besides recently played. Bronze is bronze.spotify_raw (V16):
-- endpoint = the stream, natural_key as API-REFERENCE.md gives it, a new version per changed payload.

-- Liked songs, one row per track id (a track saved again has a new added_at: the newest wins).
CREATE TABLE IF NOT EXISTS silver.spotify_saved_tracks (
    track_id        TEXT PRIMARY KEY,
    added_at        TIMESTAMPTZ,
    track_name      TEXT,
    duration_ms     BIGINT,
    explicit        BOOLEAN,
    popularity      INTEGER,
    isrc            TEXT,
    album_id        TEXT,
    album_name      TEXT,
    artist_names    TEXT[],
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS silver.spotify_saved_albums (
    album_id        TEXT PRIMARY KEY,
    added_at        TIMESTAMPTZ,
    album_name      TEXT,
    album_type      TEXT,
    release_date    TEXT,                   -- YYYY, YYYY-MM or YYYY-MM-DD per its precision
    total_tracks    INTEGER,
    label           TEXT,
    popularity      INTEGER,
    artist_names    TEXT[],
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

-- The current state of each playlist, and one row per snapshot_id seen: a changed snapshot_id is a
-- new version of the playlist's content.
CREATE TABLE IF NOT EXISTS silver.spotify_playlists (
    playlist_id     TEXT PRIMARY KEY,
    name            TEXT,
    description     TEXT,
    owner_id        TEXT,
    owner_name      TEXT,
    collaborative   BOOLEAN,
    public          BOOLEAN,
    snapshot_id     TEXT,
    item_count      INTEGER,                -- items.total, else the deprecated tracks.total
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS silver.spotify_playlist_versions (
    playlist_id     TEXT NOT NULL,
    snapshot_id     TEXT NOT NULL,
    name            TEXT,
    item_count      INTEGER,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    bronze_version  INTEGER NOT NULL,
    PRIMARY KEY (playlist_id, snapshot_id)
);

-- Top tracks and artists: dated snapshots, one row per (day, type, time range, rank).
CREATE TABLE IF NOT EXISTS silver.spotify_top_items (
    snapshot_date   DATE NOT NULL,
    item_type       TEXT NOT NULL CHECK (item_type IN ('track', 'artist')),
    time_range      TEXT NOT NULL,          -- short_term, medium_term, long_term
    rank            INTEGER NOT NULL,
    item_id         TEXT NOT NULL,
    name            TEXT,
    popularity      INTEGER,
    artist_names    TEXT[],                 -- a track's artists; null for an artist
    genres          TEXT[],                 -- an artist's genres; null for a track
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (snapshot_date, item_type, time_range, rank)
);

CREATE TABLE IF NOT EXISTS gold.top_items_history (
    snapshot_date   DATE NOT NULL,
    item_type       TEXT NOT NULL,
    time_range      TEXT NOT NULL,
    rank            INTEGER NOT NULL,
    item_id         TEXT NOT NULL,
    name            TEXT,
    PRIMARY KEY (snapshot_date, item_type, time_range, rank)
);

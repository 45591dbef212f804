-- Strava (issue 12): bronze keeps every version of each row as fetched (unknown fields included);
-- silver is typed, one row per activity id (a page fetched twice, or the overlap of two runs, is
-- one row); every field but the id is optional, as API-REFERENCE.md says.
CREATE TABLE IF NOT EXISTS bronze.strava_raw (
    endpoint      TEXT NOT NULL,            -- the stream: activities, athlete
    natural_key   TEXT NOT NULL,            -- the id
    version       INTEGER NOT NULL,
    raw_data      JSONB NOT NULL,
    payload_hash  TEXT NOT NULL,
    request       TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    is_processed  BOOLEAN NOT NULL DEFAULT false,
    processed_at  TIMESTAMPTZ,
    PRIMARY KEY (endpoint, natural_key, version)
);
CREATE INDEX IF NOT EXISTS strava_raw_pending_idx ON bronze.strava_raw (endpoint, natural_key) WHERE NOT is_processed;

CREATE TABLE IF NOT EXISTS silver.strava_activities (
    activity_id           BIGINT PRIMARY KEY,
    athlete_id            BIGINT,
    name                  TEXT,
    sport_type            TEXT,            -- sport_type, else the legacy type
    start_date            TIMESTAMPTZ,     -- UTC
    start_date_local      TIMESTAMP,       -- local wall time (Strava suffixes it with Z all the same)
    timezone              TEXT,
    distance_m            DOUBLE PRECISION,
    moving_time_s         INTEGER,
    elapsed_time_s        INTEGER,
    total_elevation_gain_m DOUBLE PRECISION,
    average_speed_mps     DOUBLE PRECISION,
    has_heartrate         BOOLEAN,
    average_heartrate     DOUBLE PRECISION,
    max_heartrate         DOUBLE PRECISION,
    manual                BOOLEAN,
    trainer               BOOLEAN,
    commute               BOOLEAN,
    gear_id               TEXT,
    bronze_version        INTEGER NOT NULL,
    fetched_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS silver.strava_athlete (
    athlete_id             BIGINT PRIMARY KEY,
    username               TEXT,
    firstname              TEXT,
    lastname               TEXT,
    city                   TEXT,
    country                TEXT,
    sex                    TEXT,
    measurement_preference TEXT,
    weight_kg              DOUBLE PRECISION,
    ftp                    INTEGER,
    updated_at             TIMESTAMPTZ,
    bronze_version         INTEGER NOT NULL,
    fetched_at             TIMESTAMPTZ NOT NULL
);

-- Spotify (issue 12): recently played. A play is keyed by played_at (one play at a time per user).
CREATE TABLE IF NOT EXISTS bronze.spotify_raw (
    endpoint      TEXT NOT NULL,            -- the stream: recently_played
    natural_key   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    raw_data      JSONB NOT NULL,
    payload_hash  TEXT NOT NULL,
    request       TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    is_processed  BOOLEAN NOT NULL DEFAULT false,
    processed_at  TIMESTAMPTZ,
    PRIMARY KEY (endpoint, natural_key, version)
);
CREATE INDEX IF NOT EXISTS spotify_raw_pending_idx ON bronze.spotify_raw (endpoint, natural_key) WHERE NOT is_processed;

CREATE TABLE IF NOT EXISTS silver.spotify_plays (
    played_at       TIMESTAMPTZ PRIMARY KEY,
    track_id        TEXT,
    track_name      TEXT,
    duration_ms     BIGINT,
    album_id        TEXT,
    album_name      TEXT,
    artist_names    TEXT[],                 -- in the track's order
    primary_artist  TEXT,                   -- the first of them
    context_type    TEXT,                   -- album, artist, playlist, show, or null
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

-- One row per day of listening, the day taken in the configured timezone (--timezone).
CREATE TABLE IF NOT EXISTS gold.listening_daily (
    day               DATE PRIMARY KEY,
    plays             INTEGER NOT NULL,
    minutes           NUMERIC(10, 1) NOT NULL,
    distinct_tracks   INTEGER NOT NULL,
    distinct_artists  INTEGER NOT NULL,
    top_artist        TEXT,                 -- most plays as primary artist; ties by name
    timezone          TEXT NOT NULL
);

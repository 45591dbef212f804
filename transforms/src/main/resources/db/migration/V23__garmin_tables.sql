-- Garmin Connect (issue 12): bronze keeps every version of each row as fetched (unknown fields
-- included: Garmin rows carry ~100 keys); silver is typed, one row per activity id or calendar date.
-- Every field but the key is optional, as API-REFERENCE.md section 4 says. A wellness day without
-- data (Garmin answers 200 with null values) is a row with has_data false, not an error.
CREATE TABLE IF NOT EXISTS bronze.garmin_raw (
    endpoint      TEXT NOT NULL,            -- the stream: activities, sleep, heart_rate
    natural_key   TEXT NOT NULL,            -- activityId, or the calendar date asked (YYYY-MM-DD)
    version       INTEGER NOT NULL,
    raw_data      JSONB NOT NULL,
    payload_hash  TEXT NOT NULL,
    request       TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    is_processed  BOOLEAN NOT NULL DEFAULT false,
    processed_at  TIMESTAMPTZ,
    PRIMARY KEY (endpoint, natural_key, version)
);
CREATE INDEX IF NOT EXISTS garmin_raw_pending_idx ON bronze.garmin_raw (endpoint, natural_key) WHERE NOT is_processed;

CREATE TABLE IF NOT EXISTS silver.garmin_activities (
    activity_id          BIGINT PRIMARY KEY,
    name                 TEXT,
    sport                TEXT,              -- activityType.typeKey, e.g. trail_running, cycling
    start_time_gmt       TIMESTAMPTZ,       -- startTimeGMT (no zone in the API: it is UTC), else beginTimestamp
    start_time_local     TIMESTAMP,         -- startTimeLocal, the athlete's wall time
    distance_m           DOUBLE PRECISION,
    duration_s           DOUBLE PRECISION,
    moving_duration_s    DOUBLE PRECISION,
    elapsed_duration_s   DOUBLE PRECISION,
    elevation_gain_m     DOUBLE PRECISION,
    average_hr           DOUBLE PRECISION,
    max_hr               DOUBLE PRECISION,
    calories             DOUBLE PRECISION,
    manual_activity      BOOLEAN,
    bronze_version       INTEGER NOT NULL,
    fetched_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS silver.garmin_sleep (
    calendar_date        DATE PRIMARY KEY,  -- the wake-up date
    has_data             BOOLEAN NOT NULL,  -- false: Garmin answered "no sleep recorded" (id null)
    sleep_start          TIMESTAMPTZ,
    sleep_end            TIMESTAMPTZ,
    sleep_seconds        INTEGER,
    deep_seconds         INTEGER,
    light_seconds        INTEGER,
    rem_seconds          INTEGER,
    awake_seconds        INTEGER,
    nap_seconds          INTEGER,
    sleep_score          INTEGER,           -- sleepScores.overall.value
    resting_heart_rate   INTEGER,           -- the body's top-level restingHeartRate
    avg_overnight_hrv    DOUBLE PRECISION,
    average_spo2         DOUBLE PRECISION,
    average_respiration  DOUBLE PRECISION,
    bronze_version       INTEGER NOT NULL,
    fetched_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS silver.garmin_heart_rate (
    calendar_date        DATE PRIMARY KEY,
    has_data             BOOLEAN NOT NULL,  -- false: no sample with a reading (epoch-zero timestamps, null arrays)
    resting_heart_rate   INTEGER,           -- Garmin may give one even on a day without samples
    min_heart_rate       INTEGER,
    max_heart_rate       INTEGER,
    seven_day_avg_resting INTEGER,
    samples              INTEGER NOT NULL,  -- samples with a reading (a null bpm is no reading)
    average_bpm          NUMERIC(5, 1),     -- mean of those samples
    day_start_gmt        TIMESTAMPTZ,       -- null on a day without data (Garmin sends 1970-01-01)
    bronze_version       INTEGER NOT NULL,
    fetched_at           TIMESTAMPTZ NOT NULL
);

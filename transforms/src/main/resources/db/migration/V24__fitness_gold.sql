-- Gold of the fitness services (issue 12), rebuilt from silver by the garmin pipeline.

-- One row per night with sleep data, keyed by Garmin's calendar date (the wake-up date).
-- Shares are of the staged sleep (deep + light + REM), so they add up to 1.
CREATE TABLE IF NOT EXISTS gold.sleep_nightly (
    calendar_date       DATE PRIMARY KEY,
    sleep_start         TIMESTAMPTZ,
    sleep_end           TIMESTAMPTZ,
    total_sleep_s       INTEGER NOT NULL,
    total_sleep_h       NUMERIC(5, 2) NOT NULL,
    deep_share          NUMERIC(4, 3),
    light_share         NUMERIC(4, 3),
    rem_share           NUMERIC(4, 3),
    awake_s             INTEGER,
    sleep_score         INTEGER,
    resting_heart_rate  INTEGER             -- the day's heart-rate resting value, else the sleep body's
);

-- ISO week (of the local start) x sport group, from Strava and Garmin together. An activity
-- recorded by both (starts within 2 minutes, distances within 2%) is counted once, as Garmin's.
CREATE TABLE IF NOT EXISTS gold.training_weekly (
    week_start          DATE NOT NULL,      -- the Monday
    iso_week            TEXT NOT NULL,      -- e.g. 2024-W25
    sport               TEXT NOT NULL,      -- running, cycling, swimming, walking, hiking, strength, yoga, or the source's own
    activities          INTEGER NOT NULL,
    from_garmin         INTEGER NOT NULL,
    from_strava_only    INTEGER NOT NULL,
    distance_km         NUMERIC(10, 2) NOT NULL,
    moving_time_s       BIGINT NOT NULL,
    elevation_gain_m    NUMERIC(10, 1) NOT NULL,
    average_heart_rate  NUMERIC(5, 1),      -- mean of the activities' average heart rates (those with one)
    PRIMARY KEY (week_start, sport)
);

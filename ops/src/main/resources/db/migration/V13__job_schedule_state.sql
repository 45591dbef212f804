-- The ingestion orchestrator's memory (medallion ingest, ingestion-config.yaml): one row per job and
-- environment. A job is due when its cron's most recent fire time at or before now is later than
-- last_served_fire, which only a succeeded run moves forward (to the fire time it was started for),
-- so a late or skipped trigger runs a missed job once, and a failed run is tried again by the next.
CREATE TABLE IF NOT EXISTS ops.job_schedule_state (
    job_id           TEXT NOT NULL,
    environment      TEXT NOT NULL,
    last_served_fire TIMESTAMPTZ,            -- the fire time the last succeeded run served; NULL: never
    last_run_id      TEXT,                   -- ops.pipeline_runs.run_id of the last attempt, when it started
    last_status      TEXT,                   -- succeeded or failed (the last attempt's)
    last_error       TEXT,                   -- the last failed attempt's error, secrets masked
    last_started_at  TIMESTAMPTZ,
    last_ended_at    TIMESTAMPTZ,
    last_records     BIGINT,
    PRIMARY KEY (job_id, environment)
);

-- What a run printed, line by line, so the operations service can show a run's log
-- (GET /api/v1/etl/executions/{id}/logs) after the process that ran it has gone.
CREATE TABLE IF NOT EXISTS ops.run_logs (
    id         BIGSERIAL PRIMARY KEY,
    run_id     TEXT NOT NULL,          -- not a foreign key: a refused trigger logs why it never started
    logged_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    level      TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    layer      TEXT CHECK (layer IN ('bronze', 'silver', 'gold', 'platinum')),
    message    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_logs_run_idx ON ops.run_logs (run_id, id);

-- The medallion layers, and the operations schema that tracks every run.
CREATE SCHEMA IF NOT EXISTS bronze;
CREATE SCHEMA IF NOT EXISTS silver;
CREATE SCHEMA IF NOT EXISTS gold;
CREATE SCHEMA IF NOT EXISTS platinum;
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per pipeline run. layer_records holds {"bronze": {"in": n, "out": n, "quarantined": n}, ...}.
CREATE TABLE IF NOT EXISTS ops.pipeline_runs (
    run_id         TEXT PRIMARY KEY,
    pipeline       TEXT NOT NULL,
    mode           TEXT NOT NULL,
    layers         TEXT NOT NULL,
    runner         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at   TIMESTAMPTZ,
    layer_records  JSONB NOT NULL DEFAULT '{}'::jsonb,
    error          TEXT
);
CREATE INDEX IF NOT EXISTS pipeline_runs_started_idx ON ops.pipeline_runs (pipeline, started_at DESC);

-- The latest state of each table in each layer (band-elgoose-orchestration.md's processing_status).
CREATE TABLE IF NOT EXISTS ops.processing_status (
    table_name         TEXT NOT NULL,
    layer              TEXT NOT NULL,
    status             TEXT NOT NULL,
    records_processed  BIGINT NOT NULL DEFAULT 0,
    error_message      TEXT,
    run_id             TEXT,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, layer)
);

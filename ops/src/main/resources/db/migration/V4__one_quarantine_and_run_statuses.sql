-- One quarantine for every pipeline and layer, and the run statuses of the platform.

CREATE TABLE IF NOT EXISTS ops.quarantine (
    id              BIGSERIAL PRIMARY KEY,
    pipeline        TEXT NOT NULL,
    layer           TEXT NOT NULL,
    source          TEXT NOT NULL,     -- a file path, an API request, or a table
    record_index    INTEGER NOT NULL,  -- position in the source; -1 for a whole file or request
    record_key      TEXT,              -- where the record waits upstream (a bronze id, a natural key): what a replay re-feeds
    reason          TEXT NOT NULL,
    error_class     TEXT NOT NULL CHECK (error_class IN ('missing_field', 'invalid_type', 'invalid_value',
                        'malformed_record', 'malformed_file', 'unsupported_format', 'duplicate', 'request_failed',
                        'rejected_by_sink')),
    payload         TEXT,              -- an excerpt of the record (at most 10,000 characters)
    run_id          TEXT,
    quarantined_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    replayed_at     TIMESTAMPTZ,       -- set when a replay landed the record; the row stays
    replay_run_id   TEXT,              -- the replay run that took (or is taking) the record
    UNIQUE (pipeline, layer, source, record_index)
);
CREATE INDEX IF NOT EXISTS quarantine_pending_idx ON ops.quarantine (pipeline, layer) WHERE replayed_at IS NULL;
CREATE INDEX IF NOT EXISTS quarantine_run_idx ON ops.quarantine (run_id);

-- The rows of the two pipeline quarantines move over, and their names stay as views.
DO $$
BEGIN
    IF to_regclass('silver.edge_quarantine') IS NOT NULL
       AND (SELECT relkind FROM pg_class WHERE oid = to_regclass('silver.edge_quarantine')) = 'r' THEN
        INSERT INTO ops.quarantine (pipeline, layer, source, record_index, record_key, reason, error_class, payload, run_id,
                                    quarantined_at)
        SELECT 'edge', step, file_path, record_index, bronze_id::text, reason,
               CASE WHEN reason LIKE 'duplicate %' THEN 'duplicate'
                    WHEN record_index = -1 THEN 'malformed_file'
                    WHEN step = 'bronze' THEN 'malformed_record'
                    WHEN reason LIKE '%missing%' THEN 'missing_field'
                    ELSE 'invalid_type' END,
               record, run_id, quarantined_at
        FROM silver.edge_quarantine
        ON CONFLICT DO NOTHING;
        DROP TABLE silver.edge_quarantine;
    END IF;
    IF to_regclass('silver.band_quarantine') IS NOT NULL
       AND (SELECT relkind FROM pg_class WHERE oid = to_regclass('silver.band_quarantine')) = 'r' THEN
        INSERT INTO ops.quarantine (pipeline, layer, source, record_index, record_key, reason, error_class, payload, run_id,
                                    quarantined_at)
        SELECT 'band', step, source, record_index, bronze_key, reason,
               CASE WHEN step = 'bronze' AND record_index = -1 THEN 'request_failed'
                    WHEN step = 'bronze' THEN 'malformed_record'
                    WHEN reason LIKE '%missing%' THEN 'missing_field'
                    ELSE 'invalid_type' END,
               record, run_id, quarantined_at
        FROM silver.band_quarantine
        ON CONFLICT DO NOTHING;
        DROP TABLE silver.band_quarantine;
    END IF;
END
$$;

-- ops.pipeline_runs: the status vocabulary, who runs it (for finding abandoned runs) and a heartbeat.
ALTER TABLE ops.pipeline_runs DROP CONSTRAINT IF EXISTS pipeline_runs_status_check;
ALTER TABLE ops.pipeline_runs ADD CONSTRAINT pipeline_runs_status_check
    CHECK (status IN ('scheduled', 'running', 'succeeded', 'failed', 'stopped', 'abandoned'));
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS host TEXT;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS pid BIGINT;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS heartbeat_at TIMESTAMPTZ;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS continuous BOOLEAN NOT NULL DEFAULT false;
-- Per layer beyond the record counts of layer_records: {"bronze": {"bytes_read": n, "duration_ms": n}, ...}.
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS layer_metrics JSONB NOT NULL DEFAULT '{}'::jsonb;
UPDATE ops.pipeline_runs SET status = 'stopped', error = NULL WHERE status = 'succeeded' AND error = 'stopped';
CREATE INDEX IF NOT EXISTS pipeline_runs_running_idx ON ops.pipeline_runs (pipeline) WHERE status = 'running';

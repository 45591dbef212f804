-- Every file an inventory pipeline run looked at (issue 11): one row per run and file, so a retry
-- takes only the files whose latest job failed.
CREATE TABLE IF NOT EXISTS ops.file_jobs (
    job_id         BIGSERIAL PRIMARY KEY,
    run_id         TEXT NOT NULL,
    pipeline       TEXT NOT NULL,
    file_path      TEXT NOT NULL,
    file_kind      TEXT,
    business_date  DATE,
    store_id       TEXT,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'skipped')),
    retry_count    INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    checksum       TEXT,
    rows           BIGINT,
    quarantined_rows BIGINT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS file_jobs_latest_idx ON ops.file_jobs (pipeline, file_path, job_id DESC);
CREATE INDEX IF NOT EXISTS file_jobs_run_idx ON ops.file_jobs (run_id);

-- The seed's per-run totals.
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS business_date DATE;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS total_files INTEGER;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS processed_files INTEGER;
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS total_rows BIGINT;

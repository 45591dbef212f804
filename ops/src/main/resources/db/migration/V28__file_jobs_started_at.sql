-- When a worker began reading the file (updated_at is when it finished): how long each file took,
-- and how many files a pipeline read at once (its worker_count).
ALTER TABLE ops.file_jobs ADD COLUMN IF NOT EXISTS started_at TIMESTAMPTZ;

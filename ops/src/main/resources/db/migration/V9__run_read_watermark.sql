-- The change sequence a run read its input up to (gold: the silver changes it summarized), so the
-- next incremental run reads from there on. Set only by runs that read incrementally from a table with
-- a change sequence; NULL otherwise.
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS read_watermark BIGINT;

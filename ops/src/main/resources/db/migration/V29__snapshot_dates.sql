-- Which inventory snapshots (pipeline, business date) have rows in silver that no published
-- snapshot holds yet: set dirty by the transaction that reads a file into silver, cleared by the
-- transaction that rewrites the date. A run that died between the two leaves the date dirty, and the
-- next run of the pipeline rewrites it first.
CREATE TABLE IF NOT EXISTS ops.snapshot_dates (
  pipeline TEXT NOT NULL,
  business_date DATE NOT NULL,
  dirty BOOLEAN NOT NULL,
  rewritten_at TIMESTAMPTZ,
  PRIMARY KEY (pipeline, business_date)
);
CREATE INDEX IF NOT EXISTS snapshot_dates_dirty_idx ON ops.snapshot_dates (pipeline) WHERE dirty;

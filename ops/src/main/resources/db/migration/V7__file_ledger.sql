-- The file ledger: one row per landed file (by content checksum) of a file pipeline, written only
-- once every record of the file is committed to bronze or to the quarantine. A run skips the files
-- the ledger holds, so a file whose bronze write was interrupted (no ledger row yet) is redone by the
-- next run, and bronze's keep-existing insert makes the redo land each record exactly once.
CREATE TABLE IF NOT EXISTS ops.landed_files (
    pipeline     TEXT NOT NULL,
    checksum     TEXT NOT NULL,            -- lower-case hex MD5 of the content
    path         TEXT NOT NULL,            -- where the file landed (before its move)
    size_bytes   BIGINT NOT NULL,
    landed_at    TIMESTAMPTZ NOT NULL,     -- names its processed/ or quarantine/ day folder
    records      INTEGER NOT NULL,         -- records written to bronze
    quarantined  INTEGER NOT NULL,         -- records (or the whole file) set aside in ops.quarantine
    -- ingested: its records are in bronze (some may be quarantined); quarantined: the file could not
    -- be read; skipped: no record reader takes its format; requeued: put back for a replay, redone by the next run
    status       TEXT NOT NULL CHECK (status IN ('ingested', 'quarantined', 'skipped', 'requeued')),
    reason       TEXT,                     -- why a file was quarantined or skipped
    run_id       TEXT,
    ingested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pipeline, checksum)
);
CREATE INDEX IF NOT EXISTS landed_files_path_idx ON ops.landed_files (pipeline, path);

-- A database whose edge bronze predates the ledger: every file with rows in bronze counted as
-- ingested then, so it stays ingested (the next run must not take old files for new ones).
DO $$
BEGIN
    IF to_regclass('bronze.edge_raw') IS NOT NULL THEN
        WITH files AS (
            SELECT checksum, min(file_path) AS path, coalesce(max(file_size_bytes), 0) AS size_bytes,
                   min(created_at) AS landed_at, count(*) AS records, max(ingested_at) AS ingested_at
            FROM bronze.edge_raw
            GROUP BY checksum
        )
        INSERT INTO ops.landed_files (pipeline, checksum, path, size_bytes, landed_at, records, quarantined, status,
                                      ingested_at)
        SELECT 'edge', f.checksum, f.path, f.size_bytes, f.landed_at, f.records,
               (SELECT count(*) FROM ops.quarantine q
                WHERE q.pipeline = 'edge' AND q.layer = 'bronze' AND q.source = f.path),
               'ingested', f.ingested_at
        FROM files f
        ON CONFLICT (pipeline, checksum) DO NOTHING;
    END IF;
END
$$;

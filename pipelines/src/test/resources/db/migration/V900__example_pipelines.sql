-- The tables of the two example pipelines that PipelineFromDefinitionTest registers (test class path only).
CREATE TABLE IF NOT EXISTS bronze.readings_raw (
    id             TEXT PRIMARY KEY,           -- checksum/record index: the same record always gets the same id
    file_path      TEXT NOT NULL,
    record_index   INTEGER NOT NULL,
    raw_data       JSONB NOT NULL,
    checksum       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'quarantined'))
);
CREATE TABLE IF NOT EXISTS silver.readings (
    reading_id  TEXT PRIMARY KEY,
    device      TEXT NOT NULL,
    value       NUMERIC(12, 2) NOT NULL,
    bronze_id   TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS bronze.catalog_raw (
    endpoint      TEXT NOT NULL,
    natural_key   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    raw_data      JSONB NOT NULL,
    payload_hash  TEXT NOT NULL,
    request       TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    is_processed  BOOLEAN NOT NULL DEFAULT false,
    processed_at  TIMESTAMPTZ,
    PRIMARY KEY (endpoint, natural_key, version)
);

-- Edge devices: files landed in a bucket become bronze records, silver transactions,
-- gold store-day summaries and platinum store features (edge-device-medallion.md).

-- created_at is when the file landed (its storage timestamp), so a retried write of the same
-- record carries the same key and the upsert stays idempotent.
CREATE TABLE IF NOT EXISTS bronze.edge_raw (
    id                 UUID NOT NULL,
    device_id          TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    file_path          TEXT NOT NULL,
    record_index       INTEGER NOT NULL,
    raw_data           JSONB NOT NULL,
    file_size_bytes    BIGINT,
    checksum           TEXT NOT NULL,
    ingested_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    processing_status  TEXT NOT NULL DEFAULT 'pending'
                       CHECK (processing_status IN ('pending', 'processed', 'quarantined')),
    created_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX IF NOT EXISTS edge_raw_checksum_idx ON bronze.edge_raw (checksum);
CREATE INDEX IF NOT EXISTS edge_raw_pending_idx ON bronze.edge_raw (created_at) WHERE processing_status = 'pending';

-- Monthly partitions are created on demand; the advisory lock lets parallel writers race safely.
CREATE OR REPLACE FUNCTION bronze.ensure_edge_raw_partition(any_day DATE) RETURNS TEXT AS $$
DECLARE
    month_start DATE := date_trunc('month', any_day)::date;
    partition_name TEXT := format('edge_raw_%s', to_char(month_start, 'YYYY_MM'));
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('bronze.edge_raw partitions'));
    IF to_regclass(format('bronze.%I', partition_name)) IS NULL THEN
        EXECUTE format('CREATE TABLE bronze.%I PARTITION OF bronze.edge_raw FOR VALUES FROM (%L) TO (%L)',
                       partition_name, month_start, (month_start + INTERVAL '1 month')::date);
    END IF;
    RETURN partition_name;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE IF NOT EXISTS silver.edge_transactions (
    transaction_id         TEXT PRIMARY KEY,
    store_id               TEXT NOT NULL,
    device_id              TEXT NOT NULL,
    transaction_timestamp  TIMESTAMPTZ NOT NULL,
    amount                 NUMERIC(10, 2) NOT NULL,
    currency               TEXT,
    payment_method         TEXT,
    full_payload           JSONB NOT NULL,
    bronze_id              UUID NOT NULL,
    file_path              TEXT NOT NULL,
    ingested_at            TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS edge_transactions_ts_idx ON silver.edge_transactions (transaction_timestamp);

-- Every record that could not be used, from any layer, with the file, the record and the reason.
CREATE TABLE IF NOT EXISTS silver.edge_quarantine (
    step            TEXT NOT NULL,
    file_path       TEXT NOT NULL,
    record_index    INTEGER NOT NULL,  -- -1 when the whole file failed
    record          TEXT,
    reason          TEXT NOT NULL,
    error_class     TEXT,
    bronze_id       UUID,
    run_id          TEXT,
    quarantined_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (step, file_path, record_index)
);

CREATE TABLE IF NOT EXISTS gold.store_daily_summary (
    store_id                TEXT NOT NULL,
    transaction_date        DATE NOT NULL,
    transaction_count       BIGINT NOT NULL,
    active_devices          BIGINT NOT NULL,
    total_revenue           NUMERIC(14, 2) NOT NULL,
    avg_transaction_value   NUMERIC(14, 4) NOT NULL,
    most_common_payment     TEXT,
    first_transaction_time  TIMESTAMPTZ NOT NULL,
    last_transaction_time   TIMESTAMPTZ NOT NULL,
    last_updated            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, transaction_date)
);

-- One row per store and as-of date: the features as they were known on that day.
CREATE TABLE IF NOT EXISTS platinum.store_features (
    store_id                   TEXT NOT NULL,
    as_of_date                 DATE NOT NULL,
    window_start               DATE NOT NULL,
    days_with_data             INTEGER NOT NULL,
    avg_daily_transactions     DOUBLE PRECISION NOT NULL,
    stddev_daily_transactions  DOUBLE PRECISION,
    avg_daily_revenue          NUMERIC(14, 4) NOT NULL,
    ma7_transactions           DOUBLE PRECISION NOT NULL,
    weekday_avg                DOUBLE PRECISION,
    weekend_avg                DOUBLE PRECISION,
    last_updated               TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, as_of_date)
);
CREATE INDEX IF NOT EXISTS store_features_store_idx ON platinum.store_features (store_id);

-- The band pipeline's quarantine, as it was before ops.quarantine took every pipeline's rows.
CREATE OR REPLACE VIEW silver.band_quarantine AS
SELECT layer AS step, source, record_index, payload AS record, reason, error_class, record_key AS bronze_key, run_id,
       quarantined_at, replayed_at
FROM ops.quarantine
WHERE pipeline = 'band';

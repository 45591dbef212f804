-- The edge pipeline's quarantine, as it was before ops.quarantine took every pipeline's rows.
CREATE OR REPLACE VIEW silver.edge_quarantine AS
SELECT layer AS step, source AS file_path, record_index, payload AS record, reason, error_class,
       record_key::uuid AS bronze_id, run_id, quarantined_at, replayed_at
FROM ops.quarantine
WHERE pipeline = 'edge';

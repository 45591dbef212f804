-- Lineage: two uploads of one file name (one path, different content) keep their own quarantine rows,
-- so a record is keyed by the checksum of the file it came from as well as by the file's path.
-- '' stands for a source that is not a file (an API request, a table) and for rows older than this.
ALTER TABLE ops.quarantine ADD COLUMN IF NOT EXISTS source_checksum TEXT NOT NULL DEFAULT '';

-- Rows of edge files from before: a silver row's bronze record names its file's checksum; a bronze
-- row's path does when the file ledger holds one upload of that path.
DO $$
BEGIN
    IF to_regclass('bronze.edge_raw') IS NOT NULL THEN
        UPDATE ops.quarantine q SET source_checksum = b.checksum
        FROM bronze.edge_raw b
        WHERE q.pipeline = 'edge' AND q.layer <> 'bronze' AND q.source_checksum = ''
          AND q.record_key = b.id::text;
    END IF;
END
$$;
UPDATE ops.quarantine q SET source_checksum = f.checksum
FROM (SELECT pipeline, path, min(checksum) AS checksum FROM ops.landed_files
      GROUP BY pipeline, path HAVING count(*) = 1) f
WHERE q.layer = 'bronze' AND q.source_checksum = '' AND q.pipeline = f.pipeline AND q.source = f.path;

ALTER TABLE ops.quarantine DROP CONSTRAINT IF EXISTS quarantine_pipeline_layer_source_record_index_key;
ALTER TABLE ops.quarantine DROP CONSTRAINT IF EXISTS quarantine_record_of_upload_key;
ALTER TABLE ops.quarantine ADD CONSTRAINT quarantine_record_of_upload_key
    UNIQUE (pipeline, layer, source, source_checksum, record_index);

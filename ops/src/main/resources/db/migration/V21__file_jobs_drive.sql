-- Inventory files read from Google Drive (issue 11): the Drive file id a job read (a retry
-- downloads the file again by it), the file's name, and the version a watch compares to decide
-- whether a file is new or changed (local: size and modification time; Drive: id@md5Checksum, or
-- id@modifiedTime for a Sheet).
ALTER TABLE ops.file_jobs ADD COLUMN IF NOT EXISTS drive_file_id TEXT;
ALTER TABLE ops.file_jobs ADD COLUMN IF NOT EXISTS file_name TEXT;
ALTER TABLE ops.file_jobs ADD COLUMN IF NOT EXISTS source_version TEXT;
CREATE INDEX IF NOT EXISTS file_jobs_version_idx ON ops.file_jobs (pipeline, file_path, source_version);

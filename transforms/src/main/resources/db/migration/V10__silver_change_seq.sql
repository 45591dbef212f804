-- Gold's incremental watermark: every write of a silver row stamps change_seq with the id of the
-- writing transaction. Gold reads the days with change_seq >= the bound its last successful run
-- recorded, and records as its own bound the oldest transaction still running when it read
-- (pg_snapshot_xmin of its read's snapshot): every transaction below it had ended, so its rows were
-- visible to that read, and any row committed later by an overlapping writer carries a change_seq at
-- or above the bound, so the next run reads it. A timestamp could not tell that: updated_at is taken
-- when a statement runs, not when its transaction commits.
ALTER TABLE silver.edge_transactions ADD COLUMN IF NOT EXISTS change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS edge_transactions_change_seq_idx ON silver.edge_transactions (change_seq);

CREATE OR REPLACE FUNCTION silver.stamp_change_seq() RETURNS trigger AS $$
BEGIN
    NEW.change_seq := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS edge_transactions_change_seq ON silver.edge_transactions;
CREATE TRIGGER edge_transactions_change_seq
    BEFORE INSERT OR UPDATE ON silver.edge_transactions
    FOR EACH ROW EXECUTE FUNCTION silver.stamp_change_seq();

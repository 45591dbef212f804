-- Data quality, events and backfill (issue 13).

-- One row per check per run (edge-device-medallion.md's data_quality_checks, plus the run and pipeline it
-- belongs to). check_query is the statement that was executed; actual_result its single value as text.
CREATE TABLE IF NOT EXISTS ops.data_quality_checks (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pipeline         TEXT NOT NULL,
    run_id           TEXT NOT NULL,
    check_name       TEXT NOT NULL,
    table_name       TEXT NOT NULL,
    check_query      TEXT NOT NULL,
    expected_result  TEXT,
    actual_result    TEXT,
    passed           BOOLEAN,
    executed_at      TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS data_quality_checks_run_idx ON ops.data_quality_checks (run_id);
CREATE INDEX IF NOT EXISTS data_quality_checks_executed_idx ON ops.data_quality_checks (pipeline, executed_at DESC);

-- Per run and layer (etl-orchestrator-service.md's data_quality_metrics): records in, out and quarantined,
-- and the quarantined records by error class. execution_id is the run id of ops.pipeline_runs.
CREATE TABLE IF NOT EXISTS ops.data_quality_metrics (
    id            BIGSERIAL PRIMARY KEY,
    pipeline      TEXT NOT NULL,
    execution_id  TEXT NOT NULL,
    layer         VARCHAR(50),
    metric_type   VARCHAR(100),
    count         BIGINT,
    severity      VARCHAR(50),
    details       JSONB,
    timestamp     TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS data_quality_metrics_pipeline_idx ON ops.data_quality_metrics (pipeline, timestamp DESC);
CREATE INDEX IF NOT EXISTS data_quality_metrics_execution_idx ON ops.data_quality_metrics (execution_id);

-- The events outbox: written in the same transaction as the state each event describes, then delivered
-- to the configured webhooks (ops.event_deliveries) and, by the trigger below, as NOTIFY medallion_events.
CREATE TABLE IF NOT EXISTS ops.events (
    id          BIGSERIAL PRIMARY KEY,
    event_type  TEXT NOT NULL CHECK (event_type IN ('execution.started', 'execution.completed',
                    'execution.failed', 'layer.completed', 'quality.issue_detected')),
    pipeline    TEXT NOT NULL,
    run_id      TEXT,
    payload     JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_run_idx ON ops.events (run_id);

-- One row per event and webhook: pending (not sent yet, or every attempt so far failed: the next
-- delivery tries again), delivered, failed (gave up after its attempts) or skipped (the webhook's
-- format does not carry the event, e.g. an alert webhook and execution.started).
CREATE TABLE IF NOT EXISTS ops.event_deliveries (
    event_id         BIGINT NOT NULL REFERENCES ops.events (id) ON DELETE CASCADE,
    webhook          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_http_status INTEGER,
    last_error       TEXT,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    PRIMARY KEY (event_id, webhook)
);

-- NOTIFY at commit, so a listener hears of an event exactly when its state is visible. The payload is
-- small (NOTIFY carries at most 8000 bytes): listeners read the event itself from ops.events by id.
CREATE OR REPLACE FUNCTION ops.notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medallion_events', json_build_object(
        'id', NEW.id, 'type', NEW.event_type, 'pipeline', NEW.pipeline, 'run_id', NEW.run_id)::text);
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS events_notify ON ops.events;
CREATE TRIGGER events_notify AFTER INSERT ON ops.events FOR EACH ROW EXECUTE FUNCTION ops.notify_event();

-- The business date a run processed (backfill runs a pipeline once per date); NULL for runs not
-- tied to one date.
ALTER TABLE ops.pipeline_runs ADD COLUMN IF NOT EXISTS business_date DATE;
CREATE INDEX IF NOT EXISTS pipeline_runs_business_date_idx ON ops.pipeline_runs (pipeline, business_date)
    WHERE business_date IS NOT NULL;

-- Todoist (issue 12): bronze keeps every version of each row as fetched (unknown fields included).
-- Streams: tasks (the active-tasks snapshot, key id), completed_tasks (GET
-- /tasks/completed/by_completion_date, key id/completed_at: a recurring task completes many
-- times), projects (key id). Every field but the key is optional, as API-REFERENCE.md says.
CREATE TABLE IF NOT EXISTS bronze.todoist_raw (
    endpoint      TEXT NOT NULL,            -- the stream: tasks, completed_tasks, projects
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
CREATE INDEX IF NOT EXISTS todoist_raw_pending_idx ON bronze.todoist_raw (endpoint, natural_key) WHERE NOT is_processed;

-- One row per task id: its newest state (by updated_at) from the active snapshot or the
-- completed listing.
CREATE TABLE IF NOT EXISTS silver.todoist_tasks (
    task_id         TEXT PRIMARY KEY,
    project_id      TEXT,
    section_id      TEXT,
    parent_id       TEXT,
    content         TEXT,
    priority        INTEGER,               -- 1..4, 4 = urgent
    labels          TEXT[],
    due_date        DATE,                  -- the due day as the user sees it (a due time in its own timezone)
    due_at          TIMESTAMPTZ,           -- set only for a due with a time in UTC ("...Z")
    due_is_recurring BOOLEAN,
    checked         BOOLEAN,
    is_deleted      BOOLEAN,
    added_at        TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ,
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

-- Every completion (a recurring task has one per occurrence done).
CREATE TABLE IF NOT EXISTS silver.todoist_completions (
    task_id         TEXT NOT NULL,
    completed_at    TIMESTAMPTZ NOT NULL,
    project_id      TEXT,
    content         TEXT,
    PRIMARY KEY (task_id, completed_at)
);

CREATE TABLE IF NOT EXISTS silver.todoist_projects (
    project_id      TEXT PRIMARY KEY,
    name            TEXT,
    color           TEXT,
    parent_id       TEXT,
    child_order     INTEGER,
    view_style      TEXT,
    is_inbox        BOOLEAN NOT NULL,
    is_archived     BOOLEAN,
    is_deleted      BOOLEAN,
    is_favorite     BOOLEAN,
    is_shared       BOOLEAN,
    created_at      TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ,
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

-- gold.tasks_daily (issue 12): per day (in the configured timezone) and project, tasks added,
-- tasks completed, and tasks open and overdue. Added and completed are recomputed from silver on
-- every run; open_overdue is what the active-tasks snapshot said on the run's day (Todoist keeps
-- no history of due dates), so a past day keeps the value its own run counted.
CREATE TABLE IF NOT EXISTS gold.tasks_daily (
    day            DATE NOT NULL,
    project_id     TEXT NOT NULL,
    project_name   TEXT,
    added          INTEGER NOT NULL DEFAULT 0,
    completed      INTEGER NOT NULL DEFAULT 0,
    open_overdue   INTEGER NOT NULL DEFAULT 0,
    timezone       TEXT NOT NULL,
    PRIMARY KEY (day, project_id)
);

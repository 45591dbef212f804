-- API requests that failed and are owed: one row per request of an API pipeline that failed in a run
-- and has not succeeded since. The next run asks for each again (and an incremental watermark may not
-- pass it); the row goes when the request succeeds. A run lists what is still owed.
CREATE TABLE IF NOT EXISTS ops.owed_requests (
    pipeline         TEXT NOT NULL,
    stream           TEXT NOT NULL,            -- the stream its rows belong to, e.g. setlists
    path             TEXT NOT NULL,            -- below the API's base URL, e.g. /setlists/showdate/2024-06-21.json
    query            TEXT NOT NULL DEFAULT '', -- the encoded query string without '?'
    state            TEXT NOT NULL DEFAULT '', -- the connector's note carried with the request
    failure_type     TEXT NOT NULL,            -- NETWORK, RATE_LIMIT, TIMEOUT, DATA, AUTHENTICATION
    reason           TEXT NOT NULL,            -- the last failure's message, secrets masked
    failures         INTEGER NOT NULL DEFAULT 1, -- runs in which it failed
    first_failed_run TEXT NOT NULL,
    last_failed_run  TEXT NOT NULL,
    first_failed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_failed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pipeline, stream, path, query)
);

-- The band pipeline: the ElGoose API (band-elgoose-orchestration.md) through bronze, silver and gold.

-- Every API row as it arrived, keyed by endpoint and natural key. A row fetched again unchanged
-- (same payload hash as its latest version) is not stored again; a changed one gets version + 1.
CREATE TABLE IF NOT EXISTS bronze.band_raw (
    endpoint      TEXT NOT NULL,
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
CREATE INDEX IF NOT EXISTS band_raw_pending_idx ON bronze.band_raw (endpoint, natural_key) WHERE NOT is_processed;

-- Silver: typed, one row per natural key. bronze_version and fetched_at say which bronze row it came from.
CREATE TABLE IF NOT EXISTS silver.band_songs (
    song_id            INTEGER PRIMARY KEY,
    song_name          TEXT NOT NULL,
    slug               TEXT,
    is_original        BOOLEAN,
    original_artist    TEXT,
    created_at         TIMESTAMP,   -- the API's "1000-01-01 00:00:00" sentinel becomes NULL
    source_updated_at  TIMESTAMP,
    bronze_version     INTEGER NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS silver.band_shows (
    show_id            BIGINT PRIMARY KEY,
    show_date          DATE NOT NULL,
    artist_id          INTEGER,
    artist             TEXT,
    show_title         TEXT,
    venue_id           INTEGER,
    venue_name         TEXT,
    location           TEXT,
    city               TEXT,
    state              TEXT,
    country            TEXT,
    tour_id            INTEGER,
    tour_name          TEXT,
    show_order         INTEGER,
    show_year          INTEGER,
    permalink          TEXT,
    source_updated_at  TIMESTAMP,
    bronze_version     INTEGER NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS silver.band_venues (
    venue_id        INTEGER PRIMARY KEY,
    venue_name      TEXT NOT NULL,
    city            TEXT,
    state           TEXT,
    country         TEXT,
    zip             TEXT,
    capacity        INTEGER,  -- NULL when the API says 0 (unknown)
    slug            TEXT,
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per song performance (setlists and latest rows).
CREATE TABLE IF NOT EXISTS silver.band_setlist_entries (
    unique_id           TEXT PRIMARY KEY,
    show_id             BIGINT NOT NULL,
    show_date           DATE NOT NULL,
    show_order          INTEGER,
    show_year           INTEGER,
    artist_id           INTEGER,
    song_id             INTEGER NOT NULL,
    song_name           TEXT,
    set_type            TEXT,
    set_number          TEXT NOT NULL,
    is_encore           BOOLEAN NOT NULL,
    position            INTEGER NOT NULL,
    track_time_seconds  INTEGER,
    transition_id       INTEGER,
    transition          TEXT,
    is_jamchart         BOOLEAN NOT NULL,
    jamchart_notes      TEXT,
    footnote            TEXT,
    is_reprise          BOOLEAN,
    is_jam              BOOLEAN,
    is_original         BOOLEAN,
    venue_id            INTEGER,
    venue_name          TEXT,
    city                TEXT,
    state               TEXT,
    country             TEXT,
    tour_id             INTEGER,
    tour_name           TEXT,
    bronze_version      INTEGER NOT NULL,
    fetched_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS band_setlist_entries_show_idx ON silver.band_setlist_entries (show_date, show_id);
CREATE INDEX IF NOT EXISTS band_setlist_entries_song_idx ON silver.band_setlist_entries (song_id);

CREATE TABLE IF NOT EXISTS silver.band_jamcharts (
    unique_id           TEXT PRIMARY KEY,
    show_id             BIGINT NOT NULL,
    show_date           DATE,
    song_id             INTEGER NOT NULL,
    song_name           TEXT,
    set_number          TEXT,
    position            INTEGER,
    track_time_seconds  INTEGER,
    jamchart_note       TEXT,
    is_recommended      BOOLEAN,
    bronze_version      INTEGER NOT NULL,
    fetched_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS silver.band_metadata (
    show_id         BIGINT NOT NULL,
    song_id         INTEGER NOT NULL,
    metadata_slug   TEXT NOT NULL,
    show_date       DATE,
    meta_name       TEXT,
    value           TEXT,
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (show_id, song_id, metadata_slug)
);

CREATE TABLE IF NOT EXISTS silver.band_links (
    link_id            INTEGER PRIMARY KEY,
    show_id            BIGINT NOT NULL,
    description        TEXT,
    url                TEXT,
    source_updated_at  TIMESTAMP,
    bronze_version     INTEGER NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS silver.band_uploads (
    upload_id       INTEGER PRIMARY KEY,
    show_id         BIGINT NOT NULL,  -- a string in the API's uploads rows
    show_date       DATE,
    url             TEXT,
    image_name      TEXT,
    upload_type     TEXT,
    attribution     TEXT,             -- '' and null both become NULL
    created_at      TIMESTAMP,
    bronze_version  INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS silver.band_appearances (
    show_id          BIGINT NOT NULL,
    person_id        INTEGER NOT NULL,
    show_date        DATE,
    artist_id        INTEGER,
    person_name      TEXT,
    slug             TEXT,
    appearance_type  TEXT,  -- trimmed: the API can send a trailing carriage return
    notes            TEXT,
    bronze_version   INTEGER NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (show_id, person_id)
);

-- Requests and rows that could not be used, from bronze (a failing endpoint) or silver (a row that does not parse).
CREATE TABLE IF NOT EXISTS silver.band_quarantine (
    step            TEXT NOT NULL,
    source          TEXT NOT NULL,     -- the request, or endpoint/natural_key
    record_index    INTEGER NOT NULL,  -- -1 for a whole request
    record          TEXT,
    reason          TEXT NOT NULL,
    bronze_key      TEXT,
    run_id          TEXT,
    quarantined_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (step, source, record_index)
);

-- Gold: chatbot-ready statistics, recomputed from silver.band_setlist_entries by Beam transforms.
-- "Shows" are the shows that have setlist rows, in order of date and show order.
CREATE TABLE IF NOT EXISTS gold.band_song_statistics (
    song_id           INTEGER PRIMARY KEY,
    song_name         TEXT,
    times_played      INTEGER NOT NULL,  -- performances, a reprise in the same show counts again
    shows_played      INTEGER NOT NULL,
    debut_date        DATE NOT NULL,
    last_played       DATE NOT NULL,
    current_gap       INTEGER NOT NULL,  -- shows since it was last played
    average_gap       NUMERIC(10, 2),    -- mean shows between consecutive shows it was played in
    jamchart_count    INTEGER NOT NULL,
    times_set_opener  INTEGER NOT NULL,
    times_set_closer  INTEGER NOT NULL,
    times_encore      INTEGER NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS gold.band_venue_statistics (
    venue_id        INTEGER PRIMARY KEY,
    venue_name      TEXT,
    city            TEXT,
    state           TEXT,
    country         TEXT,
    shows           INTEGER NOT NULL,
    first_show      DATE NOT NULL,
    last_show       DATE NOT NULL,
    performances    INTEGER NOT NULL,
    distinct_songs  INTEGER NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS gold.band_yearly_summary (
    show_year       INTEGER PRIMARY KEY,
    shows           INTEGER NOT NULL,
    first_show      DATE NOT NULL,
    last_show       DATE NOT NULL,
    performances    INTEGER NOT NULL,
    distinct_songs  INTEGER NOT NULL,
    debuts          INTEGER NOT NULL,
    jamcharts       INTEGER NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS gold.band_tour_summary (
    tour_id         INTEGER PRIMARY KEY,
    tour_name       TEXT,
    shows           INTEGER NOT NULL,
    first_show      DATE NOT NULL,
    last_show       DATE NOT NULL,
    performances    INTEGER NOT NULL,
    distinct_songs  INTEGER NOT NULL,
    debuts          INTEGER NOT NULL,
    jamcharts       INTEGER NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS gold.band_show_summary (
    show_id        BIGINT PRIMARY KEY,
    show_date      DATE NOT NULL,
    venue_name     TEXT,
    tour_name      TEXT,
    songs          INTEGER NOT NULL,  -- performances, reprises included
    sets           INTEGER NOT NULL,  -- sets other than encores
    encore_songs   INTEGER NOT NULL,
    debuts         INTEGER NOT NULL,  -- songs played for the first time at this show
    jamcharts      INTEGER NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

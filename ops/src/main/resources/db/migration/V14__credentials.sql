-- Credentials that change between runs (rotated OAuth refresh tokens, Garmin's token pair), encrypted
-- with AES-GCM under the key in MEDALLION_SECRET_KEY: the table never holds a plaintext secret. The
-- first value of each comes from the environment variable the seed lists; a rotated value replaces it
-- here the moment the token endpoint returns it, so the next run uses it.
CREATE TABLE IF NOT EXISTS ops.credentials (
    service     TEXT NOT NULL,            -- strava, spotify, garmin, todoist
    name        TEXT NOT NULL,            -- e.g. refresh_token
    nonce       BYTEA NOT NULL,           -- the 12-byte GCM nonce, new for every write
    ciphertext  BYTEA NOT NULL,           -- AES-GCM of the value, tag appended; AAD = service/name
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (service, name)
);

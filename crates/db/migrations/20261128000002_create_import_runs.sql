-- One row per finished import, so the demo loader knows what a database already holds.
CREATE TABLE import_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    read_count   INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

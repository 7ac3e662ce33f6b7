-- Index and constraint definitions a bulk load (`server generate`) dropped and has yet to
-- restore. A load that stops half way leaves them here; the next load restores them first.
CREATE TABLE bulk_load_deferred (
    position        INTEGER PRIMARY KEY,
    table_name      TEXT NOT NULL,
    name            TEXT NOT NULL,
    statement       TEXT NOT NULL,
    drop_statement  TEXT NOT NULL
);

-- Mail is queued in the outbox and delivered by whichever server process leases it first; the
-- scheduled jobs record their runs, so each runs once per period across all server processes.

-- `deliver`: written while an SMTP server was configured (rows written without one stay for
-- /dev/outbox and are never sent later). A pending mail is leased by one sender at a time.
ALTER TABLE outbox
    ADD COLUMN deliver     BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN sent_at     TIMESTAMPTZ,
    ADD COLUMN attempts    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN lease_until TIMESTAMPTZ,
    ADD COLUMN last_error  TEXT;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE deliver AND sent_at IS NULL;
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- One row per scheduled job: the process that moves `last_started_at` on runs it.
CREATE TABLE job_runs (
    job              TEXT PRIMARY KEY,
    last_started_at  TIMESTAMPTZ NOT NULL,
    runs             BIGINT NOT NULL DEFAULT 1,
    last_summary     TEXT
);

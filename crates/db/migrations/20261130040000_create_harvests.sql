-- One row per harvested query (an OpenAlex filter, an arXiv set with its start date): where the
-- last run got to, so an interrupted harvest resumes, and what the last finished run did, for
-- `--since-last` and the moderators' page.
CREATE TABLE harvests (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source            TEXT NOT NULL CHECK (source IN ('openalex', 'arxiv')),
    query             TEXT NOT NULL,
    -- The next page to ask for (OpenAlex cursor or OAI-PMH resumption token) while a run is
    -- unfinished; NULL once the last run reached the end.
    resume_cursor     TEXT,
    -- The date the unfinished run asked from (its `--since-last` bound), kept with its cursor.
    resume_from       DATE,
    state             TEXT NOT NULL DEFAULT 'idle' CHECK (state IN ('idle', 'running', 'stopped', 'failed')),
    started_at        TIMESTAMPTZ,
    -- When the run that began this list from its first page started (a resumed run keeps it).
    chain_started_at  TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    -- When the last list read to its end was begun: what `--since-last` harvests from (for a
    -- list finished by resumed runs, the first run's start: nothing changed since is missed).
    complete_since    TIMESTAMPTZ,
    pages             INTEGER NOT NULL DEFAULT 0,
    records           INTEGER NOT NULL DEFAULT 0,
    summary           TEXT NOT NULL DEFAULT '',
    error             TEXT,
    UNIQUE (source, query)
);

-- The moderators' list, newest first.
CREATE INDEX harvests_started_idx ON harvests (started_at DESC NULLS LAST);

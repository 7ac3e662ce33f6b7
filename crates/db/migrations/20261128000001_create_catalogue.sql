-- The imported scholarly catalogue: institutions, author records, works, authorships, topics.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE institutions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    openalex_id   TEXT NOT NULL UNIQUE,
    ror           TEXT,
    display_name  TEXT NOT NULL,
    country_code  TEXT,
    kind          TEXT,
    homepage_url  TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX institutions_ror_key ON institutions (ror) WHERE ror IS NOT NULL;

-- One row per imported author record. arXiv records are keyed by their normalised name, OpenAlex
-- records by their OpenAlex id; `same_as_id` links an arXiv record to the OpenAlex record of the
-- same person once an ORCID ties them together.
CREATE TABLE authors (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source               TEXT NOT NULL CHECK (source IN ('arxiv', 'openalex')),
    source_key           TEXT NOT NULL,
    slug                 TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    -- Lower-case ASCII words of the name (`c balazs`): what name search matches against.
    search_name          TEXT NOT NULL,
    bio                  TEXT,
    orcid                TEXT,
    openalex_id          TEXT,
    same_as_id           BIGINT REFERENCES authors (id) ON DELETE SET NULL,
    open_to_collaborate  BOOLEAN NOT NULL DEFAULT TRUE,
    follower_count       INTEGER NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT authors_source_key_key UNIQUE (source, source_key),
    CONSTRAINT authors_slug_key UNIQUE (slug)
);
CREATE UNIQUE INDEX authors_openalex_id_key ON authors (openalex_id) WHERE openalex_id IS NOT NULL;
CREATE INDEX authors_orcid_idx ON authors (orcid) WHERE orcid IS NOT NULL;
CREATE INDEX authors_search_name_trgm_idx ON authors USING gin (search_name gin_trgm_ops);

CREATE TABLE works (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          TEXT NOT NULL CHECK (source IN ('arxiv', 'openalex')),
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    abstract        TEXT,
    work_type       TEXT NOT NULL,
    year            INTEGER,
    published_on    DATE,
    -- The key "newest first" lists sort and page on; undated works sort last.
    sort_date       DATE GENERATED ALWAYS AS (
                        coalesce(published_on, make_date(coalesce(year, 1), 1, 1))
                    ) STORED,
    venue           TEXT,
    is_open_access  BOOLEAN,
    cited_by_count  INTEGER,
    arxiv_id        TEXT,
    openalex_id     TEXT,
    doi             TEXT,
    search          TSVECTOR GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                        setweight(to_tsvector('english', coalesce(abstract, '')), 'B')
                    ) STORED,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT works_slug_key UNIQUE (slug)
);
CREATE UNIQUE INDEX works_arxiv_id_key ON works (arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE UNIQUE INDEX works_openalex_id_key ON works (openalex_id) WHERE openalex_id IS NOT NULL;
CREATE UNIQUE INDEX works_doi_key ON works (doi) WHERE doi IS NOT NULL;
CREATE INDEX works_search_idx ON works USING gin (search);

-- Authors of a work in byline order. `position` starts at 1.
CREATE TABLE authorships (
    work_id    BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position   SMALLINT NOT NULL CHECK (position >= 1),
    author_id  BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    raw_name   TEXT NOT NULL,
    PRIMARY KEY (work_id, position)
);
CREATE INDEX authorships_author_idx ON authorships (author_id, work_id);
CREATE INDEX works_sort_idx ON works (sort_date DESC, id DESC);

CREATE TABLE authorship_institutions (
    work_id         BIGINT NOT NULL,
    position        SMALLINT NOT NULL,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
    PRIMARY KEY (work_id, position, institution_id),
    FOREIGN KEY (work_id, position) REFERENCES authorships (work_id, position) ON DELETE CASCADE
);
CREATE INDEX authorship_institutions_institution_idx ON authorship_institutions (institution_id);

-- An author's institutions as OpenAlex reports them; `last_known` marks the current one(s).
CREATE TABLE affiliations (
    author_id       BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
    last_year       INTEGER,
    last_known      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (author_id, institution_id)
);
CREATE INDEX affiliations_institution_idx ON affiliations (institution_id);

-- arXiv topics are keyed by their taxonomy display name (cs.LG and stat.ML are one topic);
-- OpenAlex topics and concepts by their OpenAlex id.
CREATE TABLE topics (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        TEXT NOT NULL CHECK (source IN ('arxiv', 'openalex')),
    source_key    TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    CONSTRAINT topics_source_key_key UNIQUE (source, source_key)
);

CREATE TABLE work_topics (
    work_id   BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    topic_id  BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    score     REAL,
    PRIMARY KEY (work_id, topic_id)
);
CREATE INDEX work_topics_topic_idx ON work_topics (topic_id);

CREATE TABLE author_topics (
    author_id   BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    topic_id    BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    work_count  INTEGER,
    PRIMARY KEY (author_id, topic_id)
);
CREATE INDEX author_topics_topic_idx ON author_topics (topic_id);

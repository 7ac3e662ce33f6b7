-- Claims: who holds an author record, the evidence behind it, moderation and an audit trail.

ALTER TABLE users ADD COLUMN is_moderator BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE authors
    ADD COLUMN claim_state TEXT NOT NULL DEFAULT 'unclaimed'
        CHECK (claim_state IN ('unclaimed', 'pending', 'claimed', 'confirmed')),
    -- The account holding (or, while pending, asking for) the record.
    ADD COLUMN claimed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN homepage_url TEXT,
    ADD COLUMN affiliation_institution_id BIGINT REFERENCES institutions (id) ON DELETE SET NULL,
    ADD COLUMN affiliation_text TEXT,
    ADD CONSTRAINT authors_claim_holder_check CHECK ((claim_state = 'unclaimed') = (claimed_by IS NULL));
-- An account holds at most one record.
CREATE UNIQUE INDEX authors_claimed_by_key ON authors (claimed_by) WHERE claimed_by IS NOT NULL;

-- Web domains of institutions (from their homepages), for institutional e-mail evidence.
CREATE TABLE institution_domains (
    domain          TEXT NOT NULL,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
    PRIMARY KEY (domain, institution_id)
);
CREATE INDEX institution_domains_institution_idx ON institution_domains (institution_id);
INSERT INTO institution_domains (domain, institution_id)
SELECT regexp_replace(lower(substring(homepage_url FROM '^[a-z]+://([^/:?#]+)')), '^www\.', ''), id
FROM institutions
WHERE homepage_url ~* '^https?://[^/]+'
ON CONFLICT DO NOTHING;

-- Requests for review: written evidence for a claim, or a dispute of a claimed record.
CREATE TABLE claim_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id    BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('claim', 'dispute')),
    evidence     TEXT NOT NULL,
    links        TEXT[] NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
    decided_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decision     TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at   TIMESTAMPTZ
);
CREATE INDEX claim_requests_open_idx ON claim_requests (created_at, id) WHERE status = 'open';
CREATE INDEX claim_requests_author_idx ON claim_requests (author_id, id);
-- At most one open claim request per record.
CREATE UNIQUE INDEX claim_requests_one_open_claim_key ON claim_requests (author_id) WHERE status = 'open' AND kind = 'claim';

-- Append-only: every change of a record's claim state, and every hidden work.
CREATE TABLE claim_audit (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id   BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    actor_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX claim_audit_author_idx ON claim_audit (author_id, id);
CREATE FUNCTION claim_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'claim_audit is append-only';
END $$;
CREATE TRIGGER claim_audit_no_change BEFORE UPDATE OR DELETE ON claim_audit
    FOR EACH ROW EXECUTE FUNCTION claim_audit_append_only();

-- Works an owner says are not theirs: left out of their list and counts.
CREATE TABLE hidden_works (
    author_id   BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    work_id     BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (author_id, work_id)
);

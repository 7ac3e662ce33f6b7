-- Pages kept as documents: a profile, a work, a topic or an institution is rendered once for
-- every anonymous visitor and kept at the version it was built at. Any write that changes what
-- the page shows moves its version, in the same transaction, by the triggers below (and by the
-- suggestion ranking, which moves a profile when its first suggestions change); a view reads
-- the version in one statement and serves the kept bytes while it matches. Keys: 'a:<slug>',
-- 'w:<slug>', 't:<id>', 'i:<id>' (`domain::pages::PageKey`).

CREATE TABLE page_versions (
    key      TEXT PRIMARY KEY,
    version  BIGINT NOT NULL
);

CREATE TABLE kept_pages (
    key      TEXT PRIMARY KEY,
    version  BIGINT NOT NULL,
    -- A strong validator of the page's bytes, and its Content-Security-Policy.
    etag     TEXT NOT NULL,
    csp      TEXT NOT NULL,
    body_br  BYTEA NOT NULL,
    body_gz  BYTEA NOT NULL,
    kept_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Moves the version of each page named (in key order: concurrent writers take the rows in the
-- same order and never deadlock on them).
CREATE FUNCTION bump_pages(keys TEXT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO page_versions (key, version)
    SELECT key, 1 FROM (SELECT DISTINCT unnest(keys) AS key) k WHERE key IS NOT NULL ORDER BY key
    ON CONFLICT (key) DO UPDATE SET version = page_versions.version + 1;
$$;

CREATE FUNCTION bump_author_pages(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    SELECT bump_pages(array(SELECT 'a:' || slug FROM authors WHERE id = ANY(ids)));
$$;

CREATE FUNCTION bump_work_pages(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    SELECT bump_pages(array(SELECT 'w:' || slug FROM works WHERE id = ANY(ids)));
$$;

-- A record's own fields (name, bio, claim, follower count, affiliation, open to collaborate).
CREATE FUNCTION authors_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_pages(array(SELECT 'a:' || n.slug FROM new_rows n JOIN old_rows o ON o.id = n.id
                             WHERE (n.*) IS DISTINCT FROM (o.*)));
    RETURN NULL;
END $$;
CREATE TRIGGER authors_pages AFTER UPDATE ON authors REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION authors_pages();

-- A record's aggregates (counts, co-authors, metrics), refreshed after an import, a harvest or
-- any other write; and the works its owner hides.
CREATE FUNCTION author_rows_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_author_pages(array(SELECT DISTINCT author_id FROM changed_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER author_stats_added_pages AFTER INSERT ON author_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION author_rows_pages();
CREATE TRIGGER author_stats_changed_pages AFTER UPDATE ON author_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION author_rows_pages();
CREATE TRIGGER hidden_works_added_pages AFTER INSERT ON hidden_works REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION author_rows_pages();
CREATE TRIGGER hidden_works_removed_pages AFTER DELETE ON hidden_works REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION author_rows_pages();

-- A work's own fields: its page, and the profiles listing it.
CREATE FUNCTION works_pages() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed BIGINT[];
BEGIN
    changed := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.*) IS DISTINCT FROM (o.*));
    IF cardinality(changed) > 0 THEN
        PERFORM bump_work_pages(changed);
        PERFORM bump_author_pages(array(SELECT DISTINCT author_id FROM authorships WHERE work_id = ANY(changed)));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER works_pages AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION works_pages();

-- A work's topics.
CREATE FUNCTION work_rows_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_work_pages(array(SELECT DISTINCT work_id FROM changed_rows));
    RETURN NULL;
END $$;
-- A byline: the work's page and its authors' profiles (their lists of works).
CREATE FUNCTION authorships_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_work_pages(array(SELECT DISTINCT work_id FROM changed_rows));
    PERFORM bump_author_pages(array(SELECT DISTINCT author_id FROM changed_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER authorships_added_pages AFTER INSERT ON authorships REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION authorships_pages();
CREATE TRIGGER authorships_removed_pages AFTER DELETE ON authorships REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION authorships_pages();
CREATE TRIGGER authorships_changed_pages AFTER UPDATE ON authorships REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION authorships_pages();
CREATE TRIGGER work_topics_added_pages AFTER INSERT ON work_topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION work_rows_pages();
CREATE TRIGGER work_topics_removed_pages AFTER DELETE ON work_topics REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION work_rows_pages();

-- Citations: the citing work's references, and the cited work's "Cited by".
CREATE FUNCTION citations_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_work_pages(array(SELECT citing_work_id FROM changed_rows
                                  UNION SELECT cited_work_id FROM changed_rows WHERE cited_work_id IS NOT NULL));
    RETURN NULL;
END $$;
CREATE TRIGGER citations_added_pages AFTER INSERT ON citations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION citations_pages();
CREATE TRIGGER citations_removed_pages AFTER DELETE ON citations REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION citations_pages();
CREATE TRIGGER citations_changed_pages AFTER UPDATE ON citations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION citations_pages();

-- A topic's or an institution's cached aggregates (its counts, works, leading researchers),
-- refreshed for the subjects writes marked.
CREATE FUNCTION subject_stats_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_pages(array(SELECT DISTINCT kind || ':' || subject_id FROM changed_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER subject_stats_added_pages AFTER INSERT ON subject_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION subject_stats_pages();
CREATE TRIGGER subject_stats_changed_pages AFTER UPDATE ON subject_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION subject_stats_pages();

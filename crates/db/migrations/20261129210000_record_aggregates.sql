-- Reads that stay fast at a million records. A work's sort key is copied onto its authorships
-- and topics, so a record's or a topic's newest works are one index range; a record's counts,
-- main topic, derived affiliation and closest co-authors are kept in `author_stats` and
-- `coauthors` instead of aggregated on every page view. Writes mark the records they touch in
-- `author_stats_dirty` (triggers, whatever the writer); `refresh_author_stats` recomputes them
-- (the importer at the end of a run, the housekeeping job, a bulk load); hiding a work refreshes
-- at once, so its owner sees the change on the next page.

ALTER TABLE authorships ADD COLUMN sort_date DATE;
ALTER TABLE work_topics ADD COLUMN sort_date DATE;
UPDATE authorships s SET sort_date = w.sort_date FROM works w WHERE w.id = s.work_id;
UPDATE work_topics t SET sort_date = w.sort_date FROM works w WHERE w.id = t.work_id;
ALTER TABLE authorships ALTER COLUMN sort_date SET NOT NULL;
ALTER TABLE work_topics ALTER COLUMN sort_date SET NOT NULL;
DROP INDEX authorships_author_idx;
CREATE INDEX authorships_author_date_idx ON authorships (author_id, sort_date DESC, work_id DESC);
DROP INDEX work_topics_topic_idx;
CREATE INDEX work_topics_topic_date_idx ON work_topics (topic_id, sort_date DESC, work_id DESC);

-- A row written without its sort key takes the work's (a bulk load writes it itself).
CREATE FUNCTION take_work_sort_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT sort_date INTO NEW.sort_date FROM works WHERE id = NEW.work_id;
    RETURN NEW;
END $$;
CREATE TRIGGER authorships_sort_date BEFORE INSERT ON authorships
    FOR EACH ROW WHEN (NEW.sort_date IS NULL) EXECUTE FUNCTION take_work_sort_date();
CREATE TRIGGER work_topics_sort_date BEFORE INSERT ON work_topics
    FOR EACH ROW WHEN (NEW.sort_date IS NULL) EXECUTE FUNCTION take_work_sort_date();

-- The view gains the sort key (a view's column list is fixed when it is created).
CREATE OR REPLACE VIEW record_authorships AS
SELECT s.work_id, s.position, s.author_id, s.raw_name, s.sort_date
FROM authorships s
WHERE NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = s.author_id AND h.work_id = s.work_id);

-- Both are caches of what the catalogue tables hold, rebuilt from them: no foreign keys (a
-- check per row would triple the cost of a bulk refresh); pages join them to `authors`.
CREATE TABLE author_stats (
    author_id        BIGINT PRIMARY KEY,
    works_count      INTEGER NOT NULL,
    first_year       INTEGER,
    last_year        INTEGER,
    topics_count     INTEGER NOT NULL,
    main_topic_id    BIGINT,
    -- The affiliation the imports give (declared, else the latest byline's); an owner's own
    -- choice on `authors` comes first on the page.
    institution_id   BIGINT,
    coauthors_count  INTEGER NOT NULL,
    refreshed_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A record's closest co-authors: the first 60 (the explorer's reach per record) by shared works,
-- then the latest shared work, then id.
CREATE TABLE coauthors (
    author_id     BIGINT NOT NULL,
    coauthor_id   BIGINT NOT NULL,
    shared_works  INTEGER NOT NULL,
    last_shared   DATE NOT NULL,
    PRIMARY KEY (author_id, coauthor_id)
);
CREATE INDEX coauthors_rank_idx ON coauthors (author_id, shared_works DESC, last_shared DESC);

CREATE TABLE author_stats_dirty (
    author_id  BIGINT PRIMARY KEY
);

-- Set-based over the given records, so a bulk refresh of a million records runs in batches of
-- a few thousand at a time without a per-record plan.
CREATE FUNCTION refresh_author_stats(ids BIGINT[]) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    refreshed INTEGER;
BEGIN
    DELETE FROM coauthors WHERE author_id = ANY(ids);
    WITH mine AS MATERIALIZED (
        SELECT s.author_id, s.work_id, s.position, s.sort_date FROM record_authorships s WHERE s.author_id = ANY(ids)
    ), pairs AS MATERIALIZED (
        SELECT m.author_id, t.author_id AS coauthor_id,
               count(DISTINCT m.work_id)::int AS shared_works, max(m.sort_date) AS last_shared
        FROM mine m JOIN record_authorships t ON t.work_id = m.work_id AND t.author_id <> m.author_id
        GROUP BY 1, 2
    ), kept AS (
        INSERT INTO coauthors (author_id, coauthor_id, shared_works, last_shared)
        SELECT author_id, coauthor_id, shared_works, last_shared FROM (
            SELECT p.*, row_number() OVER (PARTITION BY author_id
                                           ORDER BY shared_works DESC, last_shared DESC, coauthor_id) AS rank
            FROM pairs p) ranked
        WHERE rank <= 60
    ), pair_counts AS (
        SELECT author_id, count(*)::int AS coauthors_count FROM pairs GROUP BY 1
    ), work_counts AS (
        SELECT m.author_id, count(DISTINCT m.work_id)::int AS works_count, min(w.year) AS first_year,
               max(w.year) AS last_year
        FROM mine m JOIN works w ON w.id = m.work_id GROUP BY 1
    ), topic_counts AS (
        SELECT author_id, topic_id, max(works) AS works FROM (
            SELECT m.author_id, wt.topic_id, count(*) AS works
            FROM mine m JOIN work_topics wt ON wt.work_id = m.work_id GROUP BY 1, 2
            UNION ALL
            SELECT author_id, topic_id, coalesce(work_count, 0)::bigint FROM author_topics WHERE author_id = ANY(ids)) u
        GROUP BY 1, 2
    ), main_topics AS (
        SELECT DISTINCT ON (c.author_id) c.author_id, c.topic_id,
               count(*) OVER (PARTITION BY c.author_id)::int AS topics_count
        FROM topic_counts c JOIN topics tp ON tp.id = c.topic_id
        ORDER BY c.author_id, c.works DESC, tp.display_name
    ), affiliation AS (
        SELECT DISTINCT ON (author_id) author_id, institution_id FROM (
            SELECT f.author_id, f.institution_id, i.display_name, 0 AS rank, f.last_known, f.last_year AS year
            FROM affiliations f JOIN institutions i ON i.id = f.institution_id WHERE f.author_id = ANY(ids)
            UNION ALL
            SELECT m.author_id, ai.institution_id, i.display_name, 1, false, w.year
            FROM mine m
            JOIN authorship_institutions ai ON ai.work_id = m.work_id AND ai.position = m.position
            JOIN institutions i ON i.id = ai.institution_id
            JOIN works w ON w.id = m.work_id) candidates
        ORDER BY author_id, rank, last_known DESC, year DESC NULLS LAST, display_name
    )
    INSERT INTO author_stats AS st (author_id, works_count, first_year, last_year, topics_count, main_topic_id,
                                    institution_id, coauthors_count, refreshed_at)
    SELECT a.id, coalesce(wc.works_count, 0), wc.first_year, wc.last_year, coalesce(mt.topics_count, 0),
           mt.topic_id, af.institution_id, coalesce(pc.coauthors_count, 0), now()
    FROM authors a
    LEFT JOIN work_counts wc ON wc.author_id = a.id
    LEFT JOIN main_topics mt ON mt.author_id = a.id
    LEFT JOIN affiliation af ON af.author_id = a.id
    LEFT JOIN pair_counts pc ON pc.author_id = a.id
    WHERE a.id = ANY(ids)
    ON CONFLICT (author_id) DO UPDATE SET
        works_count = excluded.works_count, first_year = excluded.first_year, last_year = excluded.last_year,
        topics_count = excluded.topics_count, main_topic_id = excluded.main_topic_id,
        institution_id = excluded.institution_id, coauthors_count = excluded.coauthors_count,
        refreshed_at = excluded.refreshed_at;
    GET DIAGNOSTICS refreshed = ROW_COUNT;
    DELETE FROM author_stats_dirty WHERE author_id = ANY(ids);
    RETURN refreshed;
END $$;

-- Writes mark the records whose aggregates they change: every author of a touched work (a
-- co-author's shared counts change too), and the authors a changed authorship names.
CREATE FUNCTION mark_authorship_authors_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO author_stats_dirty (author_id)
    SELECT author_id FROM changed_rows
    UNION SELECT s.author_id FROM authorships s WHERE s.work_id IN (SELECT work_id FROM changed_rows)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION mark_work_authors_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO author_stats_dirty (author_id)
    SELECT DISTINCT s.author_id FROM authorships s WHERE s.work_id IN (SELECT work_id FROM changed_rows)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
-- Same, for tables keyed by author.
CREATE FUNCTION mark_authors_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO author_stats_dirty (author_id) SELECT DISTINCT author_id FROM changed_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER authorships_added AFTER INSERT ON authorships REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authorship_authors_dirty();
CREATE TRIGGER authorships_removed AFTER DELETE ON authorships REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authorship_authors_dirty();
CREATE TRIGGER authorships_changed AFTER UPDATE ON authorships REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authorship_authors_dirty();
CREATE TRIGGER work_topics_added AFTER INSERT ON work_topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_work_authors_dirty();
CREATE TRIGGER work_topics_removed AFTER DELETE ON work_topics REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_work_authors_dirty();
CREATE TRIGGER authorship_institutions_added AFTER INSERT ON authorship_institutions
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION mark_work_authors_dirty();
CREATE TRIGGER author_topics_added AFTER INSERT ON author_topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authors_dirty();
CREATE TRIGGER author_topics_changed AFTER UPDATE ON author_topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authors_dirty();
CREATE TRIGGER affiliations_added AFTER INSERT ON affiliations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authors_dirty();
CREATE TRIGGER affiliations_changed AFTER UPDATE ON affiliations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_authors_dirty();

-- A work's new date reaches the rows that copy it, and its authors' year span.
CREATE FUNCTION spread_work_sort_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE authorships SET sort_date = NEW.sort_date WHERE work_id = NEW.id;
    UPDATE work_topics SET sort_date = NEW.sort_date WHERE work_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER works_sort_date_changed AFTER UPDATE ON works
    FOR EACH ROW WHEN (OLD.sort_date IS DISTINCT FROM NEW.sort_date OR OLD.year IS DISTINCT FROM NEW.year)
    EXECUTE FUNCTION spread_work_sort_date();

-- Hiding or showing a work again refreshes its authors at once (the owner looks next).
CREATE FUNCTION refresh_hidden_work_authors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_author_stats(array(
        SELECT DISTINCT s.author_id FROM authorships s WHERE s.work_id IN (SELECT work_id FROM changed_rows)));
    RETURN NULL;
END $$;
CREATE TRIGGER hidden_works_added AFTER INSERT ON hidden_works REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_hidden_work_authors();
CREATE TRIGGER hidden_works_removed AFTER DELETE ON hidden_works REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_hidden_work_authors();

SELECT refresh_author_stats(array(SELECT id FROM authors));

-- Topic and institution pages: each reads its works newest first or most cited first as one
-- index range, and its counts, leading researchers and related topics from caches refreshed for
-- the subjects writes mark (as `author_stats` is for records).

-- OpenAlex's hierarchy above a topic (domain → field → subfield), where the import carried it.
ALTER TABLE topics ADD COLUMN domain TEXT, ADD COLUMN field TEXT, ADD COLUMN subfield TEXT;

-- A work's citation count is copied onto its topics, like its sort key.
ALTER TABLE work_topics ADD COLUMN cited_by INTEGER;
UPDATE work_topics t SET cited_by = coalesce(w.cited_by_count, 0) FROM works w WHERE w.id = t.work_id;
ALTER TABLE work_topics ALTER COLUMN cited_by SET NOT NULL;
CREATE INDEX work_topics_topic_cited_idx ON work_topics (topic_id, cited_by DESC, work_id DESC);

CREATE FUNCTION take_work_cited_by() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(cited_by_count, 0) INTO NEW.cited_by FROM works WHERE id = NEW.work_id;
    RETURN NEW;
END $$;
CREATE TRIGGER work_topics_cited_by BEFORE INSERT ON work_topics
    FOR EACH ROW WHEN (NEW.cited_by IS NULL) EXECUTE FUNCTION take_work_cited_by();

-- An institution's works (a work once, however many of its authors name the institution).
CREATE TABLE institution_works (
    institution_id  BIGINT NOT NULL,
    work_id         BIGINT NOT NULL,
    sort_date       DATE NOT NULL,
    cited_by        INTEGER NOT NULL,
    PRIMARY KEY (institution_id, work_id)
);
CREATE INDEX institution_works_date_idx ON institution_works (institution_id, sort_date DESC, work_id DESC);
CREATE INDEX institution_works_cited_idx ON institution_works (institution_id, cited_by DESC, work_id DESC);
CREATE INDEX institution_works_work_idx ON institution_works (work_id);

-- A work's new date or citation count reaches the rows that copy it.
CREATE FUNCTION spread_work_rank_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- (`works_sort_date_changed` moves the topics' sort keys.)
    UPDATE work_topics SET cited_by = coalesce(NEW.cited_by_count, 0)
    WHERE work_id = NEW.id AND cited_by IS DISTINCT FROM coalesce(NEW.cited_by_count, 0);
    UPDATE institution_works SET cited_by = coalesce(NEW.cited_by_count, 0), sort_date = NEW.sort_date
    WHERE work_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER works_rank_keys_changed AFTER UPDATE ON works
    FOR EACH ROW WHEN (OLD.cited_by_count IS DISTINCT FROM NEW.cited_by_count
                       OR OLD.sort_date IS DISTINCT FROM NEW.sort_date)
    EXECUTE FUNCTION spread_work_rank_keys();

-- `kind` is 't' (topic) or 'i' (institution).
CREATE TABLE subject_stats (
    kind          CHAR(1) NOT NULL CHECK (kind IN ('t', 'i')),
    subject_id    BIGINT NOT NULL,
    works_count   INTEGER NOT NULL,
    authors_count INTEGER NOT NULL,
    cited_by_sum  BIGINT NOT NULL,
    first_year    INTEGER,
    last_year     INTEGER,
    -- Topics most often on the same works (for a topic) or on its works (for an institution),
    -- most shared first.
    related_topic_ids BIGINT[] NOT NULL,
    refreshed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject_id)
);

-- The researchers with most works on a subject, most first.
CREATE TABLE subject_top_authors (
    kind        CHAR(1) NOT NULL,
    subject_id  BIGINT NOT NULL,
    author_id   BIGINT NOT NULL,
    works       INTEGER NOT NULL,
    PRIMARY KEY (kind, subject_id, author_id)
);
CREATE INDEX subject_top_authors_rank_idx ON subject_top_authors (kind, subject_id, works DESC, author_id);

CREATE TABLE subject_stats_dirty (
    kind        CHAR(1) NOT NULL,
    subject_id  BIGINT NOT NULL,
    PRIMARY KEY (kind, subject_id)
);

-- Set-based over the given subjects.
CREATE FUNCTION refresh_subject_stats(topic_ids BIGINT[], institution_ids BIGINT[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    refreshed INTEGER;
    more INTEGER;
BEGIN
    DELETE FROM institution_works WHERE institution_id = ANY(institution_ids);
    INSERT INTO institution_works (institution_id, work_id, sort_date, cited_by)
    SELECT DISTINCT ai.institution_id, ai.work_id, w.sort_date, coalesce(w.cited_by_count, 0)
    FROM authorship_institutions ai JOIN works w ON w.id = ai.work_id
    WHERE ai.institution_id = ANY(institution_ids);

    DELETE FROM subject_top_authors
    WHERE (kind = 't' AND subject_id = ANY(topic_ids)) OR (kind = 'i' AND subject_id = ANY(institution_ids));
    INSERT INTO subject_top_authors (kind, subject_id, author_id, works)
    SELECT 't', topic_id, author_id, works FROM (
        SELECT wt.topic_id, s.author_id, count(DISTINCT s.work_id)::int AS works,
               row_number() OVER (PARTITION BY wt.topic_id ORDER BY count(DISTINCT s.work_id) DESC, s.author_id) AS n
        FROM work_topics wt JOIN record_authorships s ON s.work_id = wt.work_id
        WHERE wt.topic_id = ANY(topic_ids)
        GROUP BY wt.topic_id, s.author_id) ranked
    WHERE n <= 12;
    INSERT INTO subject_top_authors (kind, subject_id, author_id, works)
    SELECT 'i', institution_id, author_id, works FROM (
        SELECT ai.institution_id, s.author_id, count(DISTINCT s.work_id)::int AS works,
               row_number() OVER (PARTITION BY ai.institution_id ORDER BY count(DISTINCT s.work_id) DESC, s.author_id) AS n
        FROM authorship_institutions ai
        JOIN record_authorships s ON s.work_id = ai.work_id AND s.position = ai.position
        WHERE ai.institution_id = ANY(institution_ids)
        GROUP BY ai.institution_id, s.author_id) ranked
    WHERE n <= 12;

    DELETE FROM subject_stats
    WHERE (kind = 't' AND subject_id = ANY(topic_ids)) OR (kind = 'i' AND subject_id = ANY(institution_ids));
    INSERT INTO subject_stats (kind, subject_id, works_count, authors_count, cited_by_sum, first_year, last_year,
                               related_topic_ids)
    SELECT 't', t.id,
           (SELECT count(*) FROM work_topics wt WHERE wt.topic_id = t.id),
           (SELECT count(DISTINCT s.author_id) FROM work_topics wt JOIN authorships s ON s.work_id = wt.work_id
            WHERE wt.topic_id = t.id),
           (SELECT coalesce(sum(wt.cited_by), 0) FROM work_topics wt WHERE wt.topic_id = t.id),
           (SELECT min(w.year) FROM work_topics wt JOIN works w ON w.id = wt.work_id WHERE wt.topic_id = t.id),
           (SELECT max(w.year) FROM work_topics wt JOIN works w ON w.id = wt.work_id WHERE wt.topic_id = t.id),
           coalesce((SELECT array_agg(r.topic_id ORDER BY r.shared DESC, r.topic_id) FROM (
               SELECT o.topic_id, count(*) AS shared
               FROM work_topics wt JOIN work_topics o ON o.work_id = wt.work_id AND o.topic_id <> wt.topic_id
               WHERE wt.topic_id = t.id
               GROUP BY o.topic_id ORDER BY shared DESC, o.topic_id LIMIT 8) r), '{}')
    FROM topics t WHERE t.id = ANY(topic_ids);
    GET DIAGNOSTICS refreshed = ROW_COUNT;
    INSERT INTO subject_stats (kind, subject_id, works_count, authors_count, cited_by_sum, first_year, last_year,
                               related_topic_ids)
    SELECT 'i', i.id,
           (SELECT count(*) FROM institution_works iw WHERE iw.institution_id = i.id),
           (SELECT count(*) FROM (SELECT author_id FROM affiliations f WHERE f.institution_id = i.id
                                  UNION
                                  SELECT s.author_id FROM authorship_institutions ai
                                  JOIN authorships s ON s.work_id = ai.work_id AND s.position = ai.position
                                  WHERE ai.institution_id = i.id) people),
           (SELECT coalesce(sum(iw.cited_by), 0) FROM institution_works iw WHERE iw.institution_id = i.id),
           (SELECT min(w.year) FROM institution_works iw JOIN works w ON w.id = iw.work_id WHERE iw.institution_id = i.id),
           (SELECT max(w.year) FROM institution_works iw JOIN works w ON w.id = iw.work_id WHERE iw.institution_id = i.id),
           coalesce((SELECT array_agg(r.topic_id ORDER BY r.shared DESC, r.topic_id) FROM (
               SELECT wt.topic_id, count(*) AS shared
               FROM institution_works iw JOIN work_topics wt ON wt.work_id = iw.work_id
               WHERE iw.institution_id = i.id
               GROUP BY wt.topic_id ORDER BY shared DESC, wt.topic_id LIMIT 8) r), '{}')
    FROM institutions i WHERE i.id = ANY(institution_ids);
    GET DIAGNOSTICS more = ROW_COUNT;
    DELETE FROM subject_stats_dirty
    WHERE (kind = 't' AND subject_id = ANY(topic_ids)) OR (kind = 'i' AND subject_id = ANY(institution_ids));
    RETURN refreshed + more;
END $$;

-- Writes mark the subjects whose pages they change.
CREATE FUNCTION mark_topics_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO subject_stats_dirty (kind, subject_id)
    SELECT DISTINCT 't', topic_id FROM changed_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION mark_institutions_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO subject_stats_dirty (kind, subject_id)
    SELECT DISTINCT 'i', institution_id FROM changed_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER work_topics_subjects_added AFTER INSERT ON work_topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_topics_dirty();
CREATE TRIGGER work_topics_subjects_removed AFTER DELETE ON work_topics REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_topics_dirty();
CREATE TRIGGER authorship_institutions_subjects_added AFTER INSERT ON authorship_institutions
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION mark_institutions_dirty();
CREATE TRIGGER authorship_institutions_subjects_removed AFTER DELETE ON authorship_institutions
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION mark_institutions_dirty();
CREATE TRIGGER affiliations_subjects_added AFTER INSERT ON affiliations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_institutions_dirty();

-- What is there now.
INSERT INTO subject_stats_dirty (kind, subject_id) SELECT 't', id FROM topics;
INSERT INTO subject_stats_dirty (kind, subject_id) SELECT 'i', id FROM institutions;

-- Search filters and orders: works by year, most cited first (the API pages on it).
CREATE INDEX works_year_idx ON works (year, id);
CREATE INDEX works_cited_idx ON works ((coalesce(cited_by_count, 0)) DESC, id DESC);
-- Topics and institutions are searched by name.
CREATE INDEX topics_name_trgm_idx ON topics USING gin (lower(display_name) gin_trgm_ops);
CREATE INDEX institutions_name_trgm_idx ON institutions USING gin (lower(display_name) gin_trgm_ops);

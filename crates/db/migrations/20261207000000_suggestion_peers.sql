-- Collaborator suggestions on records whose own topics reach no one new (issue: the reference
-- profile's "No suggestions yet" on the real sample).
--
-- 1. A topic keeps its 30 researchers with most works, not 12: suggestions take 30 peers a topic
--    (`ssr::db::suggestions::PEERS_PER_TOPIC`, the depth `make bench-suggest` measured), and a
--    group whose members fill a topic's first 12 places reached no one beyond them. Topic pages
--    still show 10.
-- 2. A suggestion can come from the record's field (an OpenAlex field, or an arXiv group) when its
--    paths and topics give fewer than it keeps: `field` names that field.

ALTER TABLE suggestions ADD COLUMN field TEXT;

CREATE OR REPLACE FUNCTION refresh_subject_stats(topic_ids BIGINT[], institution_ids BIGINT[]) RETURNS INTEGER
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
    WHERE n <= 30;
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

-- The topics' lists as they are now, 30 deep.
DELETE FROM subject_top_authors WHERE kind = 't';
INSERT INTO subject_top_authors (kind, subject_id, author_id, works)
SELECT 't', topic_id, author_id, works FROM (
    SELECT wt.topic_id, s.author_id, count(DISTINCT s.work_id)::int AS works,
           row_number() OVER (PARTITION BY wt.topic_id ORDER BY count(DISTINCT s.work_id) DESC, s.author_id) AS n
    FROM work_topics wt JOIN record_authorships s ON s.work_id = wt.work_id
    GROUP BY wt.topic_id, s.author_id) ranked
WHERE n <= 30;

-- Every record ranked again on the next start: the daily full ranking is due at once.
DELETE FROM job_runs WHERE job = 'suggestions';

-- 3. A record whose list is short (fewer than the 20 kept) is ranked again when researchers
--    arrive on its topics or in its fields (an import refreshes those topics), not only at the
--    next daily ranking: imported one file after another, the reference profile was ranked
--    before the file that brought Computer Science researchers, and stayed empty until then.
--    Set by each ranking; a new or refreshed topic profile starts short.
ALTER TABLE author_topic_profiles ADD COLUMN short_list BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX author_topic_profiles_short_idx ON author_topic_profiles USING gin (topic_ids) WHERE short_list;

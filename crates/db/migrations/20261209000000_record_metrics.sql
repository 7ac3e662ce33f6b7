-- A record's citation metrics are kept with its aggregates, not computed on every view (issue
-- "render once, serve many": a profile view read every work of the record, 7,831 rows for the
-- largest, to compute its h-index). And a refresh that changes nothing a page shows writes
-- nothing: it no longer moves the record's page version (a refresh rewrote `refreshed_at`, so
-- every refresh moved every refreshed profile).
--
-- Kept per record (hidden works left out, each work once):
-- - `citations`, `h_index`, `i10_index`: from the works' OpenAlex citation counts, as
--   `domain::metrics::metrics` defines them (a work without a count counts 0);
-- - `work_years` / `work_year_counts`: the years with works, oldest first, and the works in each;
-- - `coauthors_digest`: a digest of the closest co-authors kept in `coauthors` (who, how many
--   shared works, the latest), so that a change to them alone still moves the page.

ALTER TABLE author_stats
    ADD COLUMN citations         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN h_index           INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN i10_index         INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN work_years        INTEGER[] NOT NULL DEFAULT '{}',
    ADD COLUMN work_year_counts  INTEGER[] NOT NULL DEFAULT '{}',
    ADD COLUMN coauthors_digest  TEXT;

CREATE OR REPLACE FUNCTION refresh_author_stats(ids BIGINT[]) RETURNS INTEGER LANGUAGE plpgsql AS $$
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
    ), ranked AS MATERIALIZED (
        SELECT author_id, coauthor_id, shared_works, last_shared FROM (
            SELECT p.*, row_number() OVER (PARTITION BY author_id
                                           ORDER BY shared_works DESC, last_shared DESC, coauthor_id) AS rank
            FROM pairs p) r
        WHERE rank <= 60
    ), kept AS (
        INSERT INTO coauthors (author_id, coauthor_id, shared_works, last_shared)
        SELECT author_id, coauthor_id, shared_works, last_shared FROM ranked
    ), digests AS (
        SELECT author_id,
               md5(string_agg(coauthor_id || ':' || shared_works || ':' || last_shared, ',' ORDER BY coauthor_id))
                   AS coauthors_digest
        FROM ranked GROUP BY 1
    ), pair_counts AS (
        SELECT author_id, count(*)::int AS coauthors_count FROM pairs GROUP BY 1
    ), record_works AS MATERIALIZED (
        SELECT m.author_id, w.year, greatest(coalesce(w.cited_by_count, 0), 0) AS cited,
               row_number() OVER (PARTITION BY m.author_id
                                  ORDER BY greatest(coalesce(w.cited_by_count, 0), 0) DESC) AS rank
        FROM (SELECT DISTINCT author_id, work_id FROM mine) m JOIN works w ON w.id = m.work_id
    ), work_counts AS (
        SELECT author_id, count(*)::int AS works_count, min(year) AS first_year, max(year) AS last_year,
               sum(cited)::bigint AS citations,
               count(*) FILTER (WHERE cited >= rank)::int AS h_index,
               count(*) FILTER (WHERE cited >= 10)::int AS i10_index
        FROM record_works GROUP BY 1
    ), year_counts AS (
        SELECT author_id, array_agg(year ORDER BY year) AS work_years, array_agg(n ORDER BY year) AS work_year_counts
        FROM (SELECT author_id, year, count(*)::int AS n FROM record_works WHERE year IS NOT NULL GROUP BY 1, 2) y
        GROUP BY 1
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
                                    institution_id, coauthors_count, citations, h_index, i10_index, work_years,
                                    work_year_counts, coauthors_digest, refreshed_at)
    SELECT a.id, coalesce(wc.works_count, 0), wc.first_year, wc.last_year, coalesce(mt.topics_count, 0),
           mt.topic_id, af.institution_id, coalesce(pc.coauthors_count, 0), coalesce(wc.citations, 0),
           coalesce(wc.h_index, 0), coalesce(wc.i10_index, 0), coalesce(yc.work_years, '{}'),
           coalesce(yc.work_year_counts, '{}'), dg.coauthors_digest, now()
    FROM authors a
    LEFT JOIN work_counts wc ON wc.author_id = a.id
    LEFT JOIN year_counts yc ON yc.author_id = a.id
    LEFT JOIN main_topics mt ON mt.author_id = a.id
    LEFT JOIN affiliation af ON af.author_id = a.id
    LEFT JOIN pair_counts pc ON pc.author_id = a.id
    LEFT JOIN digests dg ON dg.author_id = a.id
    WHERE a.id = ANY(ids)
    ON CONFLICT (author_id) DO UPDATE SET
        works_count = excluded.works_count, first_year = excluded.first_year, last_year = excluded.last_year,
        topics_count = excluded.topics_count, main_topic_id = excluded.main_topic_id,
        institution_id = excluded.institution_id, coauthors_count = excluded.coauthors_count,
        citations = excluded.citations, h_index = excluded.h_index, i10_index = excluded.i10_index,
        work_years = excluded.work_years, work_year_counts = excluded.work_year_counts,
        coauthors_digest = excluded.coauthors_digest, refreshed_at = excluded.refreshed_at
    -- Unchanged: no write, and so no move of the record's page (the trigger sees changed rows only).
    WHERE (st.works_count, st.first_year, st.last_year, st.topics_count, st.main_topic_id, st.institution_id,
           st.coauthors_count, st.citations, st.h_index, st.i10_index, st.work_years, st.work_year_counts,
           st.coauthors_digest)
          IS DISTINCT FROM
          (excluded.works_count, excluded.first_year, excluded.last_year, excluded.topics_count,
           excluded.main_topic_id, excluded.institution_id, excluded.coauthors_count, excluded.citations,
           excluded.h_index, excluded.i10_index, excluded.work_years, excluded.work_year_counts,
           excluded.coauthors_digest);
    GET DIAGNOSTICS refreshed = ROW_COUNT;
    DELETE FROM author_stats_dirty WHERE author_id = ANY(ids);
    RETURN refreshed;
END $$;

-- A work's citation count is part of its authors' metrics (a year change already reaches them
-- through the authorships' sort key).
CREATE FUNCTION mark_cited_work_authors_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO author_stats_dirty (author_id)
    SELECT DISTINCT s.author_id FROM authorships s WHERE s.work_id IN (SELECT n.id FROM new_rows n
        JOIN old_rows o ON o.id = n.id WHERE n.cited_by_count IS DISTINCT FROM o.cited_by_count)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER works_cited_changed AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mark_cited_work_authors_dirty();

-- The kept figures, for the records there are (in batches: one plan per few thousand records).
DO $$
DECLARE
    low BIGINT := 0;
    top BIGINT := (SELECT coalesce(max(id), 0) FROM authors);
BEGIN
    WHILE low <= top LOOP
        PERFORM refresh_author_stats(array(SELECT id FROM authors WHERE id > low AND id <= low + 5000));
        low := low + 5000;
    END LOOP;
END $$;

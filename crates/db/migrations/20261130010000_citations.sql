-- Citations: work-to-work edges from the works' reference lists (kept by the cited work's
-- OpenAlex id, linked to the cited work when it is in the catalogue, now or when it arrives),
-- our own citation counts kept current by triggers, and the figures OpenAlex gives for authors.

CREATE TABLE citations (
    citing_work_id    BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    -- The cited work's OpenAlex id (`W2963403868`), whether or not it is in the catalogue.
    cited_key         TEXT NOT NULL,
    cited_work_id     BIGINT REFERENCES works (id) ON DELETE SET NULL,
    -- The citing work's sort key, so a work's "Cited by" list (newest first) is one index range.
    citing_sort_date  DATE NOT NULL,
    PRIMARY KEY (citing_work_id, cited_key)
);
CREATE INDEX citations_cited_idx ON citations (cited_work_id, citing_sort_date DESC, citing_work_id DESC)
    WHERE cited_work_id IS NOT NULL;
CREATE INDEX citations_unlinked_idx ON citations (cited_key) WHERE cited_work_id IS NULL;

-- Citations from works in the catalogue (OpenAlex's own figure stays in `cited_by_count`).
ALTER TABLE works ADD COLUMN citing_count INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION take_citing_sort_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT sort_date INTO NEW.citing_sort_date FROM works WHERE id = NEW.citing_work_id;
    RETURN NEW;
END $$;
CREATE TRIGGER citations_sort_date BEFORE INSERT ON citations
    FOR EACH ROW EXECUTE FUNCTION take_citing_sort_date();

CREATE FUNCTION spread_citing_sort_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE citations SET citing_sort_date = NEW.sort_date WHERE citing_work_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER works_citing_sort_date AFTER UPDATE OF year, published_on ON works
    FOR EACH ROW WHEN (OLD.sort_date IS DISTINCT FROM NEW.sort_date)
    EXECUTE FUNCTION spread_citing_sort_date();

CREATE FUNCTION count_citations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.cited_work_id IS NOT NULL THEN
        UPDATE works SET citing_count = citing_count + 1 WHERE id = NEW.cited_work_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.cited_work_id IS NOT NULL THEN
        UPDATE works SET citing_count = citing_count - 1 WHERE id = OLD.cited_work_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER citations_count AFTER INSERT OR DELETE OR UPDATE OF cited_work_id ON citations
    FOR EACH ROW EXECUTE FUNCTION count_citations();

-- What OpenAlex says of an author (its `summary_stats`, `cited_by_count`, `counts_by_year`),
-- shown beside the figures computed from the record's own works.
ALTER TABLE authors
    ADD COLUMN source_cited_by_count INTEGER,
    ADD COLUMN source_h_index        INTEGER,
    ADD COLUMN source_i10_index      INTEGER;
CREATE TABLE author_counts_by_year (
    author_id       BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    year            INTEGER NOT NULL,
    works_count     INTEGER NOT NULL,
    cited_by_count  INTEGER NOT NULL,
    PRIMARY KEY (author_id, year)
);

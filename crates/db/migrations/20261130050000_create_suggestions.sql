-- Collaborator suggestions (`domain::suggest`), precomputed so a page reads a few indexed rows:
-- each record's topic profile, its ranked candidates with why, the records whose candidates are
-- stale, and what an owner dismissed.

-- A record's strongest topics (at most 8) with its works on each: the same counts as
-- `author_stats`' main topic (its works' topics and the imported author topics, the larger).
CREATE TABLE author_topic_profiles (
    author_id    BIGINT PRIMARY KEY,
    topic_ids    BIGINT[] NOT NULL,
    topic_works  INTEGER[] NOT NULL
);

CREATE FUNCTION refresh_topic_profiles(ids BIGINT[]) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    refreshed INTEGER;
BEGIN
    DELETE FROM author_topic_profiles WHERE author_id = ANY(ids);
    INSERT INTO author_topic_profiles (author_id, topic_ids, topic_works)
    SELECT author_id, (array_agg(topic_id ORDER BY works DESC, topic_id))[1:8],
           (array_agg(works::int ORDER BY works DESC, topic_id))[1:8]
    FROM (
        SELECT author_id, topic_id, max(works) AS works FROM (
            SELECT s.author_id, wt.topic_id, count(*) AS works
            FROM record_authorships s JOIN work_topics wt ON wt.work_id = s.work_id
            WHERE s.author_id = ANY(ids) GROUP BY 1, 2
            UNION ALL
            SELECT author_id, topic_id, coalesce(work_count, 0)::bigint FROM author_topics WHERE author_id = ANY(ids)) u
        GROUP BY 1, 2) counts
    WHERE works > 0
    GROUP BY author_id;
    GET DIAGNOSTICS refreshed = ROW_COUNT;
    RETURN refreshed;
END $$;

SELECT refresh_topic_profiles(array(SELECT id FROM authors));

-- Up to 20 candidates per record, best first (`rank` from 1). `hops` is 2 or 3 when co-authorship
-- reaches the candidate, 0 when only topics do; `via_ids` the co-authors the strongest paths go
-- through, `topic_ids` the topics both work on (each at most two). A cache: no foreign keys.
CREATE TABLE suggestions (
    author_id     BIGINT NOT NULL,
    rank          SMALLINT NOT NULL,
    candidate_id  BIGINT NOT NULL,
    score         REAL NOT NULL,
    hops          SMALLINT NOT NULL,
    via_ids       BIGINT[] NOT NULL,
    topic_ids     BIGINT[] NOT NULL,
    PRIMARY KEY (author_id, rank)
);

-- Records whose candidates a change may have moved: those refreshed, and their co-authors.
CREATE TABLE suggestions_dirty (
    author_id  BIGINT PRIMARY KEY
);
INSERT INTO suggestions_dirty (author_id) SELECT id FROM authors;

-- A suggestion the record's owner dismissed: hidden, and left out of every later refresh.
CREATE TABLE suggestion_dismissals (
    author_id     BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    candidate_id  BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    dismissed_by  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dismissed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (author_id, candidate_id)
);
CREATE INDEX suggestion_dismissals_candidate_idx ON suggestion_dismissals (candidate_id);
CREATE INDEX suggestion_dismissals_user_idx ON suggestion_dismissals (dismissed_by);

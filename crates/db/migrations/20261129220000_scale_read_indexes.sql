-- Indexes two page reads need at scale: the records that link to a record (`same_as_id`, read on
-- every profile), and records by their number of works (where name search looks for a common
-- name first).
CREATE INDEX IF NOT EXISTS authors_same_as_idx ON authors (same_as_id) WHERE same_as_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS author_stats_works_idx ON author_stats (works_count DESC, author_id);

-- The works a record shows: its authorships except those its owner hid ("not mine"). Every
-- query about what a researcher's record holds (its works and their counts, topics, co-authors,
-- graph, feed, search counts) reads this view, so the rule lives here once. PostgreSQL inlines
-- it: a filter on author_id still uses authorships_author_idx.
CREATE VIEW record_authorships AS
SELECT s.work_id, s.position, s.author_id, s.raw_name
FROM authorships s
WHERE NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = s.author_id AND h.work_id = s.work_id);

-- The institutions on a record: those it declares (affiliations) and those printed beside it on
-- the works it holds. For claims by institutional e-mail and the owner's affiliation choice.
CREATE VIEW record_institutions AS
SELECT author_id, institution_id FROM affiliations
UNION
SELECT s.author_id, ai.institution_id
FROM record_authorships s
JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position;

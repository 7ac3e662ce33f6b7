-- Every graph layout is kept under its slice's name (reach, focus and the keys expanded, in the
-- order they were expanded: `views::graph::named`), with the nodes' keys in the positions' order:
-- an expansion finds the picture already on screen (the same name less its last expansion),
-- keeps those nodes where they were and lays out only what is new. A slice without expansions
-- is never purged (one row a page); one with expansions is forgotten a day after it was laid
-- out. `graph_layouts` (keyed by the slice's hash) is no longer read.
ALTER TABLE named_layouts
    ADD COLUMN keys      TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN expanded  BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX named_layouts_expanded_idx ON named_layouts (laid_out_at) WHERE expanded;
DROP TABLE graph_layouts;

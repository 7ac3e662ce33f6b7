-- A slice without expansions (a profile's, a work's, a subject's, the explorer's first view) keeps
-- its layout under its name (reach and focus, `views::graph::named`), found in the statement
-- that reads the slice, with the key of the slice it was made for: a view whose slice is
-- unchanged uses it; a changed slice is laid out again and replaces it. Never purged (one row a
-- name); `graph_layouts` keeps only explorer slices with expansions now.
CREATE TABLE named_layouts (
    name         TEXT PRIMARY KEY,
    layout_key   BYTEA NOT NULL,
    positions    REAL[] NOT NULL,
    laid_out_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

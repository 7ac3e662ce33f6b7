-- Laid-out graph slices, shared by every server: a profile or work page lays its graph out once
-- a day instead of on every view. Keyed by a hash of all the layout depends on (seed, nodes and
-- their sizes, edges and their weights), so a slice that changed is laid out anew.
CREATE TABLE graph_layouts (
    layout_key   BYTEA PRIMARY KEY,
    -- x then y for each node, in the slice's order.
    positions    REAL[] NOT NULL,
    laid_out_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX graph_layouts_laid_out_idx ON graph_layouts (laid_out_at);

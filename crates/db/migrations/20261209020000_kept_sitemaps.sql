-- Sitemaps are kept as pages are (`kept_pages`, key `sm:<table>:<n>`): the sitemap of ids
-- n * 50,000 + 1 to (n + 1) * 50,000 (`views::sitemap::PER_SITEMAP`) of a table moves its version
-- when a row of that range is added or removed, or changes what the sitemap lists of it (its
-- slug or name, the day it last changed).

CREATE FUNCTION bump_sitemaps(tbl TEXT, ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    SELECT bump_pages(array(SELECT DISTINCT 'sm:' || tbl || ':' || ((id - 1) / 50000) FROM unnest(ids) AS id));
$$;

CREATE FUNCTION sitemap_rows_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_sitemaps(TG_TABLE_NAME, array(SELECT id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION sitemap_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- What a sitemap lists of a row: its address (slug, or name and id) and the day it changed
    -- (a table without one of these columns reads it as NULL on both sides).
    PERFORM bump_sitemaps(TG_TABLE_NAME, array(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (to_jsonb(n) -> 'slug', to_jsonb(n) -> 'display_name', left(to_jsonb(n) ->> 'updated_at', 10))
              IS DISTINCT FROM (to_jsonb(o) -> 'slug', to_jsonb(o) -> 'display_name', left(to_jsonb(o) ->> 'updated_at', 10))));
    RETURN NULL;
END $$;

CREATE TRIGGER authors_sitemap_added AFTER INSERT ON authors REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER authors_sitemap_removed AFTER DELETE ON authors REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER authors_sitemap_changed AFTER UPDATE ON authors REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_changed();
CREATE TRIGGER works_sitemap_added AFTER INSERT ON works REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER works_sitemap_removed AFTER DELETE ON works REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER works_sitemap_changed AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_changed();
CREATE TRIGGER topics_sitemap_added AFTER INSERT ON topics REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER topics_sitemap_removed AFTER DELETE ON topics REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER topics_sitemap_changed AFTER UPDATE ON topics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_changed();
CREATE TRIGGER institutions_sitemap_added AFTER INSERT ON institutions REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER institutions_sitemap_removed AFTER DELETE ON institutions REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_added_or_removed();
CREATE TRIGGER institutions_sitemap_changed AFTER UPDATE ON institutions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sitemap_rows_changed();

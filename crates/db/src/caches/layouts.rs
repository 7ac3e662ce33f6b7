//! Graph layouts kept so that every server draws a slice the same way and lays it out once,
//! under the slice's name (`views::graph::named`: reach, focus and the keys expanded), with the
//! key of the slice it was laid out for and the nodes' keys (`named_layouts`). A slice without
//! expansions (a profile's, a work's, a subject's, an explorer's first view) keeps its row while
//! its slice is unchanged, replaced when the slice changes and never purged; one with
//! expansions is forgotten a day after it was laid out.

use crate::error::AppError;

/// Keeps a slice's positions under its name, with the slice's layout key and the nodes' keys (a
/// later layout of a changed slice replaces it).
pub async fn keep_named_layout(
    pool: &sqlx::PgPool,
    name: &str,
    key: &[u8],
    (keys, positions): (&[String], &[f32]),
    expanded: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO named_layouts (name, layout_key, positions, keys, expanded) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET layout_key = EXCLUDED.layout_key, positions = EXCLUDED.positions,
             keys = EXCLUDED.keys, laid_out_at = now()",
    )
    .bind(name)
    .bind(key)
    .bind(positions)
    .bind(keys)
    .bind(expanded)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets the layouts of slices with expansions laid out over a day ago (the explorer's: an
/// address asked again lays out again, around the picture its first expansions left).
pub async fn purge_old_layouts(pool: &sqlx::PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM named_layouts WHERE expanded AND laid_out_at < now() - interval '1 day'")
        .execute(pool)
        .await?
        .rows_affected())
}

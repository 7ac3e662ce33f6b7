//! Graph layouts kept so that every server draws a slice the same way and lays it out once: a
//! slice without expansions (a profile's, a work's, a subject's, an explorer's first view) under
//! its name, replaced when the slice changes and never purged (`named_layouts`, one row a name);
//! an explorer slice with expansions under its key (`graph_layouts`, purged after a day).

use crate::error::AppError;

/// The positions kept for a slice's layout key, if a server laid it out before.
pub async fn kept_layout(pool: &sqlx::PgPool, key: &[u8]) -> Result<Option<Vec<f32>>, AppError> {
    Ok(sqlx::query_scalar("SELECT positions FROM graph_layouts WHERE layout_key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await?)
}

/// Keeps a slice's positions under its layout key (the first server to lay it out wins).
pub async fn keep_layout(pool: &sqlx::PgPool, key: &[u8], positions: &[f32]) -> Result<(), AppError> {
    sqlx::query("INSERT INTO graph_layouts (layout_key, positions) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(key)
        .bind(positions)
        .execute(pool)
        .await?;
    Ok(())
}

/// Keeps a slice's positions under its name, with the slice's layout key (a later layout of a
/// changed slice replaces it).
pub async fn keep_named_layout(pool: &sqlx::PgPool, name: &str, key: &[u8], positions: &[f32]) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO named_layouts (name, layout_key, positions) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET layout_key = EXCLUDED.layout_key, positions = EXCLUDED.positions,
             laid_out_at = now()",
    )
    .bind(name)
    .bind(key)
    .bind(positions)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets layouts kept longer than a day (a slice that changed has a new key; the old one is
/// never read again).
pub async fn purge_old_layouts(pool: &sqlx::PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM graph_layouts WHERE laid_out_at < now() - interval '1 day'")
        .execute(pool)
        .await?
        .rows_affected())
}

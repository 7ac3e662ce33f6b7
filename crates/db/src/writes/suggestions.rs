//! An owner dismissing a collaborator suggestion: hidden at once, and left out of every later
//! ranking.

use crate::error::AppError;
use sqlx::{Connection, PgConnection};

/// Records whether `candidate` was dismissed from `author`'s suggestions by `user` (their owner);
/// its rows go at once, and later refreshes leave it out. `false` when it already was.
pub async fn dismiss(conn: &mut PgConnection, author: i64, candidate: i64, user: i64) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let added = sqlx::query(
        "INSERT INTO suggestion_dismissals (author_id, candidate_id, dismissed_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(author)
    .bind(candidate)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    sqlx::query("DELETE FROM suggestions WHERE author_id = $1 AND candidate_id = $2")
        .bind(author)
        .bind(candidate)
        .execute(&mut *tx)
        .await?;
    // The profile lists its first suggestions, dismissed ones left out: it changes.
    crate::caches::pages::bump_authors(&mut *tx, &[author]).await?;
    tx.commit().await?;
    Ok(added)
}

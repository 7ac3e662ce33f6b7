//! Follows: idempotent follow and unfollow that keep `authors.follower_count` equal to a recount,
//! and the feed of followed researchers' works.

use crate::error::AppError;
use crate::model::works::WorkSummary;
use chrono::NaiveDate;
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

/// Follows (or unfollows) `author_id` for `user_id`. The counter moves only when a row was
/// inserted (or deleted), in the same transaction, so it always equals a recount. Returns the
/// follower count after.
pub async fn set_following(
    conn: &mut PgConnection,
    user_id: i64,
    author_id: i64,
    follow: bool,
) -> Result<i32, AppError> {
    let mut tx = conn.begin().await?;
    let change = if follow {
        "INSERT INTO follows (user_id, author_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM follows WHERE user_id = $1 AND author_id = $2"
    };
    let changed = sqlx::query(change).bind(user_id).bind(author_id).execute(&mut *tx).await?.rows_affected();
    let delta = i32::try_from(changed).unwrap_or(0) * if follow { 1 } else { -1 };
    let count: i32 = sqlx::query_scalar(
        "UPDATE authors SET follower_count = follower_count + $2 WHERE id = $1 RETURNING follower_count",
    )
    .bind(author_id)
    .bind(delta)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(count)
}

pub async fn follow(conn: &mut PgConnection, user_id: i64, author_id: i64) -> Result<i32, AppError> {
    set_following(conn, user_id, author_id, true).await
}

pub async fn unfollow(conn: &mut PgConnection, user_id: i64, author_id: i64) -> Result<i32, AppError> {
    set_following(conn, user_id, author_id, false).await
}

pub async fn is_following(db: impl PgExecutor<'_>, user_id: i64, author_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM follows WHERE user_id = $1 AND author_id = $2)")
        .bind(user_id)
        .bind(author_id)
        .fetch_one(db)
        .await?)
}

pub async fn author_id_by_slug(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1").bind(slug).fetch_optional(db).await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct FollowedRow {
    pub slug: String,
    pub display_name: String,
    pub follower_count: i32,
    pub followed_at: chrono::DateTime<chrono::Utc>,
    pub author_id: i64,
}

/// The researchers a user follows, most recently followed first, keyset-paged on
/// (followed_at, author_id).
pub async fn followed(
    db: impl PgExecutor<'_>,
    user_id: i64,
    before: Option<(chrono::DateTime<chrono::Utc>, i64)>,
    limit: i64,
) -> Result<Vec<FollowedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.slug, a.display_name, a.follower_count, f.created_at AS followed_at, a.id AS author_id
         FROM follows f JOIN authors a ON a.id = f.author_id
         WHERE f.user_id = $1 AND ($2::timestamptz IS NULL OR (f.created_at, f.author_id) < ($2, $3))
         ORDER BY f.created_at DESC, f.author_id DESC
         LIMIT $4",
    )
    .bind(user_id)
    .bind(before.map(|b| b.0))
    .bind(before.map_or(0, |b| b.1))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub sort_date: NaiveDate,
    #[sqlx(flatten)]
    pub work: WorkSummary,
    /// The followed researchers on this work, in byline order.
    pub followed_authors: Vec<String>,
}

/// Works on the records the user follows (hidden works left out), newest first, keyset-paged on (sort_date, id): no OFFSET.
pub async fn feed(
    db: impl PgExecutor<'_>,
    user_id: i64,
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> Result<Vec<FeedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.id, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue, w.sort_date,
                (SELECT array_agg(a.display_name ORDER BY s.position)
                 FROM record_authorships s JOIN follows f ON f.author_id = s.author_id AND f.user_id = $1
                 JOIN authors a ON a.id = s.author_id
                 WHERE s.work_id = w.id) AS followed_authors
         FROM (
             -- The page's newest works of each followed record, one index range each, merged.
             SELECT DISTINCT ON (x.sort_date, x.work_id) x.work_id, x.sort_date
             FROM follows f
             CROSS JOIN LATERAL (
                 SELECT s.work_id, s.sort_date FROM record_authorships s
                 WHERE s.author_id = f.author_id AND ($2::date IS NULL OR (s.sort_date, s.work_id) < ($2, $3))
                 ORDER BY s.sort_date DESC, s.work_id DESC
                 LIMIT $4) x
             WHERE f.user_id = $1
             ORDER BY x.sort_date DESC, x.work_id DESC
             LIMIT $4) page
         JOIN works w ON w.id = page.work_id
         ORDER BY page.sort_date DESC, page.work_id DESC",
    )
    .bind(user_id)
    .bind(after.map(|a| a.0))
    .bind(after.map_or(0, |a| a.1))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

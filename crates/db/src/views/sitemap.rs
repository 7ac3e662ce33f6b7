//! What the sitemaps list: records, works, topics and institutions by id range (each sitemap
//! one range of the primary key, at most `PER_SITEMAP` ids wide), with the day each last changed.

use crate::error::AppError;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// URLs per sitemap (the protocol's limit is 50,000).
pub const PER_SITEMAP: i64 = 50_000;

/// The tables sitemaps list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Authors,
    Works,
    Topics,
    Institutions,
}

impl Listed {
    pub const ALL: [Listed; 4] = [Listed::Authors, Listed::Works, Listed::Topics, Listed::Institutions];

    /// The table, and the page path's first part.
    pub fn name(self) -> &'static str {
        match self {
            Listed::Authors => "authors",
            Listed::Works => "works",
            Listed::Topics => "topics",
            Listed::Institutions => "institutions",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// How many sitemaps a table needs: one per `PER_SITEMAP` ids up to the largest (read from the
/// primary key's end, not counted).
pub async fn sitemaps(conn: &mut PgConnection, listed: Listed) -> Result<i64, AppError> {
    let max: Option<i64> =
        sqlx::query_scalar(&format!("SELECT max(id) FROM {}", listed.name())).fetch_one(&mut *conn).await?;
    Ok(max.map_or(0, |max| (max - 1) / PER_SITEMAP + 1))
}

/// One sitemap's entries: `(slug or id and name, last changed)`, ids `number * PER_SITEMAP + 1`
/// to `(number + 1) * PER_SITEMAP`, in id order.
pub async fn entries(
    conn: &mut PgConnection,
    listed: Listed,
    number: i64,
) -> Result<Vec<(String, Option<NaiveDate>)>, AppError> {
    let sql = match listed {
        Listed::Authors | Listed::Works => format!(
            "SELECT slug, updated_at::date FROM {} WHERE id BETWEEN $1 AND $2 ORDER BY id",
            listed.name()
        ),
        Listed::Topics => "SELECT t.id, t.display_name, NULL::date FROM topics t WHERE t.id BETWEEN $1 AND $2 ORDER BY t.id"
            .to_owned(),
        Listed::Institutions => {
            "SELECT i.id, i.display_name, i.updated_at::date FROM institutions i WHERE i.id BETWEEN $1 AND $2 ORDER BY i.id"
                .to_owned()
        }
    };
    let (first, last) = (number * PER_SITEMAP + 1, (number + 1) * PER_SITEMAP);
    match listed {
        Listed::Authors | Listed::Works => {
            Ok(sqlx::query_as(&sql).bind(first).bind(last).fetch_all(&mut *conn).await?)
        }
        Listed::Topics | Listed::Institutions => {
            let rows: Vec<(i64, String, Option<NaiveDate>)> =
                sqlx::query_as(&sql).bind(first).bind(last).fetch_all(&mut *conn).await?;
            Ok(rows.into_iter().map(|(id, name, day)| (crate::domain::slug::subject_slug(&name, id), day)).collect())
        }
    }
}

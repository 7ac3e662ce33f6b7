//! Topic and institution pages: one server function that returns everything the page shows.

use crate::error::AppError;
use crate::model::subjects::SubjectKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A topic's or an institution's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
    /// The page's canonical address (`/topics/machine-learning-12`).
    pub path: String,
    pub name: String,
    /// Broadest first, the subject itself left out: OpenAlex's domain, field and subfield, or the
    /// arXiv archives a category name belongs to.
    pub hierarchy: Vec<String>,
    /// Where the subject comes from: "arxiv" or "openalex".
    pub source: String,
    pub source_key: Option<String>,
    pub institution: Option<crate::model::subjects::InstitutionFacts>,
    pub counts: crate::model::subjects::SubjectCounts,
    pub works: crate::api::profiles::WorkPage,
    pub most_cited_first: bool,
    pub leading: Vec<crate::model::subjects::LeadingResearcher>,
    pub related: Vec<crate::model::subjects::SubjectLink>,
    pub graph: crate::domain::graph::GraphSlice,
}

/// Works listed per page of a subject.
pub const WORKS_PER_PAGE: i64 = 20;
/// Researchers listed as leading a subject.
pub const LEADING: i64 = 10;

/// The page at `/topics/<slug>` or `/institutions/<slug>`; `sort` lists the works newest first
/// (the default) or most cited first (`cited`), and `after` is the cursor of the page to show.
#[server(prefix = "/api", endpoint = "get_subject")]
pub async fn get_subject(
    kind: SubjectKind,
    slug: String,
    after: Option<String>,
    sort: Option<String>,
) -> Result<Subject, AppError> {
    use crate::domain::paging::WorksAfter;
    let what = match kind {
        SubjectKind::Topic => "this topic",
        SubjectKind::Institution => "this institution",
    };
    let id = crate::domain::slug::subject_id(&slug).ok_or_else(|| AppError::NotFound(what.to_owned()))?;
    let after = WorksAfter::parse(sort.as_deref(), after.as_deref())
        .map_err(|(field, reason)| AppError::invalid(field, reason))?;
    let pool = crate::ssr::read_pool().await?;
    server::subject(&pool, &crate::ssr::pool()?, kind, id, after)
        .await?
        .ok_or_else(|| AppError::NotFound(what.to_owned()))
}

#[cfg(feature = "ssr")]
pub use server::subject as load_subject;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::profiles::WorkPage;
    use crate::domain::graph::NodeKey;
    use crate::domain::paging::{CountCursor, DateCursor, WorksAfter};
    use crate::model::subjects::{InstitutionFacts, SubjectCounts, SubjectLink};
    use crate::ssr::db::subjects::{self as db, SubjectWorkRow};
    use crate::ssr::graph;

    /// The page's data, read in turn on one connection of `pool`, then its graph laid out.
    pub async fn subject(
        pool: &sqlx::PgPool,
        primary: &sqlx::PgPool,
        kind: SubjectKind,
        id: i64,
        after: WorksAfter,
    ) -> Result<Option<Subject>, AppError> {
        let mut conn = pool.acquire().await?;
        let db = &mut *conn;
        let Some(row) = db::subject(db, kind, id).await? else {
            return Ok(None);
        };
        let (rows, is_first, most_cited_first) = match after {
            WorksAfter::Newest(cursor) => {
                (db::newest_works(db, kind, id, cursor, WORKS_PER_PAGE + 1).await?, cursor.is_none(), false)
            }
            WorksAfter::MostCited(cursor) => {
                (db::most_cited_works(db, kind, id, cursor, WORKS_PER_PAGE + 1).await?, cursor.is_none(), true)
            }
        };
        let works = page(rows, is_first, most_cited_first);
        let leading = db::leading_researchers(db, kind, id, LEADING).await?;
        let related_ids = row.related_topic_ids.clone().unwrap_or_default();
        let related = db::topic_names(db, &related_ids).await?;
        let key = match kind {
            SubjectKind::Topic => NodeKey::Topic(id),
            SubjectKind::Institution => NodeKey::Institution(id),
        };
        let slice = graph::around(db, &key, &[], graph::INLINE_REACH).await?;
        drop(conn);
        let graph = graph::laid_out(pool, primary, slice.unwrap_or_default()).await?;

        let link = match kind {
            SubjectKind::Topic => SubjectLink::topic(id, row.name.clone()),
            SubjectKind::Institution => SubjectLink::institution(id, row.name.clone()),
        };
        let hierarchy = match kind {
            SubjectKind::Topic => row.place().hierarchy(),
            SubjectKind::Institution => Vec::new(),
        };
        let institution = (kind == SubjectKind::Institution).then(|| InstitutionFacts {
            country_code: row.country_code.clone(),
            ror: row.ror.as_deref().map(|r| crate::model::subjects::ror_id(r).to_owned()),
            kind: row.institution_kind.clone(),
            // Only an http(s) link is a link: an import may carry anything there.
            homepage_url: row
                .homepage_url
                .as_deref()
                .and_then(|h| crate::domain::claims::WebLink::parse(h).ok())
                .map(|h| h.as_str().to_owned()),
            openalex_id: row.source_key.clone(),
        });
        Ok(Some(Subject {
            kind,
            id,
            path: link.href,
            name: row.name,
            hierarchy,
            source: row.source,
            source_key: row.source_key,
            institution,
            counts: SubjectCounts {
                works: row.works_count.map_or(0, i64::from),
                researchers: row.authors_count.map_or(0, i64::from),
                citations: row.cited_by_sum.unwrap_or(0),
                first_year: row.first_year,
                last_year: row.last_year,
            },
            works,
            most_cited_first,
            leading,
            related: related.into_iter().map(|(id, name)| SubjectLink::topic(id, name)).collect(),
            graph,
        }))
    }

    /// A page from up to one row more than a page; the cursor follows the list's order.
    fn page(mut rows: Vec<SubjectWorkRow>, is_first: bool, most_cited_first: bool) -> WorkPage {
        let has_more = rows.len() as i64 > WORKS_PER_PAGE;
        rows.truncate(WORKS_PER_PAGE as usize);
        let next = has_more.then(|| rows.last()).flatten().map(|r| {
            if most_cited_first {
                CountCursor { count: i64::from(r.cites), id: r.id }.to_string()
            } else {
                DateCursor { date: r.sort_date, id: r.id }.to_string()
            }
        });
        WorkPage { items: rows.into_iter().map(|r| r.work).collect(), next, is_first }
    }
}

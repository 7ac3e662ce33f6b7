//! A topic's or an institution's page as it reads it: the subject with its cached counts, a page
//! of its works, its leading researchers and related topics (`rows`), then its graph laid out.

pub mod rows;

use crate::domain::graph::NodeKey;
use crate::domain::paging::{CountCursor, DateCursor, WorksAfter};
use crate::error::AppError;
use crate::model::profile::WorkPage;
use crate::model::subject_page::{Subject, LEADING, WORKS_PER_PAGE};
use crate::model::subjects::{InstitutionFacts, SubjectAbout, SubjectCounts, SubjectKind, SubjectLink};
use crate::views::graph;
use rows::SubjectWorkRow;
use sqlx::PgConnection;

/// The subject as every view of it reads it, in two statements: its row with its cached counts,
/// then its related topics' names.
pub async fn about(db: &mut PgConnection, kind: SubjectKind, id: i64) -> Result<Option<SubjectAbout>, AppError> {
    let Some(row) = rows::subject(db, kind, id).await? else {
        return Ok(None);
    };
    let related_ids = row.related_topic_ids.clone().unwrap_or_default();
    let related = rows::topic_names(db, &related_ids).await?;
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
    Ok(Some(SubjectAbout {
        kind,
        link,
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
        related: related.into_iter().map(|(id, name)| SubjectLink::topic(id, name)).collect(),
    }))
}

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
    let Some(about) = about(db, kind, id).await? else {
        return Ok(None);
    };
    let (rows, is_first, most_cited_first) = match after {
        WorksAfter::Newest(cursor) => {
            (rows::newest_works(db, kind, id, cursor, WORKS_PER_PAGE + 1).await?, cursor.is_none(), false)
        }
        WorksAfter::MostCited(cursor) => {
            (rows::most_cited_works(db, kind, id, cursor, WORKS_PER_PAGE + 1).await?, cursor.is_none(), true)
        }
    };
    let works = page(rows, is_first, most_cited_first);
    let leading = rows::leading_researchers(db, kind, id, LEADING).await?;
    let key = match kind {
        SubjectKind::Topic => NodeKey::Topic(id),
        SubjectKind::Institution => NodeKey::Institution(id),
    };
    let slice = graph::find(db, &key, &[], graph::INLINE_REACH).await?;
    drop(conn);
    let graph = graph::laid_out(primary, slice.unwrap_or_default()).await?;
    let SubjectAbout { kind, link, hierarchy, source, source_key, institution, counts, related } = about;
    Ok(Some(Subject {
        kind,
        id,
        path: link.href,
        name: link.name,
        hierarchy,
        source,
        source_key,
        institution,
        counts,
        works,
        most_cited_first,
        leading,
        related,
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

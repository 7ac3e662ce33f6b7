//! What a citation of a work needs: its fields and its authors as printed, in byline order; for
//! one work, or for every work on a record (hidden works left out), newest first.

use crate::domain::cite::CiteWork;
use crate::error::AppError;
use crate::model::works::Work;
use sqlx::PgConnection;

#[derive(sqlx::FromRow)]
struct CiteRow {
    slug: String,
    title: String,
    authors: Vec<String>,
    year: Option<i32>,
    work_type: String,
    venue: Option<String>,
    doi: Option<String>,
    arxiv_id: Option<String>,
    #[sqlx(rename = "abstract")]
    abstract_text: Option<String>,
}

impl CiteRow {
    fn cite(self, site_url: &str) -> CiteWork {
        CiteWork {
            url: format!("{site_url}/works/{}", self.slug),
            title: self.title,
            authors: self.authors,
            year: self.year,
            work_type: self.work_type,
            venue: self.venue,
            // Every arXiv paper has a DataCite DOI of this form.
            doi: self.doi.or_else(|| self.arxiv_id.as_ref().map(|id| format!("10.48550/arXiv.{id}"))),
            arxiv_id: self.arxiv_id,
            abstract_text: self.abstract_text,
        }
    }
}

/// A work already read for its page, ready to cite (the same fields as `work` reads).
pub fn of_work(work: &Work, site_url: &str) -> CiteWork {
    CiteRow {
        slug: work.summary.slug.clone(),
        title: work.summary.title.clone(),
        authors: work.authors.iter().map(|a| a.printed.clone()).collect(),
        year: work.summary.year,
        work_type: work.summary.work_type.clone(),
        venue: work.summary.venue.clone(),
        doi: work.doi.clone(),
        arxiv_id: work.arxiv_id.clone(),
        abstract_text: work.summary.abstract_text.clone(),
    }
    .cite(site_url)
}

const COLUMNS: &str = "w.slug, w.title, w.year, w.work_type, w.venue, w.doi, w.arxiv_id, w.abstract,
    coalesce((SELECT array_agg(coalesce(nullif(s.raw_name, ''), a.display_name) ORDER BY s.position)
              FROM authorships s JOIN authors a ON a.id = s.author_id WHERE s.work_id = w.id), '{}') AS authors";

/// The work at `slug`, ready to cite.
pub async fn work(db: &mut PgConnection, slug: &str, site_url: &str) -> Result<Option<CiteWork>, AppError> {
    let row: Option<CiteRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM works w WHERE w.slug = $1"))
        .bind(slug)
        .fetch_optional(&mut *db)
        .await?;
    Ok(row.map(|r| r.cite(site_url)))
}

/// Every work on the record at `slug` (hidden ones left out), newest first; `None` when there
/// is no such record.
pub async fn record(db: &mut PgConnection, slug: &str, site_url: &str) -> Result<Option<Vec<CiteWork>>, AppError> {
    let Some(author_id) = sqlx::query_scalar::<_, i64>("SELECT id FROM authors WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *db)
        .await?
    else {
        return Ok(None);
    };
    let rows: Vec<CiteRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM works w
         JOIN (SELECT DISTINCT work_id, sort_date FROM record_authorships WHERE author_id = $1) r ON r.work_id = w.id
         ORDER BY r.sort_date DESC, w.id DESC"
    ))
    .bind(author_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(Some(rows.into_iter().map(|r| r.cite(site_url)).collect()))
}

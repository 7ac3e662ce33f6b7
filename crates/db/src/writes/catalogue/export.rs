//! The catalogue read back for an export, a page of works at a time (keyset over `works.id`), with
//! their bylines, the institutions of each authorship and their topics: four queries a page.

use sqlx::{FromRow, PgConnection};

/// A stored work: its id and the fields an importer writes (one field list, `WorkFields`).
#[derive(Debug, FromRow)]
pub struct ExportWork {
    pub id: i64,
    #[sqlx(flatten)]
    pub fields: super::works::WorkFields,
}

#[derive(Debug, FromRow)]
pub struct ExportAuthorship {
    pub work_id: i64,
    pub position: i16,
    pub author_id: i64,
    pub openalex_id: Option<String>,
    pub display_name: String,
    pub orcid: Option<String>,
    pub raw_name: String,
}

#[derive(Debug, FromRow)]
pub struct ExportInstitution {
    pub work_id: i64,
    pub position: i16,
    pub openalex_id: String,
    pub display_name: String,
    pub ror: Option<String>,
    pub country_code: Option<String>,
    pub kind: Option<String>,
    pub homepage_url: Option<String>,
}

#[derive(Debug, FromRow)]
pub struct ExportTopic {
    pub work_id: i64,
    pub topic_id: i64,
    pub source: String,
    pub source_key: String,
    pub display_name: String,
    pub score: Option<f32>,
}

/// Up to `limit` works after the work `after` in id order, with their parts, each list ordered
/// by work (then position).
#[derive(Debug, Default)]
pub struct ExportPage {
    pub works: Vec<ExportWork>,
    pub authorships: Vec<ExportAuthorship>,
    pub institutions: Vec<ExportInstitution>,
    pub topics: Vec<ExportTopic>,
}

pub async fn export_page(conn: &mut PgConnection, after: i64, limit: i64) -> Result<ExportPage, sqlx::Error> {
    let works: Vec<ExportWork> = sqlx::query_as(
        "SELECT id, source, title, abstract, work_type, year, published_on, venue, is_open_access, cited_by_count,
                arxiv_id, openalex_id, doi
         FROM works WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let (Some(first), Some(last)) = (works.first().map(|w| w.id), works.last().map(|w| w.id)) else {
        return Ok(ExportPage::default());
    };
    let authorships = sqlx::query_as(
        "SELECT s.work_id, s.position, s.author_id, a.openalex_id, a.display_name, a.orcid, s.raw_name
         FROM authorships s JOIN authors a ON a.id = s.author_id
         WHERE s.work_id BETWEEN $1 AND $2 ORDER BY s.work_id, s.position",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let institutions = sqlx::query_as(
        "SELECT ai.work_id, ai.position, i.openalex_id, i.display_name, i.ror, i.country_code, i.kind, i.homepage_url
         FROM authorship_institutions ai JOIN institutions i ON i.id = ai.institution_id
         WHERE ai.work_id BETWEEN $1 AND $2 ORDER BY ai.work_id, ai.position, i.openalex_id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let topics = sqlx::query_as(
        "SELECT wt.work_id, wt.topic_id, t.source, t.source_key, t.display_name, wt.score
         FROM work_topics wt JOIN topics t ON t.id = wt.topic_id
         WHERE wt.work_id BETWEEN $1 AND $2 ORDER BY wt.work_id, wt.score DESC NULLS LAST, t.id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ExportPage { works, authorships, institutions, topics })
}

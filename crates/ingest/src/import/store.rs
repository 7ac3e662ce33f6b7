//! Writes one checked record with the record-by-record upserts: the path of authors and
//! institutions files, of the works a batch merge defers (one first imported from another source),
//! and of a batch whose merge the database refused (so the refused record is found and reported).

use super::openalex::AuthorEntry;
use crate::domain::names;
use db::writes::catalogue::{self, AuthorRecord, Change, InstitutionRecord, WorkRecord};
use sqlx::PgConnection;

async fn store_institution_ref(
    conn: &mut PgConnection,
    inst: &InstitutionRecord,
    full: bool,
) -> Result<(i64, Change), sqlx::Error> {
    let (id, change) = catalogue::upsert_institution(conn, &inst.fields(), full).await?;
    if let Some(domain) = &inst.domain {
        catalogue::add_institution_domain(&mut *conn, id, domain).await?;
    }
    Ok((id, change))
}

async fn store_author_ref(conn: &mut PgConnection, author: &AuthorRecord) -> Result<(i64, Change), sqlx::Error> {
    let (author_id, mut change) = catalogue::upsert_author(conn, &author.identity()).await?;
    if let Some(orcid) = author.orcid.as_deref() {
        change = change.and(catalogue::link_by_orcid(conn, orcid).await?);
    }
    Ok((author_id, change))
}

/// A work with its byline and topics. A work first imported from another source keeps that
/// source's byline: arXiv leaves it alone; OpenAlex links each arXiv author to the OpenAlex author
/// printed at the same position under the same name, and gives the authorship its institutions.
pub(super) async fn store_work(conn: &mut PgConnection, record: &WorkRecord) -> Result<Change, sqlx::Error> {
    let (work_id, mut change, from_other_source) = catalogue::upsert_work(conn, &record.fields, &record.slug).await?;
    let openalex = record.fields.source == "openalex";
    if openalex || !from_other_source {
        let mut byline = Vec::with_capacity(record.byline.len());
        for entry in &record.byline {
            let (author_id, author_change) = store_author_ref(conn, &entry.author).await?;
            change = change.and(author_change);
            let mut institutions = Vec::new();
            for inst in &entry.institutions {
                let (inst_id, inst_change) = store_institution_ref(conn, inst, false).await?;
                change = change.and(inst_change);
                if !institutions.contains(&inst_id) {
                    institutions.push(inst_id);
                }
            }
            byline.push((author_id, entry, institutions));
        }
        if from_other_source {
            let stored = catalogue::byline(conn, work_id).await?;
            for ((position, arxiv_author, key), (oa_author, entry, institutions)) in stored.iter().zip(&byline) {
                if *key == names::name_key(&entry.printed) {
                    let orcid = entry.author.orcid.as_deref();
                    change = change.and(catalogue::adopt_orcid(conn, *arxiv_author, orcid, *oa_author).await?);
                    if let Some(orcid) = orcid {
                        change = change.and(catalogue::link_by_orcid(conn, orcid).await?);
                    }
                    change = change
                        .and(catalogue::set_authorship_institutions(conn, work_id, *position, institutions).await?);
                }
            }
        } else {
            let authors: Vec<(i64, String)> = byline.iter().map(|(id, e, _)| (*id, e.printed.clone())).collect();
            change = change.and(catalogue::set_authorships(conn, work_id, &authors).await?);
            if openalex {
                for (index, (_, _, institutions)) in byline.iter().enumerate() {
                    let position = i16::try_from(index + 1).unwrap_or(i16::MAX);
                    change = change
                        .and(catalogue::set_authorship_institutions(conn, work_id, position, institutions).await?);
                }
            }
        }
    }
    let mut topic_ids = Vec::with_capacity(record.topics.len());
    for topic in &record.topics {
        let id = catalogue::upsert_topic(conn, record.topic_source, &topic.key, &topic.name).await?;
        if let Some(hierarchy) = &topic.hierarchy {
            catalogue::set_topic_hierarchy(conn, id, hierarchy).await?;
        }
        topic_ids.push((id, topic.score));
    }
    change = change.and(catalogue::set_work_topics(conn, work_id, record.topic_source, &topic_ids).await?);
    Ok(change)
}

/// An OpenAlex author with its affiliations and topics.
pub(super) async fn store_author(conn: &mut PgConnection, entry: &AuthorEntry) -> Result<Change, sqlx::Error> {
    let (author_id, mut change) = store_author_ref(conn, &entry.author).await?;
    let mut rows: Vec<(i64, Option<i32>, bool)> = Vec::with_capacity(entry.affiliations.len());
    for (inst, last_year, last_known) in &entry.affiliations {
        let (inst_id, inst_change) = store_institution_ref(conn, inst, false).await?;
        change = change.and(inst_change);
        if !rows.iter().any(|r| r.0 == inst_id) {
            rows.push((inst_id, *last_year, *last_known));
        }
    }
    change = change.and(catalogue::set_affiliations(conn, author_id, &rows).await?);
    let mut topics: Vec<(i64, Option<i32>)> = Vec::with_capacity(entry.topics.len());
    for topic in &entry.topics {
        let stored = catalogue::upsert_topic(conn, "openalex", &topic.key, &topic.name).await?;
        if let Some(hierarchy) = &topic.hierarchy {
            catalogue::set_topic_hierarchy(conn, stored, hierarchy).await?;
        }
        if !topics.iter().any(|(t, _)| *t == stored) {
            topics.push((stored, topic.works));
        }
    }
    change = change.and(catalogue::set_author_topics(conn, author_id, &topics).await?);
    catalogue::set_source_figures(conn, author_id, &entry.figures).await?;
    Ok(change)
}

/// An OpenAlex institution from an institutions file: it overwrites what a byline said of it.
pub(super) async fn store_institution(
    conn: &mut PgConnection,
    inst: &InstitutionRecord,
) -> Result<Change, sqlx::Error> {
    Ok(store_institution_ref(conn, inst, true).await?.1)
}

//! Institutions and topics, and the topics of a work.

use super::Change;
use sqlx::PgConnection;

/// An institution as OpenAlex describes it; `full` records (from the institutions file) overwrite,
/// stubs (from a byline) only create.
#[derive(Debug, Clone)]
pub struct InstitutionFields<'a> {
    pub openalex_id: &'a str,
    pub ror: Option<&'a str>,
    pub display_name: &'a str,
    pub country_code: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub homepage_url: Option<&'a str>,
}

pub async fn upsert_institution(
    conn: &mut PgConnection,
    inst: &InstitutionFields<'_>,
    full: bool,
) -> Result<(i64, Change), sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO institutions (openalex_id, ror, display_name, country_code, kind, homepage_url)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (openalex_id) DO NOTHING
         RETURNING id",
    )
    .bind(inst.openalex_id)
    .bind(inst.ror)
    .bind(inst.display_name)
    .bind(inst.country_code)
    .bind(inst.kind)
    .bind(inst.homepage_url)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, Change::Created));
    }
    if full {
        let updated: Option<i64> = sqlx::query_scalar(
            "UPDATE institutions
             SET ror = $2, display_name = $3, country_code = $4, kind = $5, homepage_url = $6, updated_at = now()
             WHERE openalex_id = $1
               AND (ror, display_name, country_code, kind, homepage_url)
                   IS DISTINCT FROM ($2, $3, $4, $5, $6)
             RETURNING id",
        )
        .bind(inst.openalex_id)
        .bind(inst.ror)
        .bind(inst.display_name)
        .bind(inst.country_code)
        .bind(inst.kind)
        .bind(inst.homepage_url)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = updated {
            return Ok((id, Change::Updated));
        }
    }
    let id = sqlx::query_scalar("SELECT id FROM institutions WHERE openalex_id = $1")
        .bind(inst.openalex_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((id, Change::Unchanged))
}

pub async fn upsert_topic(conn: &mut PgConnection, source: &str, key: &str, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "WITH inserted AS (
             INSERT INTO topics (source, source_key, display_name) VALUES ($1, $2, $3)
             ON CONFLICT (source, source_key) DO NOTHING RETURNING id)
         SELECT id FROM inserted
         UNION ALL SELECT id FROM topics WHERE source = $1 AND source_key = $2
         LIMIT 1",
    )
    .bind(source)
    .bind(key)
    .bind(name)
    .fetch_one(&mut *conn)
    .await
}

/// Records OpenAlex's domain, field and subfield above a topic (the topic page's hierarchy).
pub async fn set_topic_hierarchy(conn: &mut PgConnection, id: i64, hierarchy: &[String; 3]) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE topics SET domain = $2, field = $3, subfield = $4
         WHERE id = $1 AND (domain, field, subfield) IS DISTINCT FROM ($2, $3, $4)",
    )
    .bind(id)
    .bind(&hierarchy[0])
    .bind(&hierarchy[1])
    .bind(&hierarchy[2])
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the topics of a work from one source with `topics` (topic id, score).
pub async fn set_work_topics(
    conn: &mut PgConnection,
    work_id: i64,
    source: &str,
    topics: &[(i64, Option<f32>)],
) -> Result<Change, sqlx::Error> {
    let ids: Vec<i64> = topics.iter().map(|(id, _)| *id).collect();
    let scores: Vec<Option<f32>> = topics.iter().map(|(_, s)| *s).collect();
    let removed = sqlx::query(
        "DELETE FROM work_topics wt USING topics t
         WHERE wt.work_id = $1 AND t.id = wt.topic_id AND t.source = $2 AND NOT (wt.topic_id = ANY($3))",
    )
    .bind(work_id)
    .bind(source)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    let written = sqlx::query(
        "INSERT INTO work_topics (work_id, topic_id, score)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::real[])
         ON CONFLICT (work_id, topic_id) DO UPDATE SET score = EXCLUDED.score
            WHERE work_topics.score IS DISTINCT FROM EXCLUDED.score",
    )
    .bind(work_id)
    .bind(&ids)
    .bind(&scores)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(removed.rows_affected() + written.rows_affected() > 0))
}

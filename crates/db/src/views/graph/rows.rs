//! The rows behind a research graph slice: the seeds asked for, then eight batched queries, each
//! over an array of ids (the per-seed ones with a per-seed LIMIT), so the cost is fixed however
//! large the slice is. Ranking them is `domain::graph::assemble`'s job.

use crate::domain::graph::{Link, Neighbour, Neighbourhood, NodeKey, NodeKind, Seed};
use crate::error::AppError;
use sqlx::{FromRow, PgConnection};
use std::collections::HashMap;

#[derive(Debug, FromRow)]
struct SeedRow {
    kind: NodeKind,
    id: i64,
    slug: String,
    label: String,
}

impl SeedRow {
    fn key(&self) -> NodeKey {
        match self.kind {
            NodeKind::Person => NodeKey::Author(self.slug.clone()),
            NodeKind::Work => NodeKey::Work(self.slug.clone()),
            NodeKind::Topic => NodeKey::Topic(self.id),
            NodeKind::Institution => NodeKey::Institution(self.id),
        }
    }
}

/// The keys of `wanted` that exist, in `wanted`'s order, with their ids and labels.
pub async fn seeds(db: &mut PgConnection, wanted: &[NodeKey]) -> Result<Vec<Seed>, AppError> {
    let slugs = |kind: NodeKind| -> Vec<&str> {
        wanted
            .iter()
            .filter_map(|k| match (k, kind) {
                (NodeKey::Author(s), NodeKind::Person) | (NodeKey::Work(s), NodeKind::Work) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    };
    let numbers = |kind: NodeKind| -> Vec<i64> {
        wanted
            .iter()
            .filter_map(|k| match (k, kind) {
                (NodeKey::Topic(id), NodeKind::Topic) | (NodeKey::Institution(id), NodeKind::Institution) => Some(*id),
                _ => None,
            })
            .collect()
    };
    let rows: Vec<SeedRow> = sqlx::query_as(
        "SELECT 'person' AS kind, id, slug, display_name AS label FROM authors WHERE slug = ANY($1)
         UNION ALL SELECT 'work', id, slug, title FROM works WHERE slug = ANY($2)
         UNION ALL SELECT 'topic', id, id::text, display_name FROM topics WHERE id = ANY($3)
         UNION ALL SELECT 'institution', id, id::text, display_name FROM institutions WHERE id = ANY($4)",
    )
    .bind(slugs(NodeKind::Person))
    .bind(slugs(NodeKind::Work))
    .bind(numbers(NodeKind::Topic))
    .bind(numbers(NodeKind::Institution))
    .fetch_all(&mut *db)
    .await?;
    let found: HashMap<NodeKey, (i64, String)> = rows.into_iter().map(|r| (r.key(), (r.id, r.label))).collect();
    Ok(wanted
        .iter()
        .filter_map(|key| found.get(key).map(|(id, label)| Seed { key: key.clone(), id: *id, label: label.clone() }))
        .collect())
}

/// Everything around `seeds`: up to `per_seed` neighbours of each, then the topics,
/// authorships and institutions that link what was found.
pub async fn neighbourhood(db: &mut PgConnection, seeds: Vec<Seed>, per_seed: i64) -> Result<Neighbourhood, AppError> {
    let ids = |kind: NodeKind| Neighbourhood::seed_ids(&seeds, kind);
    let (people, works, topics, institutions) =
        (ids(NodeKind::Person), ids(NodeKind::Work), ids(NodeKind::Topic), ids(NodeKind::Institution));
    let mut hood = Neighbourhood {
        works_of_people: neighbours(db, WORKS_OF_PEOPLE, &people, per_seed).await?,
        coauthors: neighbours(db, COAUTHORS, &people, per_seed).await?,
        authors_of_works: neighbours(db, AUTHORS_OF_WORKS, &works, per_seed).await?,
        works_on_topics: neighbours(db, WORKS_ON_TOPICS, &topics, per_seed).await?,
        people_at_institutions: neighbours(db, PEOPLE_AT_INSTITUTIONS, &institutions, per_seed).await?,
        citing_works: neighbours(db, CITING_WORKS, &works, per_seed).await?,
        cited_works: neighbours(db, CITED_WORKS, &works, per_seed).await?,
        seeds,
        ..Neighbourhood::default()
    };
    let (found_works, found_people) = (hood.work_ids(), hood.person_ids());
    hood.topics = links(db, TOPICS, &found_works, &people).await?;
    hood.authorships = sqlx::query_as(
        "SELECT work_id, author_id FROM record_authorships WHERE work_id = ANY($1) AND author_id = ANY($2)",
    )
    .bind(&found_works)
    .bind(&found_people)
    .fetch_all(&mut *db)
    .await?;
    hood.institutions = links(db, INSTITUTIONS, &found_people, &found_works).await?;
    hood.citations = sqlx::query_as(
        "SELECT citing_work_id AS citing_id, cited_work_id AS cited_id FROM citations
         WHERE citing_work_id = ANY($1) AND cited_work_id = ANY($1)",
    )
    .bind(&found_works)
    .fetch_all(&mut *db)
    .await?;
    Ok(hood)
}

/// Researchers' works, newest first.
const WORKS_OF_PEOPLE: &str = "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT w.id, w.slug, w.title
         FROM (SELECT DISTINCT ON (s.sort_date, s.work_id) s.work_id, s.sort_date FROM record_authorships s
               WHERE s.author_id = seed.id ORDER BY s.sort_date DESC, s.work_id DESC LIMIT $2) s
         JOIN works w ON w.id = s.work_id
         ORDER BY s.sort_date DESC, s.work_id DESC) w";

/// Researchers' co-authors, by shared works (the closest, kept in `coauthors`).
const COAUTHORS: &str = "SELECT seed.id AS seed, c.id, c.slug, c.display_name AS label, c.shared AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT a.id, a.slug, a.display_name, c.shared_works::bigint AS shared
         FROM coauthors c JOIN authors a ON a.id = c.coauthor_id
         WHERE c.author_id = seed.id
         ORDER BY c.shared_works DESC, c.last_shared DESC, a.display_name
         LIMIT $2) c";

/// Works' authors, in byline order.
const AUTHORS_OF_WORKS: &str =
    "SELECT seed.id AS seed, a.id, a.slug, a.display_name AS label, a.position::bigint AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT a.id, a.slug, a.display_name, s.position FROM authorships s JOIN authors a ON a.id = s.author_id
         WHERE s.work_id = seed.id ORDER BY s.position LIMIT $2) a";

/// Topics' newest works.
const WORKS_ON_TOPICS: &str = "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT w.id, w.slug, w.title FROM work_topics wt JOIN works w ON w.id = wt.work_id
         WHERE wt.topic_id = seed.id ORDER BY wt.sort_date DESC, wt.work_id DESC LIMIT $2) w";

/// Institutions' researchers, by works there.
const PEOPLE_AT_INSTITUTIONS: &str = "SELECT seed.id AS seed, a.id, a.slug, a.display_name AS label, a.works AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT a.id, a.slug, a.display_name, count(x.work_id) AS works FROM (
             SELECT author_id, NULL::bigint AS work_id FROM affiliations WHERE institution_id = seed.id
             UNION ALL
             SELECT s.author_id, s.work_id FROM authorship_institutions ai
             JOIN record_authorships s ON s.work_id = ai.work_id AND s.position = ai.position
             WHERE ai.institution_id = seed.id) x
         JOIN authors a ON a.id = x.author_id
         GROUP BY a.id ORDER BY works DESC, a.display_name LIMIT $2) a";

/// Works citing the seed works, newest first.
const CITING_WORKS: &str = "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT w.id, w.slug, w.title FROM citations c JOIN works w ON w.id = c.citing_work_id
         WHERE c.cited_work_id = seed.id ORDER BY c.citing_sort_date DESC, c.citing_work_id DESC LIMIT $2) w";

/// Works in the catalogue the seed works cite, newest first.
const CITED_WORKS: &str = "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
     FROM unnest($1::bigint[]) AS seed(id)
     CROSS JOIN LATERAL (
         SELECT w.id, w.slug, w.title FROM citations c JOIN works w ON w.id = c.cited_work_id
         WHERE c.citing_work_id = seed.id ORDER BY w.sort_date DESC, w.id DESC LIMIT $2) w";

/// Topics of the works found ($1), and of the researchers expanded ($2).
const TOPICS: &str = "SELECT wt.work_id AS from_id, t.id, t.display_name AS label, 1::bigint AS weight, 'work' AS side
     FROM work_topics wt JOIN topics t ON t.id = wt.topic_id WHERE wt.work_id = ANY($1)
     UNION ALL
     SELECT at.author_id, t.id, t.display_name, coalesce(at.work_count, 1)::bigint, 'person'
     FROM author_topics at JOIN topics t ON t.id = at.topic_id WHERE at.author_id = ANY($2)
     ORDER BY 5, 1, 2";

/// Institutions of the researchers found ($1): declared, then on the works found ($2).
const INSTITUTIONS: &str =
    "SELECT f.author_id AS from_id, i.id, i.display_name AS label, 1::bigint AS weight, 'person' AS side
     FROM affiliations f JOIN institutions i ON i.id = f.institution_id WHERE f.author_id = ANY($1)
     UNION ALL
     SELECT s.author_id, i.id, i.display_name, count(*), 'person'
     FROM record_authorships s
     JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
     JOIN institutions i ON i.id = ai.institution_id
     WHERE s.author_id = ANY($1) AND s.work_id = ANY($2)
     GROUP BY s.author_id, i.id
     ORDER BY 1, 2";

async fn neighbours(
    db: &mut PgConnection,
    sql: &str,
    seeds: &[i64],
    per_seed: i64,
) -> Result<Vec<Neighbour>, AppError> {
    if seeds.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(sql).bind(seeds).bind(per_seed).fetch_all(&mut *db).await.map_err(AppError::from)
}

async fn links(db: &mut PgConnection, sql: &str, first: &[i64], second: &[i64]) -> Result<Vec<Link>, AppError> {
    sqlx::query_as(sql).bind(first).bind(second).fetch_all(&mut *db).await.map_err(AppError::from)
}

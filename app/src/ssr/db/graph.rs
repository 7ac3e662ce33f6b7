//! The research graph slice around a focus (and any expanded nodes): nine batched queries, each
//! over an array of ids with a per-seed LIMIT, so the cost is fixed however large the slice is.

use super::map_sqlx;
use crate::domain::graph::{EdgeKind, GraphSlice, NodeKey, NodeKind, SliceBuilder, EXPLORER_NODES, INLINE_NODES};
use crate::error::AppError;
use sqlx::{FromRow, PgConnection};
use std::collections::HashMap;

/// How far a slice reaches: neighbours fetched per seed, and nodes kept in all.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    pub per_seed: i64,
    pub max_nodes: usize,
}

/// A profile's or a work page's inline graph.
pub const INLINE_REACH: Reach = Reach { per_seed: 30, max_nodes: INLINE_NODES };
/// The explorer: more per seed, bounded in all.
pub const EXPLORER_REACH: Reach = Reach { per_seed: 60, max_nodes: EXPLORER_NODES };

#[derive(Debug, FromRow)]
struct SeedRow {
    kind: String,
    id: i64,
    slug: String,
    label: String,
}

#[derive(Debug, FromRow)]
struct NeighbourRow {
    seed: i64,
    id: i64,
    slug: String,
    label: String,
    weight: i64,
}

#[derive(Debug, FromRow)]
struct LinkRow {
    /// `w` when `from_id` is a work, `a` when it is a researcher.
    side: String,
    from_id: i64,
    id: i64,
    label: String,
    weight: i64,
}

/// Ids of the seeds of one kind, in seed order.
fn ids(seeds: &[(NodeKey, i64)], kind: NodeKind) -> Vec<i64> {
    seeds.iter().filter(|(k, _)| k.kind() == kind).map(|(_, id)| *id).collect()
}

/// The slice around `focus`, with `expanded` nodes' neighbourhoods merged in; `None` when the
/// focus does not exist (expanded keys that do not exist are skipped).
pub async fn slice(
    db: &mut PgConnection,
    focus: &NodeKey,
    expanded: &[NodeKey],
    reach: Reach,
) -> Result<Option<GraphSlice>, AppError> {
    let wanted: Vec<&NodeKey> = std::iter::once(focus).chain(expanded.iter().filter(|k| *k != focus)).collect();
    let slugs = |kind: NodeKind| -> Vec<String> {
        wanted
            .iter()
            .filter_map(|k| match (k, kind) {
                (NodeKey::Author(s), NodeKind::Person) | (NodeKey::Work(s), NodeKind::Work) => Some(s.clone()),
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
        "SELECT 'a' AS kind, id, slug, display_name AS label FROM authors WHERE slug = ANY($1)
         UNION ALL SELECT 'w', id, slug, title FROM works WHERE slug = ANY($2)
         UNION ALL SELECT 't', id, id::text, display_name FROM topics WHERE id = ANY($3)
         UNION ALL SELECT 'i', id, id::text, display_name FROM institutions WHERE id = ANY($4)",
    )
    .bind(slugs(NodeKind::Person))
    .bind(slugs(NodeKind::Work))
    .bind(numbers(NodeKind::Topic))
    .bind(numbers(NodeKind::Institution))
    .fetch_all(&mut *db)
    .await
    .map_err(map_sqlx)?;
    let found: HashMap<NodeKey, (i64, String)> = rows
        .into_iter()
        .map(|r| {
            let key = match r.kind.as_str() {
                "a" => NodeKey::Author(r.slug),
                "w" => NodeKey::Work(r.slug),
                "t" => NodeKey::Topic(r.id),
                _ => NodeKey::Institution(r.id),
            };
            (key, (r.id, r.label))
        })
        .collect();
    if !found.contains_key(focus) {
        return Ok(None);
    }
    let mut b = SliceBuilder::default();
    let mut seeds: Vec<(NodeKey, i64)> = Vec::new();
    let mut expanded_found = Vec::new();
    for key in wanted {
        if let Some((id, label)) = found.get(key) {
            b.seed(key, label);
            seeds.push((key.clone(), *id));
            if key != focus {
                expanded_found.push(key.to_string());
            }
        }
    }
    // Database id → builder index, per kind, for the nodes gathered so far.
    let mut authors: HashMap<i64, usize> = HashMap::new();
    let mut works: HashMap<i64, usize> = HashMap::new();
    for (key, id) in &seeds {
        let i = b.index_of(key).unwrap_or_default();
        match key.kind() {
            NodeKind::Person => authors.insert(*id, i),
            NodeKind::Work => works.insert(*id, i),
            _ => None,
        };
    }
    let seed_index: HashMap<(NodeKind, i64), usize> =
        seeds.iter().map(|(k, id)| ((k.kind(), *id), b.index_of(k).unwrap_or_default())).collect();
    let seed_of = |kind: NodeKind, id: i64| seed_index.get(&(kind, id)).copied().unwrap_or_default();

    // 1. Researchers' works, newest first.
    let author_ids = ids(&seeds, NodeKind::Person);
    for (n, r) in neighbours(
        db,
        "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
         FROM unnest($1::bigint[]) AS seed(id)
         CROSS JOIN LATERAL (
             SELECT w.id, w.slug, w.title FROM authorships s JOIN works w ON w.id = s.work_id
             WHERE s.author_id = seed.id
               AND NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = seed.id AND h.work_id = w.id)
             ORDER BY w.sort_date DESC, w.id DESC
             LIMIT $2) w",
        &author_ids,
        reach.per_seed,
    )
    .await?
    .into_iter()
    .enumerate()
    {
        let i = b.node(&NodeKey::Work(r.slug), &r.label, 20.0 - n as f32 * 0.01);
        b.edge(seed_of(NodeKind::Person, r.seed), i, EdgeKind::Authored, 1);
        works.insert(r.id, i);
    }
    // 2. Researchers' co-authors, by shared works.
    for r in neighbours(
        db,
        "SELECT seed.id AS seed, c.id, c.slug, c.display_name AS label, c.shared AS weight
         FROM unnest($1::bigint[]) AS seed(id)
         CROSS JOIN LATERAL (
             SELECT a.id, a.slug, a.display_name, count(DISTINCT mine.work_id) AS shared
             FROM authorships mine
             JOIN authorships theirs ON theirs.work_id = mine.work_id AND theirs.author_id <> mine.author_id
             JOIN authors a ON a.id = theirs.author_id
             JOIN works w ON w.id = mine.work_id
             WHERE mine.author_id = seed.id
               AND NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = seed.id AND h.work_id = mine.work_id)
             GROUP BY a.id
             ORDER BY shared DESC, max(w.sort_date) DESC, a.display_name
             LIMIT $2) c",
        &author_ids,
        reach.per_seed,
    )
    .await?
    {
        let i = b.node(&NodeKey::Author(r.slug), &r.label, 10.0 + 5.0 * r.weight as f32);
        b.edge(seed_of(NodeKind::Person, r.seed), i, EdgeKind::CoAuthored, r.weight as u32);
        authors.insert(r.id, i);
    }
    // 3. Works' authors, in byline order.
    for r in neighbours(
        db,
        "SELECT seed.id AS seed, a.id, a.slug, a.display_name AS label, a.position::bigint AS weight
         FROM unnest($1::bigint[]) AS seed(id)
         CROSS JOIN LATERAL (
             SELECT a.id, a.slug, a.display_name, s.position FROM authorships s JOIN authors a ON a.id = s.author_id
             WHERE s.work_id = seed.id ORDER BY s.position LIMIT $2) a",
        &ids(&seeds, NodeKind::Work),
        reach.per_seed,
    )
    .await?
    {
        let i = b.node(&NodeKey::Author(r.slug), &r.label, 25.0 - r.weight as f32 * 0.1);
        b.edge(seed_of(NodeKind::Work, r.seed), i, EdgeKind::Authored, 1);
        authors.insert(r.id, i);
    }
    // 4. Topics' newest works.
    for r in neighbours(
        db,
        "SELECT seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
         FROM unnest($1::bigint[]) AS seed(id)
         CROSS JOIN LATERAL (
             SELECT w.id, w.slug, w.title FROM work_topics wt JOIN works w ON w.id = wt.work_id
             WHERE wt.topic_id = seed.id ORDER BY w.sort_date DESC, w.id DESC LIMIT $2) w",
        &ids(&seeds, NodeKind::Topic),
        reach.per_seed,
    )
    .await?
    {
        let i = b.node(&NodeKey::Work(r.slug), &r.label, 15.0);
        b.edge(seed_of(NodeKind::Topic, r.seed), i, EdgeKind::AboutTopic, 1);
        works.insert(r.id, i);
    }
    // 5. Institutions' researchers, by works there.
    for r in neighbours(
        db,
        "SELECT seed.id AS seed, a.id, a.slug, a.display_name AS label, a.works AS weight
         FROM unnest($1::bigint[]) AS seed(id)
         CROSS JOIN LATERAL (
             SELECT a.id, a.slug, a.display_name, count(x.work_id) AS works FROM (
                 SELECT author_id, NULL::bigint AS work_id FROM affiliations WHERE institution_id = seed.id
                 UNION ALL
                 SELECT s.author_id, s.work_id FROM authorship_institutions ai
                 JOIN authorships s ON s.work_id = ai.work_id AND s.position = ai.position
                 WHERE ai.institution_id = seed.id) x
             JOIN authors a ON a.id = x.author_id
             GROUP BY a.id ORDER BY works DESC, a.display_name LIMIT $2) a",
        &ids(&seeds, NodeKind::Institution),
        reach.per_seed,
    )
    .await?
    {
        let i = b.node(&NodeKey::Author(r.slug), &r.label, 10.0 + r.weight as f32);
        b.edge(seed_of(NodeKind::Institution, r.seed), i, EdgeKind::AffiliatedWith, r.weight.max(1) as u32);
        authors.insert(r.id, i);
    }

    let work_ids: Vec<i64> = works.keys().copied().collect();
    let all_author_ids: Vec<i64> = authors.keys().copied().collect();
    // 6. Topics of the works in the slice, and of the researchers expanded.
    for r in links(
        db,
        "SELECT wt.work_id AS from_id, t.id, t.display_name AS label, 1::bigint AS weight, 'w' AS side
         FROM work_topics wt JOIN topics t ON t.id = wt.topic_id WHERE wt.work_id = ANY($1)
         UNION ALL
         SELECT at.author_id, t.id, t.display_name, coalesce(at.work_count, 1)::bigint, 'a'
         FROM author_topics at JOIN topics t ON t.id = at.topic_id WHERE at.author_id = ANY($2)
         ORDER BY 5, 1, 2",
        &work_ids,
        &author_ids,
    )
    .await?
    {
        let from = if r.side == "w" { works.get(&r.from_id) } else { authors.get(&r.from_id) };
        let Some(&from) = from else { continue };
        let i = b.node(&NodeKey::Topic(r.id), &r.label, 2.0);
        b.boost(i, 3.0);
        b.edge(from, i, EdgeKind::AboutTopic, r.weight.max(1) as u32);
    }
    // 7. Who in the slice wrote which work in the slice (links co-authors to shared works).
    let pairs: Vec<(i64, i64)> =
        sqlx::query_as("SELECT work_id, author_id FROM authorships WHERE work_id = ANY($1) AND author_id = ANY($2)")
            .bind(&work_ids)
            .bind(&all_author_ids)
            .fetch_all(&mut *db)
            .await
            .map_err(map_sqlx)?;
    for (work, author) in pairs {
        if let (Some(&w), Some(&a)) = (works.get(&work), authors.get(&author)) {
            b.edge(a, w, EdgeKind::Authored, 1);
            b.boost(a, 1.0);
        }
    }
    // 8. Institutions of the researchers in the slice (declared, then on their works here).
    for r in links(
        db,
        "SELECT f.author_id AS from_id, i.id, i.display_name AS label, 1::bigint AS weight, 'a' AS side
         FROM affiliations f JOIN institutions i ON i.id = f.institution_id WHERE f.author_id = ANY($1)
         UNION ALL
         SELECT s.author_id, i.id, i.display_name, count(*), 'a'
         FROM authorships s
         JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
         JOIN institutions i ON i.id = ai.institution_id
         WHERE s.author_id = ANY($1) AND s.work_id = ANY($2)
         GROUP BY s.author_id, i.id
         ORDER BY 1, 2",
        &all_author_ids,
        &work_ids,
    )
    .await?
    {
        if let Some(&a) = authors.get(&r.from_id) {
            let i = b.node(&NodeKey::Institution(r.id), &r.label, 4.0);
            b.boost(i, r.weight as f32);
            b.edge(a, i, EdgeKind::AffiliatedWith, r.weight.max(1) as u32);
        }
    }
    Ok(Some(b.finish(focus, reach.max_nodes, expanded_found)))
}

async fn neighbours(
    db: &mut PgConnection,
    sql: &str,
    seeds: &[i64],
    per_seed: i64,
) -> Result<Vec<NeighbourRow>, AppError> {
    if seeds.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(sql).bind(seeds).bind(per_seed).fetch_all(&mut *db).await.map_err(map_sqlx)
}

async fn links(db: &mut PgConnection, sql: &str, first: &[i64], second: &[i64]) -> Result<Vec<LinkRow>, AppError> {
    sqlx::query_as(sql).bind(first).bind(second).fetch_all(&mut *db).await.map_err(map_sqlx)
}

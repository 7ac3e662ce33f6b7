//! The rows behind a research graph slice, in one statement: the seeds asked for, then eight
//! batched lists, each over the ids found before it (the per-seed ones with a per-seed LIMIT), so
//! the cost is fixed however large the slice is; with the layout kept for the slice's name.
//! Ranking them is `domain::graph::assemble`'s job.

use crate::domain::graph::{Authorship, Citation, Link, Neighbour, Neighbourhood, NodeKey, NodeKind, Seed};
use crate::error::AppError;
use sqlx::{FromRow, PgConnection};
use std::collections::HashMap;

/// The key of a node as the database names it.
fn key_of(kind: NodeKind, id: i64, slug: String) -> NodeKey {
    match kind {
        NodeKind::Person => NodeKey::Author(slug),
        NodeKind::Work => NodeKey::Work(slug),
        NodeKind::Topic => NodeKey::Topic(id),
        NodeKind::Institution => NodeKey::Institution(id),
    }
}

fn slugs(wanted: &[NodeKey], kind: NodeKind) -> Vec<&str> {
    wanted
        .iter()
        .filter_map(|k| match (k, kind) {
            (NodeKey::Author(s), NodeKind::Person) | (NodeKey::Work(s), NodeKind::Work) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

fn numbers(wanted: &[NodeKey], kind: NodeKind) -> Vec<i64> {
    wanted
        .iter()
        .filter_map(|k| match (k, kind) {
            (NodeKey::Topic(id), NodeKind::Topic) | (NodeKey::Institution(id), NodeKind::Institution) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The seeds found, in `wanted`'s order.
fn in_order(wanted: &[NodeKey], found: impl Iterator<Item = (NodeKey, (i64, String))>) -> Vec<Seed> {
    let found: HashMap<NodeKey, (i64, String)> = found.collect();
    wanted
        .iter()
        .filter_map(|key| found.get(key).map(|(id, label)| Seed { key: key.clone(), id: *id, label: label.clone() }))
        .collect()
}

/// Everything around the keys of `wanted` (the focus first), and the layouts kept under
/// `layouts`' names (the slice's own, and the picture's before its last expansion:
/// `views::graph::named`): the seeds, up to `per_seed` neighbours of each, then the topics,
/// authorships and institutions that link what was found, in one statement. None when the focus
/// does not exist.
pub async fn neighbourhood_of(
    db: &mut PgConnection,
    wanted: &[NodeKey],
    per_seed: i64,
    layouts: (&str, Option<&str>),
) -> Result<Option<(Neighbourhood, Layouts)>, AppError> {
    let row: FoundRow = sqlx::query_as(NEIGHBOURHOOD)
        .bind(slugs(wanted, NodeKind::Person))
        .bind(slugs(wanted, NodeKind::Work))
        .bind(numbers(wanted, NodeKind::Topic))
        .bind(numbers(wanted, NodeKind::Institution))
        .bind(per_seed)
        .bind(layouts.0)
        .bind(layouts.1)
        .fetch_one(&mut *db)
        .await?;
    read(wanted, row)
}

/// The statement `neighbourhood_of` makes, as a subquery of another whose own parameters come
/// first: its seven are numbered from `first` (the persons' slugs, the works' slugs, the topics'
/// and institutions' ids, the reach per seed, the layouts' names: the slice's, the picture's
/// before its last expansion).
pub fn neighbourhood_statement(first: usize) -> String {
    let mut numbered = String::with_capacity(NEIGHBOURHOOD.len());
    let mut rest = NEIGHBOURHOOD;
    while let Some(at) = rest.find('$') {
        numbered.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: usize = rest[..digits].parse().unwrap_or(0);
        numbered.push_str(&(n + first - 1).to_string());
        rest = &rest[digits..];
    }
    numbered.push_str(rest);
    numbered
}

/// The slice's rows as the statement of `neighbourhood_statement` gave them (`row`, read with
/// the other statement's): None when the focus (the first of `wanted`) does not exist.
pub fn read(wanted: &[NodeKey], row: FoundRow) -> Result<Option<(Neighbourhood, Layouts)>, AppError> {
    let mut found = Vec::new();
    for (kind, id, slug, label) in json::<Vec<(String, i64, String, String)>>(&row.seeds)? {
        found.push((key_of(kind_of(&kind)?, id, slug), (id, label)));
    }
    let seeds = in_order(wanted, found.into_iter());
    if seeds.first().is_none_or(|s| Some(&s.key) != wanted.first()) {
        return Ok(None);
    }
    let hood = Neighbourhood {
        seeds,
        works_of_people: neighbours(&row.works_of_people)?,
        coauthors: neighbours(&row.coauthors_of)?,
        authors_of_works: neighbours(&row.authors_of_works)?,
        works_on_topics: neighbours(&row.works_on_topics)?,
        people_at_institutions: neighbours(&row.people_at_institutions)?,
        citing_works: neighbours(&row.citing_works)?,
        cited_works: neighbours(&row.cited_works)?,
        topics: links(&row.topics)?,
        authorships: json::<Vec<(i64, i64)>>(&row.authorships)?
            .into_iter()
            .map(|(work_id, author_id)| Authorship { work_id, author_id })
            .collect(),
        institutions: links(&row.institutions)?,
        citations: json::<Vec<(i64, i64)>>(&row.citation_links)?
            .into_iter()
            .map(|(citing_id, cited_id)| Citation { citing_id, cited_id })
            .collect(),
    };
    let own = row.layout_key.zip(row.positions).map(|(key, positions)| KeptLayout { key, positions });
    let on_screen = match (row.known_keys, row.known_positions) {
        (Some(keys), Some(positions)) if positions.len() == keys.len() * 2 => {
            keys.into_iter().zip(positions.chunks_exact(2).map(|p| [p[0], p[1]])).collect()
        }
        _ => HashMap::new(),
    };
    Ok(Some((hood, Layouts { own, on_screen })))
}

/// A layout kept under a slice's name: the layout key of the slice it was made for, and its
/// positions.
#[derive(Debug, Clone)]
pub struct KeptLayout {
    pub key: Vec<u8>,
    pub positions: Vec<f32>,
}

/// The layouts kept for a slice: its own (if any), and where each node of the picture before its
/// last expansion stands (empty without one).
#[derive(Debug, Default)]
pub struct Layouts {
    pub own: Option<KeptLayout>,
    pub on_screen: HashMap<String, [f32; 2]>,
}

/// The slice's rows, each list as JSON (`neighbourhood_statement`).
#[derive(Debug, FromRow)]
pub struct FoundRow {
    seeds: String,
    works_of_people: String,
    coauthors_of: String,
    authors_of_works: String,
    works_on_topics: String,
    people_at_institutions: String,
    citing_works: String,
    cited_works: String,
    topics: String,
    authorships: String,
    institutions: String,
    citation_links: String,
    layout_key: Option<Vec<u8>>,
    positions: Option<Vec<f32>>,
    known_keys: Option<Vec<String>>,
    known_positions: Option<Vec<f32>>,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|error| {
        tracing::error!(%error, "a graph row did not read");
        AppError::Internal
    })
}

fn neighbours(text: &str) -> Result<Vec<Neighbour>, AppError> {
    Ok(json::<Vec<(i64, i64, String, String, i64)>>(text)?
        .into_iter()
        .map(|(seed, id, slug, label, weight)| Neighbour { seed, id, slug, label, weight })
        .collect())
}

fn links(text: &str) -> Result<Vec<Link>, AppError> {
    json::<Vec<(String, i64, i64, String, i64)>>(text)?
        .into_iter()
        .map(|(side, from_id, id, label, weight)| Ok(Link { side: kind_of(&side)?, from_id, id, label, weight }))
        .collect()
}

/// A kind as the database spells it (`'person'`, `'work'`, ...: its `class`).
fn kind_of(text: &str) -> Result<NodeKind, AppError> {
    NodeKind::ALL.into_iter().find(|k| k.class() == text).ok_or_else(|| {
        tracing::error!(kind = text, "a graph row named no kind of node");
        AppError::Internal
    })
}

/// One list as a JSON array of arrays, in its order ('[]' when empty).
macro_rules! list {
    ($columns:literal, $from:literal, $order:literal) => {
        concat!(
            "(SELECT coalesce(json_agg(json_build_array(",
            $columns,
            ") ORDER BY ",
            $order,
            "), '[]')::text FROM ",
            $from,
            ")"
        )
    };
}

/// The statement behind `neighbourhood_of`: the seeds, the per-seed lists (each neighbour
/// numbered `n` in its seed's order), the works and people found, the lists that link them, and
/// the layout kept under the name. Each list is the same query the graph always made.
const NEIGHBOURHOOD: &str = concat!(
    // The keys asked for that exist (each kind in the order asked), numbered by that order.
    "WITH ",
    "seeds AS MATERIALIZED (
            SELECT 'person' AS kind, a.id, a.slug, a.display_name AS label, u.ord
            FROM unnest($1::text[]) WITH ORDINALITY u(slug, ord) JOIN authors a ON a.slug = u.slug
            UNION ALL SELECT 'work', w.id, w.slug, w.title, u.ord
            FROM unnest($2::text[]) WITH ORDINALITY u(slug, ord) JOIN works w ON w.slug = u.slug
            UNION ALL SELECT 'topic', t.id, t.id::text, t.display_name, u.ord
            FROM unnest($3::bigint[]) WITH ORDINALITY u(id, ord) JOIN topics t ON t.id = u.id
            UNION ALL SELECT 'institution', i.id, i.id::text, i.display_name, u.ord
            FROM unnest($4::bigint[]) WITH ORDINALITY u(id, ord) JOIN institutions i ON i.id = u.id)",
    ",
    people AS (SELECT id, ord FROM seeds WHERE kind = 'person'),
    work_seeds AS (SELECT id, ord FROM seeds WHERE kind = 'work'),
    topic_seeds AS (SELECT id, ord FROM seeds WHERE kind = 'topic'),
    institution_seeds AS (SELECT id, ord FROM seeds WHERE kind = 'institution'),
    works_of_people AS MATERIALIZED (
        SELECT seed.ord, w.n, seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
        FROM people seed
        CROSS JOIN LATERAL (
            SELECT w.id, w.slug, w.title, row_number() OVER (ORDER BY s.sort_date DESC, s.work_id DESC) AS n
            FROM (SELECT DISTINCT ON (s.sort_date, s.work_id) s.work_id, s.sort_date FROM record_authorships s
                  WHERE s.author_id = seed.id ORDER BY s.sort_date DESC, s.work_id DESC LIMIT $5) s
            JOIN works w ON w.id = s.work_id) w),
    coauthors_of AS MATERIALIZED (
        SELECT seed.ord, c.n, seed.id AS seed, c.id, c.slug, c.display_name AS label, c.shared AS weight
        FROM people seed
        CROSS JOIN LATERAL (
            SELECT a.id, a.slug, a.display_name, c.shared_works::bigint AS shared,
                   row_number() OVER (ORDER BY c.shared_works DESC, c.last_shared DESC, a.display_name) AS n
            FROM coauthors c JOIN authors a ON a.id = c.coauthor_id
            WHERE c.author_id = seed.id
            ORDER BY c.shared_works DESC, c.last_shared DESC, a.display_name
            LIMIT $5) c),
    authors_of_works AS MATERIALIZED (
        SELECT seed.ord, a.position AS n, seed.id AS seed, a.id, a.slug, a.display_name AS label,
               a.position::bigint AS weight
        FROM work_seeds seed
        CROSS JOIN LATERAL (
            SELECT a.id, a.slug, a.display_name, s.position FROM authorships s JOIN authors a ON a.id = s.author_id
            WHERE s.work_id = seed.id ORDER BY s.position LIMIT $5) a),
    works_on_topics AS MATERIALIZED (
        SELECT seed.ord, w.n, seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
        FROM topic_seeds seed
        CROSS JOIN LATERAL (
            SELECT w.id, w.slug, w.title, row_number() OVER (ORDER BY wt.sort_date DESC, wt.work_id DESC) AS n
            FROM (SELECT wt.work_id, wt.sort_date FROM work_topics wt WHERE wt.topic_id = seed.id
                  ORDER BY wt.sort_date DESC, wt.work_id DESC LIMIT $5) wt
            JOIN works w ON w.id = wt.work_id) w),
    people_at_institutions AS MATERIALIZED (
        SELECT seed.ord, a.n, seed.id AS seed, a.id, a.slug, a.display_name AS label, a.works AS weight
        FROM institution_seeds seed
        CROSS JOIN LATERAL (
            SELECT a.id, a.slug, a.display_name, count(x.work_id) AS works,
                   row_number() OVER (ORDER BY count(x.work_id) DESC, a.display_name) AS n
            FROM (
                SELECT author_id, NULL::bigint AS work_id FROM affiliations WHERE institution_id = seed.id
                UNION ALL
                SELECT s.author_id, s.work_id FROM authorship_institutions ai
                JOIN record_authorships s ON s.work_id = ai.work_id AND s.position = ai.position
                WHERE ai.institution_id = seed.id) x
            JOIN authors a ON a.id = x.author_id
            GROUP BY a.id ORDER BY works DESC, a.display_name LIMIT $5) a),
    citing_works AS MATERIALIZED (
        SELECT seed.ord, w.n, seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
        FROM work_seeds seed
        CROSS JOIN LATERAL (
            SELECT w.id, w.slug, w.title,
                   row_number() OVER (ORDER BY c.citing_sort_date DESC, c.citing_work_id DESC) AS n
            FROM (SELECT c.citing_work_id, c.citing_sort_date FROM citations c WHERE c.cited_work_id = seed.id
                  ORDER BY c.citing_sort_date DESC, c.citing_work_id DESC LIMIT $5) c
            JOIN works w ON w.id = c.citing_work_id) w),
    cited_works AS MATERIALIZED (
        SELECT seed.ord, w.n, seed.id AS seed, w.id, w.slug, w.title AS label, 1::bigint AS weight
        FROM work_seeds seed
        CROSS JOIN LATERAL (
            SELECT w.id, w.slug, w.title, row_number() OVER (ORDER BY w.sort_date DESC, w.id DESC) AS n
            FROM citations c JOIN works w ON w.id = c.cited_work_id
            WHERE c.citing_work_id = seed.id ORDER BY w.sort_date DESC, w.id DESC LIMIT $5) w),
    found AS MATERIALIZED (
        SELECT (SELECT coalesce(array_agg(DISTINCT id), '{}') FROM (
                    SELECT id FROM work_seeds UNION ALL SELECT id FROM works_of_people
                    UNION ALL SELECT id FROM works_on_topics UNION ALL SELECT id FROM citing_works
                    UNION ALL SELECT id FROM cited_works) f) AS works,
               (SELECT coalesce(array_agg(DISTINCT id), '{}') FROM (
                    SELECT id FROM people UNION ALL SELECT id FROM coauthors_of
                    UNION ALL SELECT id FROM authors_of_works UNION ALL SELECT id FROM people_at_institutions) f)
                   AS people,
               (SELECT coalesce(array_agg(id), '{}') FROM people) AS seed_people),
    topics_of AS MATERIALIZED (
        SELECT 'work' AS side, wt.work_id AS from_id, t.id, t.display_name AS label, 1::bigint AS weight
        FROM found, work_topics wt JOIN topics t ON t.id = wt.topic_id WHERE wt.work_id = ANY(found.works)
        UNION ALL
        SELECT 'person', at.author_id, t.id, t.display_name, coalesce(at.work_count, 1)::bigint
        FROM found, author_topics at JOIN topics t ON t.id = at.topic_id WHERE at.author_id = ANY(found.seed_people)),
    authorships_of AS MATERIALIZED (
        SELECT s.work_id, s.author_id FROM found, record_authorships s
        WHERE s.work_id = ANY(found.works) AND s.author_id = ANY(found.people)),
    institutions_of AS MATERIALIZED (
        SELECT 'person' AS side, f.author_id AS from_id, i.id, i.display_name AS label, 1::bigint AS weight
        FROM found, affiliations f JOIN institutions i ON i.id = f.institution_id WHERE f.author_id = ANY(found.people)
        UNION ALL
        SELECT 'person', s.author_id, i.id, i.display_name, count(*)
        FROM found, record_authorships s
        JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
        JOIN institutions i ON i.id = ai.institution_id
        WHERE s.author_id = ANY(found.people) AND s.work_id = ANY(found.works)
        GROUP BY s.author_id, i.id),
    citations_of AS MATERIALIZED (
        SELECT c.citing_work_id, c.cited_work_id FROM found, citations c
        WHERE c.citing_work_id = ANY(found.works) AND c.cited_work_id = ANY(found.works))
    SELECT ",
    list!("kind, id, slug, label", "seeds", "ord"),
    " AS seeds, ",
    list!("seed, id, slug, label, weight", "works_of_people", "ord, n"),
    " AS works_of_people, ",
    list!("seed, id, slug, label, weight", "coauthors_of", "ord, n"),
    " AS coauthors_of, ",
    list!("seed, id, slug, label, weight", "authors_of_works", "ord, n"),
    " AS authors_of_works, ",
    list!("seed, id, slug, label, weight", "works_on_topics", "ord, n"),
    " AS works_on_topics, ",
    list!("seed, id, slug, label, weight", "people_at_institutions", "ord, n"),
    " AS people_at_institutions, ",
    list!("seed, id, slug, label, weight", "citing_works", "ord, n"),
    " AS citing_works, ",
    list!("seed, id, slug, label, weight", "cited_works", "ord, n"),
    " AS cited_works, ",
    list!("side, from_id, id, label, weight", "topics_of", "side, from_id, id"),
    " AS topics, ",
    list!("work_id, author_id", "authorships_of", "work_id, author_id"),
    " AS authorships, ",
    list!("side, from_id, id, label, weight", "institutions_of", "from_id, id"),
    " AS institutions, ",
    list!("citing_work_id, cited_work_id", "citations_of", "citing_work_id, cited_work_id"),
    " AS citation_links,
    (SELECT layout_key FROM named_layouts WHERE name = $6) AS layout_key,
    (SELECT positions FROM named_layouts WHERE name = $6) AS positions,
    (SELECT keys FROM named_layouts WHERE name = $7) AS known_keys,
    (SELECT positions FROM named_layouts WHERE name = $7) AS known_positions"
);

//! Collaborator suggestions, ranked ahead of any view: each record's candidates (`suggestions`,
//! computed by `domain::suggest` over the neighbourhood `load` reads from `coauthors`,
//! `author_stats`, `author_topic_profiles` and `subject_top_authors`), re-ranked for the records
//! marked stale, or all at once each day and after a bulk load.

mod load;
pub use load::{neighbourhood, topic_fields};

use crate::domain::suggest::{self, Neighbourhood, Scorer, Suggestion};
use load::everyone;
use sqlx::{Connection, PgConnection};
use std::collections::{HashMap, HashSet};

/// The daily full ranking's name in `job_runs` (one run a day across all servers), and its period.
pub const DAILY_JOB: &str = "suggestions";
pub const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Records ranked per transaction.
pub const BATCH: i64 = 200;
/// Others on each of a record's two main topics considered (from `subject_top_authors`, which
/// keeps as many a topic: the migration `suggestion_peers`).
pub const PEERS_PER_TOPIC: i64 = 30;

/// Marks the records whose lists are short (fewer than kept) and that work on one of `topics` or
/// in one of their fields: researchers who arrived there may fill their lists.
pub async fn mark_short_near(conn: &mut PgConnection, topics: &[i64]) -> Result<(), sqlx::Error> {
    if topics.is_empty() {
        return Ok(());
    }
    let fields = topic_fields(conn).await?;
    let mut near: Vec<u16> = topics.iter().flat_map(|t| fields.fields_of(*t)).collect();
    near.sort_unstable();
    near.dedup();
    let mut near = fields.topics_in(&near);
    near.extend_from_slice(topics);
    sqlx::query(
        "INSERT INTO suggestions_dirty (author_id)
         SELECT author_id FROM author_topic_profiles WHERE short_list AND topic_ids && $1
         ON CONFLICT DO NOTHING",
    )
    .bind(&near)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks every record stale.
pub async fn mark_all(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO suggestions_dirty (author_id) SELECT id FROM authors ON CONFLICT DO NOTHING")
        .execute(conn)
        .await?;
    Ok(())
}

/// After a bulk load (whose triggers were off): every record's topic profile from its author
/// topics (a bulk load writes there each record's works per topic, the counts
/// `refresh_topic_profiles` would take), then every record ranked (`rebuild_all`).
pub async fn rebuild_after_bulk_load(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    sqlx::query("TRUNCATE author_topic_profiles, suggestions").execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO author_topic_profiles (author_id, topic_ids, topic_works)
         SELECT author_id, (array_agg(topic_id ORDER BY work_count DESC, topic_id))[1:8],
                (array_agg(work_count ORDER BY work_count DESC, topic_id))[1:8]
         FROM author_topics WHERE work_count > 0 GROUP BY author_id",
    )
    .execute(&mut *conn)
    .await?;
    let ranked = rebuild_all(conn).await?;
    // This is the day's full ranking: the daily job need not run it again on the servers' start.
    if crate::job_runs::claim(&mut *conn, DAILY_JOB, DAY)
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
        .is_some()
    {
        let summary = format!("ranked the suggestions of {ranked} records after a bulk load");
        crate::job_runs::finish(&mut *conn, DAILY_JOB, &summary)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    Ok(ranked)
}

/// Ranked records written per statement.
const WRITE_CHUNK: usize = 5_000;

/// Ranks every record at once: the whole co-authorship graph, topic profiles and topic peers read
/// into memory (a statement per 50,000 records), every record ranked there, the rows written 5,000
/// records a statement. A few minutes at a million records, where the batches of
/// `refresh_marked` (each reading its own neighbourhood) would take most of an hour. Records with
/// more co-authors than the kept ties have every co-author read from their works, 5,000 records
/// at a time, as the batches do. Returns how many records were ranked.
pub async fn rebuild_all(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let hood = everyone(conn).await?;
    let mut ids: Vec<i64> = hood.people.keys().copied().collect();
    ids.sort_unstable();
    let mut excluded = exclusions(conn, None).await?;
    let mut ranked = 0;
    for chunk in ids.chunks(WRITE_CHUNK) {
        exclude_every_co_author(conn, &hood, chunk, &mut excluded).await?;
        let lists = rank_all(&hood, chunk, year, &excluded);
        // A chunk's co-author sets are not read again: memory holds one chunk's at a time.
        for id in chunk {
            excluded.remove(id);
        }
        let mut tx = conn.begin().await?;
        write(&mut tx, chunk, &lists).await?;
        sqlx::query("DELETE FROM suggestions_dirty WHERE author_id = ANY($1)").bind(chunk).execute(&mut *tx).await?;
        tx.commit().await?;
        ranked += chunk.len() as u64;
    }
    Ok(ranked)
}

/// Ranks the marked records, a batch per transaction (batches another process has claimed are
/// skipped). Returns how many were ranked.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let mut total = 0;
    loop {
        let mut tx = conn.begin().await?;
        let ids = super::marks::take(&mut tx, super::marks::Marks::Suggestions, BATCH).await?;
        if ids.is_empty() {
            return Ok(total);
        }
        refresh(&mut tx, &ids, year).await?;
        tx.commit().await?;
        total += ids.len() as u64;
    }
}

/// Ranks `ids` as of `year` and replaces their rows.
pub async fn refresh(conn: &mut PgConnection, ids: &[i64], year: i32) -> Result<(), sqlx::Error> {
    let hood = neighbourhood(conn, ids).await?;
    let mut excluded = exclusions(conn, Some(ids)).await?;
    exclude_every_co_author(conn, &hood, ids, &mut excluded).await?;
    let ranked = rank_all(&hood, ids, year, &excluded);
    write(conn, ids, &ranked).await
}

/// Each of `ids` ranked over `hood`, leaving out whom `excluded` names for it.
fn rank_all(
    hood: &Neighbourhood,
    ids: &[i64],
    year: i32,
    excluded: &HashMap<i64, HashSet<i64>>,
) -> Vec<(i64, Vec<Suggestion>)> {
    let none = HashSet::new();
    ids.iter()
        .map(|&id| (id, suggest::rank(hood, id, year, Scorer::Ours, excluded.get(&id).unwrap_or(&none), suggest::KEPT)))
        .collect()
}

/// Adds to `excluded` every co-author of the records of `ids` that have more co-authors than the
/// kept ties (`hood` knows only those ties, and the others may be reached in two hops): one
/// statement for all of them, through the works they share.
async fn exclude_every_co_author(
    conn: &mut PgConnection,
    hood: &Neighbourhood,
    ids: &[i64],
    excluded: &mut HashMap<i64, HashSet<i64>>,
) -> Result<(), sqlx::Error> {
    let prolific: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| hood.people.get(id).is_some_and(|p| p.degree as usize > p.ties.len()))
        .collect();
    if prolific.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT DISTINCT s.author_id, t.author_id FROM authorships s
         JOIN authorships t ON t.work_id = s.work_id AND t.author_id <> s.author_id
         WHERE s.author_id = ANY($1)",
    )
    .bind(&prolific)
    .fetch_all(conn)
    .await?;
    for (author, co_author) in pairs {
        excluded.entry(author).or_default().insert(co_author);
    }
    Ok(())
}

/// Replaces the rows of `ids` with `ranked`, and records whose lists are short.
pub async fn write(conn: &mut PgConnection, ids: &[i64], ranked: &[(i64, Vec<Suggestion>)]) -> Result<(), sqlx::Error> {
    let mut cols = Columns::default();
    for (author, list) in ranked {
        for (rank, s) in list.iter().enumerate() {
            cols.push(*author, rank, s);
        }
    }
    // A profile shows its first suggestions: its page moves when they change, and only then (the
    // daily ranking would otherwise move every profile every day).
    let before: Vec<ShownRow> = sqlx::query_as(
        "DELETE FROM suggestions WHERE author_id = ANY($1)
         RETURNING author_id, rank, candidate_id, hops, via_ids, topic_ids, field",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut shown: HashMap<i64, Vec<Shown>> = HashMap::new();
    for (author, rank, candidate, hops, via, topics, field) in before {
        if usize::try_from(rank).is_ok_and(|r| r <= ON_PROFILE) {
            shown.entry(author).or_default().push((rank, candidate, hops, via, topics, field));
        }
    }
    let moved: Vec<i64> = ranked
        .iter()
        .filter(|(author, list)| {
            let mut was = shown.remove(author).unwrap_or_default();
            was.sort_unstable();
            let now: Vec<Shown> = list
                .iter()
                .take(ON_PROFILE)
                .enumerate()
                .map(|(i, s)| {
                    let rank = i16::try_from(i + 1).unwrap_or(i16::MAX);
                    (rank, s.candidate, i16::from(s.hops), s.via.clone(), s.topics.clone(), s.field.clone())
                })
                .collect();
            was != now
        })
        .map(|(author, _)| *author)
        .collect();
    sqlx::query(
        "INSERT INTO suggestions (author_id, rank, candidate_id, score, hops, via_ids, topic_ids, field)
         SELECT a, r, c, s, h, array_remove(ARRAY[v1, v2], NULL), array_remove(ARRAY[t1, t2], NULL), f
         FROM unnest($1::bigint[], $2::smallint[], $3::bigint[], $4::real[], $5::smallint[],
                     $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
              AS u(a, r, c, s, h, v1, v2, t1, t2, f)",
    )
    .bind(&cols.author)
    .bind(&cols.rank)
    .bind(&cols.candidate)
    .bind(&cols.score)
    .bind(&cols.hops)
    .bind(&cols.via[0])
    .bind(&cols.via[1])
    .bind(&cols.topic[0])
    .bind(&cols.topic[1])
    .bind(&cols.field)
    .execute(&mut *conn)
    .await?;
    crate::caches::pages::bump_authors(&mut *conn, &moved).await?;
    let kept: HashMap<i64, usize> = ranked.iter().map(|(a, list)| (*a, list.len())).collect();
    let short: Vec<bool> = ids.iter().map(|id| kept.get(id).is_none_or(|n| *n < suggest::KEPT)).collect();
    sqlx::query(
        "UPDATE author_topic_profiles p SET short_list = u.short FROM unnest($1::bigint[], $2::bool[]) AS u(id, short)
         WHERE p.author_id = u.id AND p.short_list <> u.short",
    )
    .bind(ids)
    .bind(&short)
    .execute(conn)
    .await?;
    Ok(())
}

/// A suggestion as a profile shows it (rank, candidate, hops, via, topics, field), to tell whether
/// the first ones changed.
type Shown = (i16, i64, i16, Vec<i64>, Vec<i64>, Option<String>);
type ShownRow = (i64, i16, i64, i16, Vec<i64>, Vec<i64>, Option<String>);
/// Suggestions a profile shows.
const ON_PROFILE: usize = crate::model::suggestions::ON_PROFILE as usize;

/// The rows to insert, a column each (one statement for a whole batch).
#[derive(Default)]
struct Columns {
    author: Vec<i64>,
    rank: Vec<i16>,
    candidate: Vec<i64>,
    score: Vec<f32>,
    hops: Vec<i16>,
    via: [Vec<Option<i64>>; 2],
    topic: [Vec<Option<i64>>; 2],
    field: Vec<Option<String>>,
}

impl Columns {
    fn push(&mut self, author: i64, rank: usize, s: &Suggestion) {
        self.author.push(author);
        self.rank.push(i16::try_from(rank + 1).unwrap_or(i16::MAX));
        self.candidate.push(s.candidate);
        self.score.push(s.score as f32);
        self.hops.push(i16::from(s.hops));
        for i in 0..2 {
            self.via[i].push(s.via.get(i).copied());
            self.topic[i].push(s.topics.get(i).copied());
        }
        self.field.push(s.field.clone());
    }
}

/// Per record (of `ids`, or every record): whom it must not be offered (dismissed, or the same
/// person's other record).
async fn exclusions(conn: &mut PgConnection, ids: Option<&[i64]>) -> Result<HashMap<i64, HashSet<i64>>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT author_id, candidate_id FROM suggestion_dismissals WHERE $1::bigint[] IS NULL OR author_id = ANY($1)
         UNION ALL SELECT id, same_as_id FROM authors
                   WHERE same_as_id IS NOT NULL AND ($1::bigint[] IS NULL OR id = ANY($1))
         UNION ALL SELECT same_as_id, id FROM authors
                   WHERE same_as_id IS NOT NULL AND ($1::bigint[] IS NULL OR same_as_id = ANY($1))",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    let mut excluded: HashMap<i64, HashSet<i64>> = HashMap::new();
    for (author, candidate) in rows {
        excluded.entry(author).or_default().insert(candidate);
    }
    Ok(excluded)
}

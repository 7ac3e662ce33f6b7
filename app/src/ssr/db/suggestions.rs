//! Collaborator suggestions' tables: each record's ranked candidates (`suggestions`, computed by
//! `domain::suggest` over the neighbourhood read from `coauthors`, `author_stats`,
//! `author_topic_profiles` and `subject_top_authors`), the records marked stale, the owners'
//! dismissals, and the rows a page reads.

use crate::domain::suggest::{self, Fields, Neighbourhood, Person, Scorer, Suggestion, Tie};
use crate::domain::topics::TopicPlace;
use crate::error::AppError;
use crate::model::subjects::SubjectLink;
use crate::model::suggestions::{NamedRecord, SuggestionView};
use sqlx::{Connection, PgConnection, PgExecutor};
use std::collections::{HashMap, HashSet};

/// The daily full ranking's name in `job_runs` (one run a day across all servers), and its period.
pub const DAILY_JOB: &str = "suggestions";
pub const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Records ranked per transaction.
pub const BATCH: i64 = 200;
/// Others on each of a record's two main topics considered (from `subject_top_authors`, which
/// keeps as many a topic: the migration `suggestion_peers`).
pub const PEERS_PER_TOPIC: i64 = 30;

/// Marks `ids` and their co-authors stale (what changed around a record moves its co-authors'
/// 2-hop candidates too).
pub async fn mark(conn: &mut PgConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO suggestions_dirty (author_id)
         SELECT unnest($1::bigint[]) UNION SELECT coauthor_id FROM coauthors WHERE author_id = ANY($1)
         ON CONFLICT DO NOTHING",
    )
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(())
}

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
    if super::jobs::claim(&mut *conn, DAILY_JOB, DAY).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?.is_some()
    {
        let summary = format!("ranked the suggestions of {ranked} records after a bulk load");
        super::jobs::finish(&mut *conn, DAILY_JOB, &summary).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    Ok(ranked)
}

/// Records read per statement when the whole catalogue is loaded, and ranked records written per
/// statement.
const LOAD_CHUNK: i64 = 50_000;
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

/// The whole catalogue as `domain::suggest::rank` reads it: every record with its kept ties and
/// topic profile, a statement per 50,000 records, and each record's topic peers.
async fn everyone(conn: &mut PgConnection) -> Result<Neighbourhood, sqlx::Error> {
    let last: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM authors").fetch_one(&mut *conn).await?;
    let mut hood = Neighbourhood::default();
    let mut from = 0;
    while from <= last {
        let to = from + LOAD_CHUNK - 1;
        let stats: Vec<StatsRow> = sqlx::query_as(
            "SELECT a.id, st.coauthors_count, st.last_year, tp.topic_ids, tp.topic_works FROM authors a
             LEFT JOIN author_stats st ON st.author_id = a.id
             LEFT JOIN author_topic_profiles tp ON tp.author_id = a.id
             WHERE a.id BETWEEN $1 AND $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        for (id, degree, last_year, topic_ids, topic_works) in stats {
            let topics = topic_ids
                .unwrap_or_default()
                .into_iter()
                .zip(topic_works.unwrap_or_default().into_iter().map(|w| u32::try_from(w).unwrap_or(0)))
                .collect();
            let degree = degree.and_then(|d| u32::try_from(d).ok()).unwrap_or(0);
            hood.people.insert(id, Person { ties: Vec::new(), degree, topics, last_year });
        }
        let ties: Vec<(i64, i64, i32, i32)> = sqlx::query_as(
            "SELECT author_id, coauthor_id, shared_works, extract(year FROM last_shared)::int FROM coauthors
             WHERE author_id BETWEEN $1 AND $2 ORDER BY author_id, shared_works DESC, last_shared DESC, coauthor_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        for (author, to, shared, last_year) in ties {
            if let Some(person) = hood.people.get_mut(&author) {
                let shared_works = u32::try_from(shared).unwrap_or(0);
                person.ties.push(Tie { to, shared_works, last_year });
            }
        }
        from = to + 1;
    }
    let on_topic: Vec<(i64, Vec<i64>, Vec<i32>)> = sqlx::query_as(
        "SELECT subject_id, (array_agg(author_id ORDER BY works DESC, author_id))[1:$1],
                (array_agg(works ORDER BY works DESC, author_id))[1:$1]
         FROM subject_top_authors WHERE kind = 't' GROUP BY subject_id",
    )
    .bind(PEERS_PER_TOPIC as i32)
    .fetch_all(&mut *conn)
    .await?;
    hood.fields = topic_fields(conn).await?;
    hood.fields.set_peers(on_topic.iter().flat_map(|(topic, ids, works)| {
        ids.iter().zip(works).map(|(peer, works)| (*topic, *peer, u32::try_from(*works).unwrap_or(0)))
    }));
    let on_topic: HashMap<i64, Vec<i64>> = on_topic
        .into_iter()
        .map(|(topic, ids, works)| {
            for (peer, works) in ids.iter().zip(works) {
                if let Some(person) = hood.people.get_mut(peer) {
                    suggest::add_topic(person, topic, u32::try_from(works).unwrap_or(0));
                }
            }
            (topic, ids)
        })
        .collect();
    let mut peers = HashMap::with_capacity(hood.people.len());
    for (&id, person) in &hood.people {
        let list: Vec<i64> =
            person.topics.iter().take(2).flat_map(|(t, _)| on_topic.get(t).into_iter().flatten().copied()).collect();
        peers.insert(id, list);
    }
    hood.peers = peers;
    hood.on_topic = on_topic;
    Ok(hood)
}

/// A record's id, co-authors, last year and topic profile, as `rebuild_all` reads them.
type StatsRow = (i64, Option<i32>, Option<i32>, Option<Vec<i64>>, Option<Vec<i32>>);

/// Ranks the marked records, a batch per transaction (batches another process has claimed are
/// skipped). Returns how many were ranked.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let mut total = 0;
    loop {
        let mut tx = conn.begin().await?;
        let ids = super::stats::take_marked(&mut tx, super::stats::Marks::Suggestions, BATCH).await?;
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
    sqlx::query("DELETE FROM suggestions WHERE author_id = ANY($1)").bind(ids).execute(&mut *conn).await?;
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

type PersonRow = (i64, Option<i32>, Option<i32>, Vec<i64>, Vec<i32>, Vec<i64>, Vec<i32>, Vec<i32>);

/// What the ranking needs of `ids`, with their `ties` strongest co-authors (none: 0).
async fn people(conn: &mut PgConnection, ids: &[i64], ties: usize) -> Result<Vec<(i64, Person)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT a.id, st.coauthors_count, st.last_year,
                coalesce(tp.topic_ids, '{}'), coalesce(tp.topic_works, '{}'),
                coalesce(t.ids, '{}'), coalesce(t.shared, '{}'), coalesce(t.years, '{}')
         FROM unnest($1::bigint[]) AS a(id)
         LEFT JOIN author_stats st ON st.author_id = a.id
         LEFT JOIN author_topic_profiles tp ON tp.author_id = a.id
         LEFT JOIN LATERAL (
             SELECT array_agg(c.coauthor_id ORDER BY c.shared_works DESC, c.last_shared DESC, c.coauthor_id) AS ids,
                    array_agg(c.shared_works ORDER BY c.shared_works DESC, c.last_shared DESC, c.coauthor_id) AS shared,
                    array_agg(extract(year FROM c.last_shared)::int
                              ORDER BY c.shared_works DESC, c.last_shared DESC, c.coauthor_id) AS years
             FROM (SELECT coauthor_id, shared_works, last_shared FROM coauthors WHERE author_id = a.id
                   ORDER BY shared_works DESC, last_shared DESC, coauthor_id LIMIT $2) c
         ) t ON true",
    )
    .bind(ids)
    .bind(ties as i64)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, degree, last_year, topic_ids, topic_works, tie_ids, shared, years)| {
            let person = Person {
                ties: tie_ids
                    .into_iter()
                    .zip(shared)
                    .zip(years)
                    .map(|((to, shared_works), last_year)| Tie {
                        to,
                        shared_works: u32::try_from(shared_works).unwrap_or(0),
                        last_year,
                    })
                    .collect(),
                degree: degree.and_then(|d| u32::try_from(d).ok()).unwrap_or(0),
                topics: topic_ids
                    .into_iter()
                    .zip(topic_works.into_iter().map(|w| u32::try_from(w).unwrap_or(0)))
                    .collect(),
                last_year,
            };
            (id, person)
        })
        .collect())
}

/// Everything `domain::suggest::rank` reads to rank `ids`: them, their co-authors (with the ties
/// 2-hop paths follow), the records 3-hop paths pass through, every candidate those paths and
/// the records' two main topics reach.
pub async fn neighbourhood(conn: &mut PgConnection, ids: &[i64]) -> Result<Neighbourhood, sqlx::Error> {
    let mut hood = Neighbourhood::default();
    let load = |hood: &mut Neighbourhood, rows: Vec<(i64, Person)>| {
        for (id, person) in rows {
            hood.people.entry(id).or_insert(person);
        }
    };
    let rows = people(conn, ids, suggest::FIRST_HOP).await?;
    load(&mut hood, rows);
    let unseen = |hood: &Neighbourhood, wanted: &mut Vec<i64>| {
        wanted.sort_unstable();
        wanted.dedup();
        wanted.retain(|id| !hood.people.contains_key(id));
    };
    fn ties_of<'a>(hood: &'a Neighbourhood, id: &i64) -> impl Iterator<Item = &'a Tie> {
        hood.people.get(id).into_iter().flat_map(|p| p.ties.iter())
    }
    let mut middles: Vec<i64> = ids.iter().flat_map(|id| ties_of(&hood, id)).map(|t| t.to).collect();
    unseen(&hood, &mut middles);
    let rows = people(conn, &middles, suggest::SECOND_HOP).await?;
    load(&mut hood, rows);
    let mut far: Vec<i64> = ids
        .iter()
        .flat_map(|id| ties_of(&hood, id).take(suggest::THIRD_HOP))
        .flat_map(|t| ties_of(&hood, &t.to).take(suggest::THIRD_HOP))
        .map(|t| t.to)
        .collect();
    unseen(&hood, &mut far);
    let rows = people(conn, &far, suggest::THIRD_HOP).await?;
    load(&mut hood, rows);

    // Others on each record's topics: its two main topics' are candidates, its other topics'
    // fill a short list.
    let topics_of = |hood: &Neighbourhood, id: &i64, n: usize| -> Vec<i64> {
        hood.people.get(id).map(|p| p.topics.iter().take(n).map(|(t, _)| *t).collect()).unwrap_or_default()
    };
    let mut topics: Vec<i64> = ids.iter().flat_map(|id| topics_of(&hood, id, usize::MAX)).collect();
    topics.sort_unstable();
    topics.dedup();
    let on_topic: Vec<(i64, Vec<i64>, Vec<i32>)> = sqlx::query_as(
        "SELECT t.id, array_agg(p.author_id ORDER BY p.works DESC, p.author_id), array_agg(p.works ORDER BY p.works DESC, p.author_id)
         FROM unnest($1::bigint[]) AS t(id)
         CROSS JOIN LATERAL (SELECT author_id, works FROM subject_top_authors
                             WHERE kind = 't' AND subject_id = t.id ORDER BY works DESC, author_id LIMIT $2) p
         GROUP BY t.id",
    )
    .bind(&topics)
    .bind(PEERS_PER_TOPIC)
    .fetch_all(&mut *conn)
    .await?;
    let on_topic: HashMap<i64, Vec<(i64, u32)>> = on_topic
        .into_iter()
        .map(|(t, ids, works)| {
            (t, ids.into_iter().zip(works.into_iter().map(|w| u32::try_from(w).unwrap_or(0))).collect())
        })
        .collect();
    for &id in ids {
        let peers: Vec<i64> = topics_of(&hood, &id, 2)
            .iter()
            .flat_map(|t| on_topic.get(t).into_iter().flatten().map(|(peer, _)| *peer))
            .collect();
        hood.peers.insert(id, peers);
    }

    hood.on_topic = on_topic.iter().map(|(t, peers)| (*t, peers.iter().map(|(peer, _)| *peer).collect())).collect();

    // The leading researchers of each record's strongest fields (who fill a short list).
    hood.fields = topic_fields(conn).await?;
    let mut followed: Vec<u16> = ids
        .iter()
        .flat_map(|id| hood.people.get(id).map(|p| hood.fields.followed(&p.topics)).unwrap_or_default())
        .collect();
    followed.sort_unstable();
    followed.dedup();
    let in_fields: Vec<(i64, i64, i32)> = sqlx::query_as(
        "SELECT subject_id, author_id, works FROM subject_top_authors WHERE kind = 't' AND subject_id = ANY($1)",
    )
    .bind(hood.fields.topics_in(&followed))
    .fetch_all(&mut *conn)
    .await?;
    let in_fields: Vec<(i64, i64, u32)> =
        in_fields.into_iter().map(|(t, a, n)| (t, a, u32::try_from(n).unwrap_or(0))).collect();
    hood.fields.set_peers(in_fields.iter().copied());

    // The candidates themselves (their topics and activity).
    let mut candidates: Vec<i64> = hood
        .people
        .values()
        .flat_map(|p| p.ties.iter().map(|t| t.to))
        .chain(hood.on_topic.values().flatten().copied())
        .chain(followed.iter().flat_map(|f| hood.fields.peers_of(*f).iter().copied()))
        .collect();
    unseen(&hood, &mut candidates);
    let rows = people(conn, &candidates, 0).await?;
    load(&mut hood, rows);
    // A peer's profile keeps its strongest topics only: the one it is a peer on counts too.
    let peer_topics =
        on_topic.iter().flat_map(|(topic, peers)| peers.iter().map(|(peer, works)| (*topic, *peer, *works)));
    for (topic, peer, works) in peer_topics.chain(in_fields) {
        if let Some(person) = hood.people.get_mut(&peer) {
            suggest::add_topic(person, topic, works);
        }
    }
    Ok(hood)
}

/// The fields every topic lies in (`domain::topics`). The topics are the catalogue's vocabulary
/// (the arXiv taxonomy's 150 and OpenAlex's 4,500 at most), read whole.
pub async fn topic_fields(conn: &mut PgConnection) -> Result<Fields, sqlx::Error> {
    let rows: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, source, display_name, field FROM topics").fetch_all(conn).await?;
    let mut fields = Fields::default();
    for (id, source, name, field) in rows {
        let place = TopicPlace { source: &source, name: &name, domain: None, field: field.as_deref(), subfield: None };
        fields.add_topic(id, place.fields());
    }
    Ok(fields)
}

/// Records whether `candidate` was dismissed from `author`'s suggestions by `user` (their owner);
/// its rows go at once, and later refreshes leave it out. `false` when it already was.
pub async fn dismiss(conn: &mut PgConnection, author: i64, candidate: i64, user: i64) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let added = sqlx::query(
        "INSERT INTO suggestion_dismissals (author_id, candidate_id, dismissed_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(author)
    .bind(candidate)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    sqlx::query("DELETE FROM suggestions WHERE author_id = $1 AND candidate_id = $2")
        .bind(author)
        .bind(candidate)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(added)
}

/// A record whose suggestions are asked for, who owns it (claimed, not pending), and what it has
/// that suggestions are drawn from.
#[derive(Debug, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub owner: Option<i64>,
    pub coauthors: i64,
    pub topics: i64,
}

const RECORD: &str = "SELECT a.id, a.slug, a.display_name AS name,
                             CASE WHEN a.claim_state IN ('claimed', 'confirmed') THEN a.claimed_by END AS owner,
                             coalesce(st.coauthors_count, 0)::bigint AS coauthors,
                             coalesce(st.topics_count, 0)::bigint AS topics
                      FROM authors a LEFT JOIN author_stats st ON st.author_id = a.id";

pub async fn record(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<RecordRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RECORD} WHERE a.slug = $1")).bind(slug).fetch_optional(db).await?)
}

/// The record `user` owns (claimed; a pending claim is not yet theirs).
pub async fn record_owned_by(db: impl PgExecutor<'_>, user: i64) -> Result<Option<RecordRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RECORD} WHERE a.claimed_by = $1 AND a.claim_state IN ('claimed', 'confirmed')"))
        .bind(user)
        .fetch_optional(db)
        .await?)
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    slug: String,
    display_name: String,
    open: bool,
    hops: i16,
    via_slugs: Vec<String>,
    via_names: Vec<String>,
    topic_ids: Vec<i64>,
    topic_names: Vec<String>,
    field: Option<String>,
    affiliation: Option<String>,
    works: i64,
}

/// Up to `limit` of `author`'s suggestions in rank order, less the dismissed; `open_only` keeps
/// the candidates an invitation can reach (claimed and open to collaborate).
pub async fn for_record(
    db: impl PgExecutor<'_>,
    author: i64,
    open_only: bool,
    limit: i64,
) -> Result<Vec<SuggestionView>, AppError> {
    let rows: Vec<ViewRow> = sqlx::query_as(
        "SELECT c.slug, c.display_name,
                (c.open_to_collaborate AND c.claim_state IN ('claimed', 'confirmed')) AS open, s.hops,
                array(SELECT v.slug FROM unnest(s.via_ids) WITH ORDINALITY u(id, n) JOIN authors v ON v.id = u.id ORDER BY u.n) AS via_slugs,
                array(SELECT v.display_name FROM unnest(s.via_ids) WITH ORDINALITY u(id, n) JOIN authors v ON v.id = u.id ORDER BY u.n) AS via_names,
                array(SELECT t.id FROM unnest(s.topic_ids) WITH ORDINALITY u(id, n) JOIN topics t ON t.id = u.id ORDER BY u.n) AS topic_ids,
                array(SELECT t.display_name FROM unnest(s.topic_ids) WITH ORDINALITY u(id, n) JOIN topics t ON t.id = u.id ORDER BY u.n) AS topic_names,
                s.field, i.display_name AS affiliation, coalesce(st.works_count, 0)::bigint AS works
         FROM suggestions s
         JOIN authors c ON c.id = s.candidate_id
         LEFT JOIN author_stats st ON st.author_id = c.id
         LEFT JOIN institutions i ON i.id = coalesce(c.affiliation_institution_id, st.institution_id)
         WHERE s.author_id = $1
           AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.author_id = $1 AND d.candidate_id = s.candidate_id)
           AND (NOT $2 OR (c.open_to_collaborate AND c.claim_state IN ('claimed', 'confirmed')))
         ORDER BY s.rank
         LIMIT $3",
    )
    .bind(author)
    .bind(open_only)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SuggestionView {
            slug: r.slug,
            name: r.display_name,
            open: r.open,
            hops: r.hops,
            via: r.via_slugs.into_iter().zip(r.via_names).map(|(slug, name)| NamedRecord { slug, name }).collect(),
            topics: r.topic_ids.into_iter().zip(r.topic_names).map(|(id, name)| SubjectLink::topic(id, name)).collect(),
            field: r.field,
            affiliation: r.affiliation,
            works: r.works,
        })
        .collect())
}

//! Reading what the ranking needs: the whole catalogue at once (`everyone`, for `rebuild_all`), or
//! the neighbourhood of a batch of records (`neighbourhood`); each record's ties, topic profile
//! and activity, its topics' and fields' leading researchers.

use super::PEERS_PER_TOPIC;
use crate::domain::suggest::{self, Fields, Neighbourhood, Person, Tie};
use crate::domain::topics::TopicPlace;
use sqlx::PgConnection;
use std::collections::HashMap;

/// Records read per statement when the whole catalogue is loaded.
const LOAD_CHUNK: i64 = 50_000;

/// The whole catalogue as `domain::suggest::rank` reads it: every record with its kept ties and
/// topic profile, a statement per 50,000 records, and each record's topic peers.
pub(super) async fn everyone(conn: &mut PgConnection) -> Result<Neighbourhood, sqlx::Error> {
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

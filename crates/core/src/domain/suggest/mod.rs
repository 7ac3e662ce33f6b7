//! Collaborator suggestions: whom a researcher might work with next, ranked over their
//! co-authorship neighbourhood (2 and 3 hops, ties weighted by shared works and their recency),
//! topic overlap and the candidate's recent activity; with the baselines the ranking is measured
//! against (common neighbours, Adamic-Adar, topic overlap alone). Pure: the caller loads the
//! neighbourhood (`db::caches::suggestions` from the tables, the evaluation bench from the works).

use std::collections::{HashMap, HashSet};

pub mod fields;
pub use fields::{Fields, PEERS_PER_FIELD};

/// Co-authors followed from each record (the `coauthors` table keeps 60).
pub const FIRST_HOP: usize = 60;
/// A co-author's co-authors followed on a 2-hop path: their strongest ties.
pub const SECOND_HOP: usize = 25;
/// Co-authors followed at each step of a 3-hop path: its few strongest ties.
pub const THIRD_HOP: usize = 8;
/// How the ranking weighs what it knows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// A 3-hop path counts this much of a 2-hop path of the same ties.
    pub three_hop: f64,
    /// How much topic overlap (cosine, 0 to 1) counts beside the graph.
    pub topic: f64,
    /// A tie's weight halves every this many years since the last shared work.
    pub tie_half_life: f64,
    /// A candidate's activity halves every this many years since their last work.
    pub activity_half_life: f64,
    /// How much a candidate's own number of co-authors raises them (who writes with many
    /// tends to write with more): the score grows by this times ln(1 + co-authors).
    pub reach: f64,
}

/// The product's weights, chosen with `make bench-suggest` (docs/suggestions.md):
/// topics break ties between paths rather than outweigh them, and ties fade over eight years.
pub const WEIGHTS: Weights =
    Weights { three_hop: 0.25, topic: 0.05, tie_half_life: 8.0, activity_half_life: 3.0, reach: 0.3 };
/// Suggestions kept per record.
pub const KEPT: usize = 20;

/// One co-authorship tie as the record sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tie {
    pub to: i64,
    pub shared_works: u32,
    /// Year of the latest shared work.
    pub last_year: i32,
}

/// What the ranking knows of one record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    /// Strongest ties first (shared works, then recency), at most `FIRST_HOP`.
    pub ties: Vec<Tie>,
    /// Every co-author, not only the kept ties (Adamic-Adar's degree).
    pub degree: u32,
    /// Topic and the record's works on it.
    pub topics: Vec<(i64, u32)>,
    /// Year of the record's latest work.
    pub last_year: Option<i32>,
}

/// The records around the ones being ranked, by id; `peers` lists, per record, others on its two
/// main topics (candidates the graph does not reach). A list the rest leaves short is filled from
/// `on_topic` (each topic's leading researchers, for the record's other topics) and `fields`
/// (the fields the topics lie in, and their leading researchers).
#[derive(Debug, Default)]
pub struct Neighbourhood {
    pub people: HashMap<i64, Person>,
    pub peers: HashMap<i64, Vec<i64>>,
    pub on_topic: HashMap<i64, Vec<i64>>,
    pub fields: Fields,
}

/// One ranked candidate, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub candidate: i64,
    pub score: f64,
    /// 2 or 3 when the co-authorship graph reaches the candidate, 0 when only topics do.
    pub hops: u8,
    /// The co-authors the strongest paths go through (at most two): the record's own
    /// co-authors for 2 hops, the first step for 3.
    pub via: Vec<i64>,
    /// Topics both work on, strongest shared first (at most two); for a candidate from the
    /// record's field, the candidate's strongest topics there.
    pub topics: Vec<i64>,
    /// The field both work in, when neither paths nor a shared topic reach the candidate.
    pub field: Option<String>,
}

/// The scorers the evaluation compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scorer {
    /// BZPEER's ranking.
    Ours,
    CommonNeighbours,
    AdamicAdar,
    TopicOverlap,
}

/// Adds `topic` with `works` to a record's topics unless they hold it (a topic page knows a
/// record's works there even when its profile keeps only its strongest topics).
pub fn add_topic(person: &mut Person, topic: i64, works: u32) {
    if !person.topics.iter().any(|(t, _)| *t == topic) {
        person.topics.push((topic, works));
    }
}

fn tie_weight(tie: &Tie, year: i32, w: &Weights) -> f64 {
    let strength = 1.0 - 1.0 / (1.0 + f64::from(tie.shared_works));
    let age = f64::from((year - tie.last_year).max(0));
    strength * 0.5f64.powf(age / w.tie_half_life)
}

fn hub_damping(person: Option<&Person>) -> f64 {
    1.0 / (2.0 + f64::from(person.map_or(1, |p| p.degree))).ln()
}

/// Cosine similarity of two records' topic works.
pub fn topic_overlap(a: &[(i64, u32)], b: &[(i64, u32)]) -> f64 {
    let norm = |v: &[(i64, u32)]| v.iter().map(|(_, n)| f64::from(*n).powi(2)).sum::<f64>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    let dot: f64 =
        a.iter().filter_map(|(t, n)| b.iter().find(|(u, _)| u == t).map(|(_, m)| f64::from(*n) * f64::from(*m))).sum();
    dot / (na * nb)
}

/// Topics both records work on, the most shared (the smaller count) first.
fn shared_topics(a: &[(i64, u32)], b: &[(i64, u32)]) -> Vec<i64> {
    let mut shared: Vec<(i64, u32)> =
        a.iter().filter_map(|(t, n)| b.iter().find(|(u, _)| u == t).map(|(_, m)| (*t, (*n).min(*m)))).collect();
    shared.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    shared.into_iter().take(2).map(|(t, _)| t).collect()
}

fn reach(person: Option<&Person>, w: &Weights) -> f64 {
    1.0 + w.reach * f64::from(person.map_or(0, |p| p.degree)).ln_1p()
}

fn activity(person: Option<&Person>, year: i32, w: &Weights) -> f64 {
    match person.and_then(|p| p.last_year) {
        Some(last) => 0.5f64.powf(f64::from((year - last).max(0)) / w.activity_half_life),
        None => 0.25,
    }
}

#[derive(Default)]
struct Paths {
    two: f64,
    three: f64,
    common: u32,
    adamic_adar: f64,
    via: Vec<(i64, f64)>,
}

impl Paths {
    fn through(&mut self, via: i64, amount: f64) {
        match self.via.iter_mut().find(|(v, _)| *v == via) {
            Some((_, a)) => *a += amount,
            None => self.via.push((via, amount)),
        }
    }
}

/// The candidates of `source` ranked by `scorer`, best first, at most `limit`: never the record
/// itself, one of its co-authors, or one of `excluded` (dismissed, or the same person's other
/// record). `year` is "now": recency is counted back from it.
pub fn rank(
    hood: &Neighbourhood,
    source: i64,
    year: i32,
    scorer: Scorer,
    excluded: &HashSet<i64>,
    limit: usize,
) -> Vec<Suggestion> {
    rank_with(hood, source, year, scorer, excluded, limit, &WEIGHTS)
}

/// `rank` with other weights (to compare them).
pub fn rank_with(
    hood: &Neighbourhood,
    source: i64,
    year: i32,
    scorer: Scorer,
    excluded: &HashSet<i64>,
    limit: usize,
    w: &Weights,
) -> Vec<Suggestion> {
    let Some(me) = hood.people.get(&source) else { return Vec::new() };
    let mine: HashSet<i64> = me.ties.iter().map(|t| t.to).collect();
    let skip = |c: i64| c == source || mine.contains(&c) || excluded.contains(&c);
    let mut paths: HashMap<i64, Paths> = HashMap::new();
    for first in me.ties.iter().take(FIRST_HOP) {
        let middle = hood.people.get(&first.to);
        let w1 = tie_weight(first, year, w) * hub_damping(middle);
        let Some(middle) = middle else { continue };
        for second in middle.ties.iter().take(SECOND_HOP) {
            if skip(second.to) {
                continue;
            }
            let entry = paths.entry(second.to).or_default();
            let amount = w1 * tie_weight(second, year, w);
            entry.two += amount;
            entry.common += 1;
            entry.adamic_adar += 1.0 / f64::from(middle.degree.max(2)).ln();
            entry.through(first.to, amount);
        }
    }
    if scorer == Scorer::Ours {
        for first in me.ties.iter().take(THIRD_HOP) {
            let Some(middle) = hood.people.get(&first.to) else { continue };
            let w1 = tie_weight(first, year, w) * hub_damping(Some(middle));
            for second in middle.ties.iter().take(THIRD_HOP).filter(|t| t.to != source) {
                let Some(far) = hood.people.get(&second.to) else { continue };
                let w2 = w1 * tie_weight(second, year, w) * hub_damping(Some(far));
                for third in far.ties.iter().take(THIRD_HOP) {
                    if skip(third.to) || third.to == first.to {
                        continue;
                    }
                    let amount = w.three_hop * w2 * tie_weight(third, year, w);
                    let entry = paths.entry(third.to).or_default();
                    entry.three += amount;
                    if entry.two == 0.0 {
                        entry.through(first.to, amount);
                    }
                }
            }
        }
    }
    let mut candidates: Vec<i64> = paths.keys().copied().collect();
    if matches!(scorer, Scorer::Ours | Scorer::TopicOverlap) {
        let reached: HashSet<i64> = candidates.iter().copied().collect();
        for &peer in hood.peers.get(&source).into_iter().flatten() {
            if !skip(peer) && !reached.contains(&peer) {
                candidates.push(peer);
            }
        }
    }
    let none = Paths::default();
    let mut ranked: Vec<Suggestion> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let p = paths.get(&candidate).unwrap_or(&none);
            let person = hood.people.get(&candidate);
            let topics = person.map_or(&[][..], |p| &p.topics[..]);
            let overlap = topic_overlap(&me.topics, topics);
            let score = match scorer {
                Scorer::Ours => {
                    (p.two + p.three + w.topic * overlap) * (0.5 + 0.5 * activity(person, year, w)) * reach(person, w)
                }
                Scorer::CommonNeighbours => f64::from(p.common),
                Scorer::AdamicAdar => p.adamic_adar,
                Scorer::TopicOverlap => overlap,
            };
            (score > 0.0).then(|| {
                let mut via = p.via.clone();
                via.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                Suggestion {
                    candidate,
                    score,
                    hops: if p.two > 0.0 {
                        2
                    } else if p.three > 0.0 {
                        3
                    } else {
                        0
                    },
                    via: via.into_iter().take(2).map(|(v, _)| v).collect(),
                    topics: shared_topics(&me.topics, topics),
                    field: None,
                }
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.candidate.cmp(&b.candidate)));
    ranked.truncate(limit);
    if scorer == Scorer::Ours {
        fields::fill(hood, me, year, w, &skip, &mut ranked, limit);
    }
    ranked
}

/// The kept suggestions less those the owner dismissed, in order.
pub fn visible<'a>(kept: &'a [Suggestion], dismissed: &'a HashSet<i64>) -> impl Iterator<Item = &'a Suggestion> {
    kept.iter().filter(|s| !dismissed.contains(&s.candidate))
}

#[cfg(test)]
mod tests;

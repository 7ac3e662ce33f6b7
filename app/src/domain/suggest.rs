//! Collaborator suggestions: whom a researcher might work with next, ranked over their
//! co-authorship neighbourhood (2 and 3 hops, ties weighted by shared works and their recency),
//! topic overlap and the candidate's recent activity; with the baselines the ranking is measured
//! against (common neighbours, Adamic-Adar, topic overlap alone). Pure: the caller loads the
//! neighbourhood (`ssr::db::suggestions` from the tables, the evaluation bench from the works).

use std::collections::{HashMap, HashSet};

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

/// The product's weights, chosen with `make bench-suggest` (README "Collaborator suggestions"):
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

/// The records around the ones being ranked, by id; `peers` lists, per record, others on its
/// topics (candidates the graph does not reach).
#[derive(Debug, Default)]
pub struct Neighbourhood {
    pub people: HashMap<i64, Person>,
    pub peers: HashMap<i64, Vec<i64>>,
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
    /// Topics both work on, strongest shared first (at most two).
    pub topics: Vec<i64>,
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
                    let reach = 1.0 + w.reach * f64::from(person.map_or(0, |p| p.degree)).ln_1p();
                    (p.two + p.three + w.topic * overlap) * (0.5 + 0.5 * activity(person, year, w)) * reach
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
                }
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.candidate.cmp(&b.candidate)));
    ranked.truncate(limit);
    ranked
}

/// The kept suggestions less those the owner dismissed, in order.
pub fn visible<'a>(kept: &'a [Suggestion], dismissed: &'a HashSet<i64>) -> impl Iterator<Item = &'a Suggestion> {
    kept.iter().filter(|s| !dismissed.contains(&s.candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i32 = 2026;

    fn tie(to: i64, shared_works: u32) -> Tie {
        Tie { to, shared_works, last_year: NOW }
    }

    /// Records with their ties (both directions) and one topic each.
    fn hood(edges: &[(i64, i64, u32)], topics: &[(i64, i64)]) -> Neighbourhood {
        let mut people: HashMap<i64, Person> = HashMap::new();
        for &(a, b, n) in edges {
            people.entry(a).or_default().ties.push(tie(b, n));
            people.entry(b).or_default().ties.push(tie(a, n));
        }
        for &(who, topic) in topics {
            people.entry(who).or_default().topics.push((topic, 3));
        }
        for person in people.values_mut() {
            person.degree = person.ties.len() as u32;
            person.last_year = Some(NOW);
            person.ties.sort_by(|x, y| y.shared_works.cmp(&x.shared_works).then(x.to.cmp(&y.to)));
        }
        Neighbourhood { people, peers: HashMap::new() }
    }

    fn ids(ranked: &[Suggestion]) -> Vec<i64> {
        ranked.iter().map(|s| s.candidate).collect()
    }

    #[test]
    fn a_two_hop_candidate_outranks_a_three_hop_one_with_equal_topics() {
        // 1 - 2 - 3 (two hops from 1) and 1 - 2 - 4 - 5 (three hops from 1); 3 and 5 share topic 9.
        let h = hood(&[(1, 2, 2), (2, 3, 2), (2, 4, 2), (4, 5, 2)], &[(1, 9), (3, 9), (5, 9)]);
        let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
        let (three, five) =
            (ranked.iter().position(|s| s.candidate == 3), ranked.iter().position(|s| s.candidate == 5));
        assert!(three.is_some() && five.is_some(), "{ranked:?}");
        assert!(three < five, "{ranked:?}");
        assert_eq!((ranked[three.unwrap_or(0)].hops, ranked[five.unwrap_or(0)].hops), (2, 3));
        assert_eq!(ranked[three.unwrap_or(0)].via, vec![2]);
        assert_eq!(ranked[three.unwrap_or(0)].topics, vec![9]);
    }

    #[test]
    fn an_existing_co_author_or_the_record_itself_is_never_suggested() {
        // 1's co-authors 2 and 3 are also co-authors of each other: each is 2 hops away too.
        let h = hood(&[(1, 2, 1), (1, 3, 1), (2, 3, 5), (3, 4, 1)], &[(1, 7), (2, 7), (3, 7), (4, 7)]);
        for scorer in [Scorer::Ours, Scorer::CommonNeighbours, Scorer::AdamicAdar, Scorer::TopicOverlap] {
            let found = ids(&rank(&h, 1, NOW, scorer, &HashSet::new(), 10));
            assert!(!found.contains(&1) && !found.contains(&2) && !found.contains(&3), "{scorer:?}: {found:?}");
        }
        assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4]);
    }

    #[test]
    fn a_dismissed_suggestion_stays_hidden() {
        let h = hood(&[(1, 2, 1), (2, 3, 1), (2, 4, 1)], &[]);
        let kept = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
        assert_eq!(ids(&kept), vec![3, 4]);
        let dismissed: HashSet<i64> = [3].into();
        assert_eq!(visible(&kept, &dismissed).map(|s| s.candidate).collect::<Vec<_>>(), vec![4]);
        // A refresh ranks without it too, so it does not come back.
        assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &dismissed, 10)), vec![4]);
    }

    #[test]
    fn more_shared_works_and_recent_ties_weigh_more() {
        // 1-2 strong and recent, 1-3 one old work; 4 is reached through 2, 5 through 3.
        let mut h = hood(&[(1, 2, 6), (1, 3, 1), (2, 4, 1), (3, 5, 1)], &[]);
        for tie in h.people.values_mut().flat_map(|p| p.ties.iter_mut()) {
            if (tie.to == 3) || (tie.to == 1 && tie.shared_works == 1) {
                tie.last_year = 2012;
            }
        }
        assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4, 5]);
    }

    #[test]
    fn a_candidate_inactive_for_years_ranks_below_an_active_one() {
        let mut h = hood(&[(1, 2, 1), (2, 3, 1), (2, 4, 1)], &[]);
        if let Some(p) = h.people.get_mut(&3) {
            p.last_year = Some(2010);
        }
        assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4, 3]);
    }

    #[test]
    fn topic_peers_the_graph_does_not_reach_are_candidates_by_topic() {
        let mut h = hood(&[(1, 2, 1)], &[(1, 5), (8, 5), (9, 6)]);
        h.peers.insert(1, vec![8, 9]);
        let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
        assert_eq!(ids(&ranked), vec![8], "9 shares no topic");
        assert_eq!((ranked[0].hops, ranked[0].topics.clone()), (0, vec![5]));
        assert!(rank(&h, 1, NOW, Scorer::CommonNeighbours, &HashSet::new(), 10).is_empty());
        // 9's profile kept other topics; as a peer on 5 it shares 5 after all.
        if let Some(nine) = h.people.get_mut(&9) {
            add_topic(nine, 5, 2);
            add_topic(nine, 5, 7);
            assert_eq!(nine.topics, vec![(6, 3), (5, 2)], "added once");
        }
        assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)).len(), 2);
    }

    #[test]
    fn the_baselines_count_common_neighbours_and_damp_hubs() {
        // 4 shares co-authors 2 and 3 with 1; 5 shares only 2. Hub 3 has many co-authors.
        let mut edges = vec![(1, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1), (2, 5, 1), (1, 6, 1), (6, 7, 1)];
        edges.extend((100..130).map(|i| (3, i, 1)));
        let h = hood(&edges, &[]);
        let common = rank(&h, 1, NOW, Scorer::CommonNeighbours, &HashSet::new(), 3);
        assert_eq!((common[0].candidate, common[0].score), (4, 2.0));
        let aa = rank(&h, 1, NOW, Scorer::AdamicAdar, &HashSet::new(), 40);
        let score = |c: i64| aa.iter().find(|s| s.candidate == c).map_or(0.0, |s| s.score);
        assert!(score(5) > score(100), "a tie through a small group counts more than through a hub");
    }

    #[test]
    fn topic_overlap_is_a_cosine() {
        assert!((topic_overlap(&[(1, 2), (2, 2)], &[(1, 5), (2, 5)]) - 1.0).abs() < 1e-9);
        assert_eq!(topic_overlap(&[(1, 2)], &[(2, 2)]), 0.0);
        assert_eq!(topic_overlap(&[], &[(2, 2)]), 0.0);
    }
}

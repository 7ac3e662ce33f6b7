//! Filling a short list: when a record's co-authorship paths and its two main topics' researchers
//! give fewer candidates than are kept, the researchers on its other topics, then those working
//! in the same field (an OpenAlex field or an arXiv group, `domain::topics`), fill the rest, ranked
//! after every other candidate. This is what a small group alone on its topic gets (the real
//! sample's reference profile: everyone on "Machine Learning" is already her co-author, while
//! "Neural and Evolutionary Computing" lies in Computer Science too).

use super::{activity, reach, shared_topics, topic_overlap, Neighbourhood, Person, Suggestion, Weights};
use std::collections::HashMap;

/// Researchers kept per field: those with most works on the field's topics.
pub const PEERS_PER_FIELD: usize = 30;
/// A record's strongest fields whose researchers are considered.
const FIELDS_FOLLOWED: usize = 2;

/// The fields the topics lie in, and each field's leading researchers.
#[derive(Debug, Default)]
pub struct Fields {
    names: Vec<String>,
    of_topic: HashMap<i64, Vec<u16>>,
    peers: HashMap<u16, Vec<i64>>,
}

impl Fields {
    /// Records that `topic` lies in `fields` (by name, as `TopicPlace::fields` gives them).
    pub fn add_topic(&mut self, topic: i64, fields: Vec<String>) {
        let ids = fields.into_iter().map(|name| self.intern(name)).collect();
        self.of_topic.insert(topic, ids);
    }

    fn intern(&mut self, name: String) -> u16 {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => i as u16,
            None => {
                self.names.push(name);
                (self.names.len() - 1) as u16
            }
        }
    }

    /// The fields `topic` lies in.
    pub fn fields_of(&self, topic: i64) -> Vec<u16> {
        self.of_topic.get(&topic).cloned().unwrap_or_default()
    }

    /// The topics lying in any of `fields`.
    pub fn topics_in(&self, fields: &[u16]) -> Vec<i64> {
        let mut topics: Vec<i64> =
            self.of_topic.iter().filter(|(_, of)| of.iter().any(|f| fields.contains(f))).map(|(t, _)| *t).collect();
        topics.sort_unstable();
        topics
    }

    /// Each field's leading researchers from its topics' (`(topic, researcher, works on it)`,
    /// as `subject_top_authors` keeps them): works summed over the field's topics, most first.
    pub fn set_peers(&mut self, leading: impl IntoIterator<Item = (i64, i64, u32)>) {
        let mut works: HashMap<u16, HashMap<i64, u32>> = HashMap::new();
        for (topic, author, n) in leading {
            for &field in self.of_topic.get(&topic).into_iter().flatten() {
                *works.entry(field).or_default().entry(author).or_default() += n;
            }
        }
        self.peers = works
            .into_iter()
            .map(|(field, by_author)| {
                let mut list: Vec<(i64, u32)> = by_author.into_iter().collect();
                list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                (field, list.into_iter().take(PEERS_PER_FIELD).map(|(a, _)| a).collect())
            })
            .collect();
    }

    /// A record's works per field (a topic in two fields counts in both), strongest first.
    pub fn profile(&self, topics: &[(i64, u32)]) -> Vec<(u16, u32)> {
        let mut by_field: Vec<(u16, u32)> = Vec::new();
        for (topic, n) in topics {
            for &field in self.of_topic.get(topic).into_iter().flatten() {
                match by_field.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, total)) => *total += n,
                    None => by_field.push((field, *n)),
                }
            }
        }
        by_field.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        by_field
    }

    /// The strongest fields of a record, whose researchers it may be offered.
    pub fn followed(&self, topics: &[(i64, u32)]) -> Vec<u16> {
        self.profile(topics).into_iter().take(FIELDS_FOLLOWED).map(|(f, _)| f).collect()
    }

    pub fn name(&self, field: u16) -> &str {
        self.names.get(usize::from(field)).map_or("", String::as_str)
    }

    pub fn peers_of(&self, field: u16) -> &[i64] {
        self.peers.get(&field).map_or(&[], Vec::as_slice)
    }
}

/// Cosine of two field profiles.
fn field_overlap(a: &[(u16, u32)], b: &[(u16, u32)]) -> f64 {
    let norm = |v: &[(u16, u32)]| v.iter().map(|(_, n)| f64::from(*n).powi(2)).sum::<f64>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    let dot: f64 =
        a.iter().filter_map(|(f, n)| b.iter().find(|(g, _)| g == f).map(|(_, m)| f64::from(*n) * f64::from(*m))).sum();
    dot / (na * nb)
}

/// Appends to `ranked` (already holding every path and main-topic candidate), up to `limit` in
/// all: first the researchers on `me`'s other topics, by topic overlap as a topic peer is
/// scored; then those of its strongest fields, by field overlap (each damped for inactivity and
/// raised by reach as the others are). `skip` says whom never to offer.
pub(super) fn fill(
    hood: &Neighbourhood,
    me: &Person,
    year: i32,
    w: &Weights,
    skip: &dyn Fn(i64) -> bool,
    ranked: &mut Vec<Suggestion>,
    limit: usize,
) {
    if ranked.len() >= limit {
        return;
    }
    let fields = &hood.fields;
    let mine = fields.profile(&me.topics);
    let mut seen: std::collections::HashSet<i64> = ranked.iter().map(|s| s.candidate).collect();
    // (tier, suggestion): another topic's researchers before a field's.
    let mut more: Vec<(u8, Suggestion)> = Vec::new();
    let on_other_topics = me.topics.iter().skip(2).flat_map(|(t, _)| hood.on_topic.get(t).into_iter().flatten());
    for &candidate in on_other_topics {
        if skip(candidate) || !seen.insert(candidate) {
            continue;
        }
        let person = hood.people.get(&candidate);
        let topics = person.map_or(&[][..], |p| &p.topics[..]);
        let score =
            w.topic * topic_overlap(&me.topics, topics) * (0.5 + 0.5 * activity(person, year, w)) * reach(person, w);
        if score > 0.0 {
            let topics = shared_topics(&me.topics, topics);
            more.push((0, Suggestion { candidate, score, hops: 0, via: Vec::new(), topics, field: None }));
        }
    }
    for field in fields.followed(&me.topics) {
        for &candidate in fields.peers_of(field) {
            if skip(candidate) || !seen.insert(candidate) {
                continue;
            }
            let person = hood.people.get(&candidate);
            let topics = person.map_or(&[][..], |p| &p.topics[..]);
            let theirs = fields.profile(topics);
            let score = field_overlap(&mine, &theirs) * (0.5 + 0.5 * activity(person, year, w)) * reach(person, w);
            if score <= 0.0 {
                continue;
            }
            let shared = shared_topics(&me.topics, topics);
            let (field, topics) = if shared.is_empty() {
                // The field both work in most, and the candidate's strongest topics there.
                let best = mine
                    .iter()
                    .filter_map(|(f, n)| theirs.iter().find(|(g, _)| g == f).map(|(_, m)| (*f, n.min(m))))
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                    .map_or(field, |(f, _)| f);
                let in_field: Vec<i64> = topics
                    .iter()
                    .filter(|(t, _)| fields.of_topic.get(t).is_some_and(|of| of.contains(&best)))
                    .take(2)
                    .map(|(t, _)| *t)
                    .collect();
                (Some(fields.name(best).to_owned()), in_field)
            } else {
                (None, shared)
            };
            more.push((1, Suggestion { candidate, score, hops: 0, via: Vec::new(), topics, field }));
        }
    }
    more.sort_by(|(ta, a), (tb, b)| ta.cmp(tb).then(b.score.total_cmp(&a.score)).then(a.candidate.cmp(&b.candidate)));
    more.truncate(limit - ranked.len());
    ranked.extend(more.into_iter().map(|(_, s)| s));
}

//! What the database found around a slice's seeds, query by query, as plain rows: the input of
//! `assemble`, which ranks and bounds it (server only: the browser gets finished slices).

use super::{NodeKey, NodeKind};

/// A key asked for that exists: its database id and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    pub key: NodeKey,
    pub id: i64,
    pub label: String,
}

/// A neighbour of a seed: one row of the per-seed queries.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Neighbour {
    /// The seed's database id.
    pub seed: i64,
    pub id: i64,
    pub slug: String,
    pub label: String,
    /// What the query ranks by (see each list of `Neighbourhood`).
    pub weight: i64,
}

/// A topic or an institution linked to a work or a researcher in the slice.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Link {
    /// What `from_id` is: a work or a researcher.
    pub side: NodeKind,
    pub from_id: i64,
    /// The topic's or the institution's database id, and its name.
    pub id: i64,
    pub label: String,
    pub weight: i64,
}

/// A researcher in the slice wrote a work in the slice.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Authorship {
    pub work_id: i64,
    pub author_id: i64,
}

/// Everything found around the seeds, in the database's order, before any ranking.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Neighbourhood {
    /// The keys asked for that exist, in the order asked: the focus first.
    pub seeds: Vec<Seed>,
    /// Researchers' works, newest first (weight 1).
    pub works_of_people: Vec<Neighbour>,
    /// Researchers' co-authors, by shared works (weight: works shared).
    pub coauthors: Vec<Neighbour>,
    /// Works' authors, in byline order (weight: position in the byline).
    pub authors_of_works: Vec<Neighbour>,
    /// Topics' newest works (weight 1).
    pub works_on_topics: Vec<Neighbour>,
    /// Institutions' researchers, by works there (weight: works there).
    pub people_at_institutions: Vec<Neighbour>,
    /// Topics of the works found so far and of the researchers among the seeds (weight: the
    /// researcher's works on it, else 1).
    pub topics: Vec<Link>,
    /// Who among the researchers found so far wrote which of the works found so far.
    pub authorships: Vec<Authorship>,
    /// Institutions of the researchers found so far (weight 1 when declared, else their works
    /// there among those found).
    pub institutions: Vec<Link>,
    /// Works citing the work seeds, newest first (weight 1).
    pub citing_works: Vec<Neighbour>,
    /// Works in the catalogue the work seeds cite, newest first (weight 1).
    pub cited_works: Vec<Neighbour>,
    /// Which of the works found so far cites which.
    pub citations: Vec<Citation>,
}

/// A work in the slice cites a work in the slice.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Citation {
    pub citing_id: i64,
    pub cited_id: i64,
}

impl Neighbourhood {
    /// Database ids of the seeds of one kind, in seed order: what the per-seed queries ask about.
    pub fn seed_ids(seeds: &[Seed], kind: NodeKind) -> Vec<i64> {
        seeds.iter().filter(|s| s.key.kind() == kind).map(|s| s.id).collect()
    }

    /// The works found so far (seeds, researchers' works, topics' works), each once.
    pub fn work_ids(&self) -> Vec<i64> {
        let found = [&self.works_of_people, &self.works_on_topics, &self.citing_works, &self.cited_works];
        self.ids(NodeKind::Work, &found)
    }

    /// The researchers found so far (seeds, co-authors, works' authors, institutions' people),
    /// each once.
    pub fn person_ids(&self) -> Vec<i64> {
        let found = [&self.coauthors, &self.authors_of_works, &self.people_at_institutions];
        self.ids(NodeKind::Person, &found)
    }

    fn ids(&self, kind: NodeKind, found: &[&Vec<Neighbour>]) -> Vec<i64> {
        let mut ids = Self::seed_ids(&self.seeds, kind);
        ids.extend(found.iter().flat_map(|rows| rows.iter().map(|r| r.id)));
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

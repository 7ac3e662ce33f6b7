//! Draws the synthetic catalogue, row by row, into a sink: topics from the arXiv taxonomy,
//! institutions, author records in communities, and works with their bylines, affiliations and
//! topics. One seeded stream in a fixed order, so a seed always gives the same catalogue.

use super::pools::{CITIES, GIVEN_NAMES, INSTITUTION_FORMS, SURNAMES, VENUES};
use super::rows::Field;
use super::shape::{self, Draw, Weighted, COMMUNITY_REACH, COMMUNITY_SIZE, LAST_YEAR};
use super::text::{abstract_text, title};
use crate::domain::{arxiv_taxonomy, names, slug};
use db::writes::bulk::Table;

/// How big a catalogue to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub authors: usize,
    pub works: usize,
    pub seed: u64,
}

/// Where rows go: a COPY stream per table, or a test's collection.
pub trait Sink {
    fn row(&mut self, table: Table, fields: &[Field<'_>]);
    /// Called after each work with all its rows written (progress).
    fn work_done(&mut self) {}
    /// True once the rows can no longer be written: drawing stops.
    fn is_closed(&self) -> bool {
        false
    }
}

/// Rows written per table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    pub topics: u64,
    pub institutions: u64,
    pub authors: u64,
    pub works: u64,
    pub authorships: u64,
}

/// An author's name as indices into the pools (8 bytes instead of a string per record).
#[derive(Clone, Copy)]
struct NameParts {
    given: u16,
    surname: u16,
    /// The middle initial's letter, or 0.
    middle: u8,
}

impl NameParts {
    fn display(self) -> String {
        let given = GIVEN_NAMES[usize::from(self.given)];
        let surname = SURNAMES[usize::from(self.surname)];
        if self.middle == 0 {
            format!("{given} {surname}")
        } else {
            format!("{given} {}. {surname}", char::from(self.middle))
        }
    }
}

/// Co-authors kept per record, as the database's `refresh_author_stats` keeps them.
pub const COAUTHORS_KEPT: usize = 60;

/// Per author: what the works add up to, written once every work is drawn.
#[derive(Default, Clone)]
struct Tally {
    works: u32,
    first_year: i32,
    last_year: i32,
    topics: Vec<(u16, u32)>,
    /// Each work's citation count (for the metrics) and the works per year.
    cited: Vec<i32>,
    years: Vec<(i32, u32)>,
}

impl Tally {
    /// The metrics columns of `author_stats`: citations, h-index, i10-index, then the years with
    /// works and the works in each (as arrays), as `refresh_author_stats` computes them.
    fn metrics(&self) -> (i64, i64, i64, String, String) {
        let m = crate::domain::metrics::metrics(&self.cited);
        let mut years = self.years.clone();
        years.sort_unstable();
        let list = |values: Vec<String>| format!("{{{}}}", values.join(","));
        (
            m.citations,
            m.h_index,
            m.i10_index,
            list(years.iter().map(|(y, _)| y.to_string()).collect()),
            list(years.iter().map(|(_, n)| n.to_string()).collect()),
        )
    }
}

/// Days from 1990-01-01 to a work's date: how a co-authorship remembers its latest work.
fn day_of(date: chrono::NaiveDate) -> u16 {
    let base = chrono::NaiveDate::from_ymd_opt(shape::FIRST_YEAR, 1, 1).unwrap_or_default();
    u16::try_from((date - base).num_days()).unwrap_or(0)
}

fn date_of(day: u16) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(shape::FIRST_YEAR, 1, 1).unwrap_or_default();
    (base + chrono::Duration::days(i64::from(day))).format("%Y-%m-%d").to_string()
}

pub fn draw(size: Size, sink: &mut impl Sink) -> Totals {
    let mut draw = Draw::new(size.seed);
    let mut totals = Totals::default();

    let topics = arxiv_taxonomy::topic_names();
    for (i, name) in topics.iter().enumerate() {
        sink.row(Table::Topics, &[id(i), "arxiv".into(), (*name).into(), (*name).into()]);
        totals.topics += 1;
    }
    let topic_pick = Weighted::zipf(topics.len(), 0.8);

    let institutions = (size.authors / 50).max(10);
    for i in 0..institutions {
        let name = institution_name(i);
        let (_, country) = CITIES[i % CITIES.len()];
        let key = format!("I9{:09}", i + 1);
        sink.row(
            Table::Institutions,
            &[id(i), key.as_str().into(), name.as_str().into(), country.into(), "education".into()],
        );
        totals.institutions += 1;
    }

    // Records near each other form a community: a main topic and a pool of institutions.
    let communities = size.authors.div_ceil(COMMUNITY_SIZE).max(1);
    let community_topic: Vec<u16> = (0..communities).map(|_| topic_pick.pick(&mut draw) as u16).collect();
    let community_institution: Vec<usize> = (0..communities).map(|_| draw.below(institutions)).collect();
    let given_pick = Weighted::zipf(GIVEN_NAMES.len(), 0.9);
    let surname_pick = Weighted::zipf(SURNAMES.len(), 1.0);
    let local_institution = Weighted::zipf(20, 1.0);

    let mut names = Vec::with_capacity(size.authors);
    let mut institution_of = Vec::with_capacity(size.authors);
    let mut weights = Vec::with_capacity(size.authors);
    for a in 0..size.authors {
        let parts = NameParts {
            given: given_pick.pick(&mut draw) as u16,
            surname: surname_pick.pick(&mut draw) as u16,
            middle: if draw.chance(0.15) { b'A' + draw.below(26) as u8 } else { 0 },
        };
        let name = parts.display();
        let openalex = format!("A9{:010}", a + 1);
        let key = openalex.to_ascii_lowercase();
        let record_slug = slug::author_slug(&name, "openalex", &key);
        let orcid = draw.chance(shape::ORCID_SHARE).then(|| synthetic_orcid(a as u64 + 1));
        sink.row(
            Table::Authors,
            &[
                id(a),
                "openalex".into(),
                key.as_str().into(),
                record_slug.as_str().into(),
                name.as_str().into(),
                names::name_key(&name).as_str().into(),
                orcid.as_deref().into(),
                openalex.as_str().into(),
            ],
        );
        names.push(parts);
        let community = a / COMMUNITY_SIZE;
        institution_of.push((community_institution[community] + local_institution.pick(&mut draw)) % institutions);
        weights.push(draw.author_weight());
        totals.authors += 1;
    }
    let weights = Weighted::new(weights);

    // Every record leads at least one work while works last: the first works' leads are a
    // permutation of the records; later leads are drawn by weight.
    let mut leads: Vec<u32> = (0..size.authors as u32).collect();
    for i in (1..leads.len()).rev() {
        let j = draw.below(i + 1);
        leads.swap(i, j);
    }

    let mut tally = vec![Tally::default(); size.authors];
    // Every ordered co-author pair of every work with the work's day, aggregated at the end.
    let mut pairs: Vec<(u32, u32, u16)> = Vec::new();
    let mut byline: Vec<usize> = Vec::new();
    for k in 0..size.works {
        if size.authors == 0 || sink.is_closed() {
            break;
        }
        let work_id = k as i64 + 1;
        let wanted = draw.authors_per_work().min(size.authors);
        let lead = if k < leads.len() { leads[k] as usize } else { weights.pick(&mut draw) };
        let (lo, hi) = (lead.saturating_sub(COMMUNITY_REACH), (lead + COMMUNITY_REACH + 1).min(size.authors));
        byline.clear();
        byline.push(lead);
        let mut tries = 0;
        while byline.len() < wanted {
            let candidate =
                if tries < wanted * 10 { weights.between(&mut draw, lo, hi) } else { draw.below(size.authors) };
            tries += 1;
            if !byline.contains(&candidate) {
                byline.push(candidate);
            }
        }

        let community = lead / COMMUNITY_SIZE;
        let mut work_topics = vec![community_topic[community]];
        for share in [0.5, 0.15] {
            if draw.chance(share) {
                let extra = topic_pick.pick(&mut draw) as u16;
                if !work_topics.contains(&extra) {
                    work_topics.push(extra);
                }
            }
        }
        let year = draw.year();
        let day_limit = if year == LAST_YEAR { 330 } else { 365 };
        let date = chrono::NaiveDate::from_yo_opt(year, 1 + draw.below(day_limit) as u32)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, 1, 1))
            .unwrap_or_default();
        let published = date.format("%Y-%m-%d").to_string();
        let work_type = draw.work_type();
        let venue = if work_type == "preprint" {
            VENUES[0]
        } else {
            VENUES[1 + (community * 3 + draw.below(6)) % (VENUES.len() - 1)]
        };
        let shift = community * 11;
        let title = title(&mut draw, shift);
        let words = draw.abstract_words();
        let abstract_text = abstract_text(&mut draw, shift, words);
        let open_access = draw.chance(shape::OPEN_ACCESS_SHARE);
        let cited = draw.citations(LAST_YEAR - year);
        let doi = (work_type != "preprint").then(|| format!("10.5555/bzpeer.{work_id}"));
        let openalex = format!("W9{work_id:010}");
        let work_slug = slug::work_slug(&title, &format!("openalex:{openalex}"));
        sink.row(
            Table::Works,
            &[
                Field::Int(work_id),
                "openalex".into(),
                work_slug.as_str().into(),
                title.as_str().into(),
                abstract_text.as_str().into(),
                work_type.into(),
                Field::Int(i64::from(year)),
                published.as_str().into(),
                venue.into(),
                open_access.into(),
                Field::Int(i64::from(cited)),
                openalex.as_str().into(),
                doi.as_deref().into(),
            ],
        );
        for (i, &author) in byline.iter().enumerate() {
            let position = Field::Int(i as i64 + 1);
            let raw_name = names[author].display();
            sink.row(
                Table::Authorships,
                &[Field::Int(work_id), position, id(author), raw_name.as_str().into(), published.as_str().into()],
            );
            sink.row(
                Table::AuthorshipInstitutions,
                &[Field::Int(work_id), Field::Int(i as i64 + 1), id(institution_of[author])],
            );
            let t = &mut tally[author];
            t.works += 1;
            t.first_year = if t.first_year == 0 { year } else { t.first_year.min(year) };
            t.last_year = t.last_year.max(year);
            t.cited.push(cited);
            match t.years.iter_mut().find(|(known, _)| *known == year) {
                Some((_, count)) => *count += 1,
                None => t.years.push((year, 1)),
            }
            for &topic in &work_topics {
                match t.topics.iter_mut().find(|(known, _)| *known == topic) {
                    Some((_, count)) => *count += 1,
                    None => t.topics.push((topic, 1)),
                }
            }
            totals.authorships += 1;
        }
        let day = day_of(date);
        for &a in &byline {
            for &b in &byline {
                if a != b {
                    pairs.push((a as u32, b as u32, day));
                }
            }
        }
        for (i, &topic) in work_topics.iter().enumerate() {
            let score = 1.0 - 0.25 * i as f32;
            sink.row(
                Table::WorkTopics,
                &[
                    Field::Int(work_id),
                    id(usize::from(topic)),
                    Field::Real(score),
                    published.as_str().into(),
                    Field::Int(i64::from(cited)),
                ],
            );
        }
        totals.works += 1;
        sink.work_done();
    }

    // Each record's aggregates, exactly as `refresh_author_stats` computes them from the rows
    // above (a test holds the two together).
    pairs.sort_unstable();
    let mut next = 0;
    let mut groups: Vec<(u32, u32, u16)> = Vec::new();
    for (a, t) in tally.iter().enumerate() {
        let year = |y: i32| if y > 0 { Field::Int(i64::from(y)) } else { Field::Null };
        sink.row(Table::Affiliations, &[id(a), id(institution_of[a]), year(t.last_year), Field::Bool(true)]);
        for &(topic, count) in &t.topics {
            sink.row(Table::AuthorTopics, &[id(a), id(usize::from(topic)), Field::Int(i64::from(count))]);
        }
        groups.clear();
        while next < pairs.len() && pairs[next].0 as usize == a {
            let coauthor = pairs[next].1;
            let (mut shared, mut last) = (0u32, 0u16);
            while next < pairs.len() && pairs[next].0 as usize == a && pairs[next].1 == coauthor {
                shared += 1;
                last = last.max(pairs[next].2);
                next += 1;
            }
            groups.push((coauthor, shared, last));
        }
        groups.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0)));
        for &(coauthor, shared, last) in groups.iter().take(COAUTHORS_KEPT) {
            let last = date_of(last);
            sink.row(
                Table::Coauthors,
                &[id(a), id(coauthor as usize), Field::Int(i64::from(shared)), last.as_str().into()],
            );
        }
        let main_topic = t
            .topics
            .iter()
            .max_by(|x, y| x.1.cmp(&y.1).then(topics[usize::from(y.0)].cmp(topics[usize::from(x.0)])))
            .map_or(Field::Null, |&(topic, _)| id(usize::from(topic)));
        let (citations, h_index, i10_index, work_years, work_year_counts) = t.metrics();
        sink.row(
            Table::AuthorStats,
            &[
                id(a),
                Field::Int(i64::from(t.works)),
                year(t.first_year),
                year(t.last_year),
                Field::Int(t.topics.len() as i64),
                main_topic,
                id(institution_of[a]),
                Field::Int(groups.len() as i64),
                Field::Int(citations),
                Field::Int(h_index),
                Field::Int(i10_index),
                work_years.as_str().into(),
                work_year_counts.as_str().into(),
            ],
        );
    }
    totals
}

/// The database id of the `index`th row (ids start at 1).
fn id(index: usize) -> Field<'static> {
    Field::Int(index as i64 + 1)
}

fn institution_name(i: usize) -> String {
    let (city, _) = CITIES[i % CITIES.len()];
    let round = i / CITIES.len();
    match INSTITUTION_FORMS.get(round) {
        Some(form) => form.replace("{}", city),
        None => {
            const KINDS: [&str; 5] = ["Institute", "Laboratory", "Center for Advanced Study", "College", "Foundation"];
            let founder = SURNAMES[round % SURNAMES.len()];
            format!("{founder} {} {}, {city}", KINDS[round % KINDS.len()], round / SURNAMES.len() + 1)
        }
    }
}

/// A valid ORCID iD in the 0009 block, its check digit by ISO 7064 11,2.
fn synthetic_orcid(n: u64) -> String {
    let digits = format!("0009{:011}", n % 100_000_000_000);
    let mut total = 0u32;
    for d in digits.bytes() {
        total = (total + u32::from(d - b'0')) * 2;
    }
    let check = (12 - total % 11) % 11;
    let check = if check == 10 { 'X' } else { char::from(b'0' + check as u8) };
    format!("{}-{}-{}-{}{check}", &digits[0..4], &digits[4..8], &digits[8..12], &digits[12..15])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::Orcid;

    #[test]
    fn synthetic_orcids_carry_a_valid_check_digit() {
        for n in [1, 2, 99, 123_456, 99_999_999] {
            let orcid = synthetic_orcid(n);
            assert!(Orcid::parse(&orcid).is_ok(), "{orcid}");
        }
    }

    #[test]
    fn institution_names_cover_every_index() {
        assert_eq!(institution_name(0), "University of Beijing");
        assert!(institution_name(100_000).contains(", "));
    }
}

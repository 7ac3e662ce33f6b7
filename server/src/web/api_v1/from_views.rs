//! The API's types made from the views every page reads (`db::views`): a record, a work, a
//! subject, and the rows of the API's own keyset lists. A field the API adds is added here and in
//! its type; the SQL and the view's type are the pages' own.

use super::types::{Author, AuthorDetail, BylineAuthor, Institution, SubjectRef, Topic, Work, WorkDetail};
use bzpeer_core::model::profile::Record;
use bzpeer_core::model::subjects::{SubjectAbout, SubjectLink};
use db::views::api::{ApiAuthorRow, ApiWorkRow};

impl SubjectRef {
    pub fn of(link: &SubjectLink, site: &str) -> Self {
        Self { id: link.id, slug: link.slug().to_owned(), name: link.name.clone(), url: format!("{site}{}", link.href) }
    }
}

impl AuthorDetail {
    pub fn of(r: &Record, site: &str) -> Self {
        let institution =
            r.affiliation_id.zip(r.affiliation.clone()).map(|(id, name)| SubjectLink::institution(id, name));
        let main_topic = r.main_topic_id.zip(r.main_topic.clone()).map(|(id, name)| SubjectLink::topic(id, name));
        Self {
            author: Author {
                id: r.id,
                url: format!("{site}/authors/{}", r.slug),
                slug: r.slug.clone(),
                name: r.display_name.clone(),
                source: r.source.clone(),
                orcid: r.orcid.clone(),
                openalex_id: r.openalex_id.clone(),
                works_count: r.works_count,
                followers: i64::from(r.follower_count),
                claimed: r.is_claimed(),
                open_to_collaborate: r.open_to_collaborate,
            },
            institution: institution.map(|l| SubjectRef::of(&l, site)),
            affiliation: r.affiliation.clone(),
            main_topic: main_topic.map(|l| SubjectRef::of(&l, site)),
            topics_count: r.topics_count,
        }
    }
}

impl Author {
    /// A record in the API's list of records.
    pub fn listed(r: ApiAuthorRow, site: &str) -> Self {
        Self {
            id: r.id,
            url: format!("{site}/authors/{}", r.slug),
            slug: r.slug,
            name: r.display_name,
            source: r.source,
            orcid: r.orcid,
            openalex_id: r.openalex_id,
            works_count: r.works_count,
            followers: r.follower_count,
            claimed: r.claimed,
            open_to_collaborate: r.open_to_collaborate,
        }
    }
}

impl WorkDetail {
    pub fn of(w: &bzpeer_core::model::works::Work, site: &str) -> Self {
        let s = &w.summary;
        Self {
            work: Work {
                id: w.id,
                url: format!("{site}/works/{}", s.slug),
                slug: s.slug.clone(),
                title: s.title.clone(),
                work_type: s.work_type.clone(),
                year: s.year,
                venue: s.venue.clone(),
                doi: w.doi.clone(),
                arxiv_id: w.arxiv_id.clone(),
                openalex_id: w.openalex_id.clone(),
                open_access: w.is_open_access,
                cited_by_count: w.cited_by_count.map_or(0, i64::from),
            },
            abstract_text: s.abstract_text.clone(),
            authors: w
                .authors
                .iter()
                .map(|a| BylineAuthor {
                    position: i32::from(a.position),
                    url: format!("{site}/authors/{}", a.slug),
                    slug: a.slug.clone(),
                    name: a.name.clone(),
                    printed: a.printed.clone(),
                })
                .collect(),
            topics: w.topics.iter().map(|t| SubjectRef::of(t, site)).collect(),
            citing_count: i64::from(w.citing_count),
        }
    }
}

impl Work {
    /// A work in the API's list of works.
    pub fn listed(r: ApiWorkRow, site: &str) -> Self {
        Self {
            id: r.id,
            url: format!("{site}/works/{}", r.slug),
            slug: r.slug,
            title: r.title,
            work_type: r.work_type,
            year: r.year,
            venue: r.venue,
            doi: r.doi,
            arxiv_id: r.arxiv_id,
            openalex_id: r.openalex_id,
            open_access: r.is_open_access,
            cited_by_count: i64::from(r.cited_by),
        }
    }
}

impl Topic {
    pub fn of(a: &SubjectAbout, site: &str) -> Self {
        let link = SubjectRef::of(&a.link, site);
        Self {
            id: link.id,
            slug: link.slug,
            name: link.name,
            source: a.source.clone(),
            hierarchy: a.hierarchy.clone(),
            works_count: a.counts.works,
            researchers_count: a.counts.researchers,
            related: a.related.iter().map(|t| SubjectRef::of(t, site)).collect(),
            url: link.url,
        }
    }
}

impl Institution {
    pub fn of(a: &SubjectAbout, site: &str) -> Self {
        let link = SubjectRef::of(&a.link, site);
        let facts = a.institution.clone().unwrap_or_default();
        Self {
            id: link.id,
            slug: link.slug,
            name: link.name,
            ror: facts.ror,
            country_code: facts.country_code,
            kind: facts.kind,
            homepage_url: facts.homepage_url,
            openalex_id: facts.openalex_id,
            works_count: a.counts.works,
            researchers_count: a.counts.researchers,
            url: link.url,
        }
    }
}

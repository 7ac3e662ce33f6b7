//! The profile's and the work's records as search engines and scholar indexes read them:
//! schema.org JSON-LD and Google Scholar's tags, for the pages' `<head>` and for the JSON-LD
//! answers of the same addresses.

use crate::structured::{profile_page, scholar_meta, scholarly_article, ArticleLd, Named, PersonLd, ScholarMeta};
use bzpeer_core::model::profile::Profile;
use bzpeer_core::model::works::Work;

/// The record as schema.org's `ProfilePage` about a `Person`, for search engines.
pub fn person_ld(profile: &Profile, origin: &str) -> serde_json::Value {
    let path = format!("/authors/{}", profile.slug);
    let mut same_as: Vec<String> = Vec::new();
    same_as.extend(profile.orcid.as_ref().map(|o| format!("https://orcid.org/{o}")));
    same_as.extend(profile.openalex_id.as_deref().and_then(bzpeer_core::domain::ids::openalex_url));
    same_as.extend(profile.homepage_url.clone());
    profile_page(&PersonLd {
        name: profile.name.clone(),
        url: format!("{origin}{path}"),
        description: Some(profile.bio.clone()),
        same_as,
        affiliation: profile
            .affiliation
            .clone()
            .map(|name| Named { name, url: profile.affiliation_href.as_ref().map(|h| format!("{origin}{h}")) }),
        knows_about: profile
            .main_topic
            .iter()
            .map(|t| Named { name: t.name.clone(), url: Some(format!("{origin}{}", t.href)) })
            .collect(),
        works_count: profile.counts.works,
        followers: profile.counts.followers,
        identifier_orcid: profile.orcid.clone(),
    })
}

/// The work as schema.org's `ScholarlyArticle` (JSON-LD), and Google Scholar's `citation_*` tags.
pub fn work_markup(work: &Work, origin: &str) -> (serde_json::Value, Vec<(&'static str, String)>) {
    let page_url = format!("{origin}/works/{}", work.summary.slug);
    let year = work.summary.year.map(|y| y.to_string());
    let article = scholarly_article(&ArticleLd {
        title: work.summary.title.clone(),
        url: page_url.clone(),
        authors: work
            .authors
            .iter()
            .map(|a| Named { name: a.name.clone(), url: Some(format!("{origin}/authors/{}", a.slug)) })
            .collect(),
        date_published: year.clone(),
        abstract_text: work.summary.abstract_text.clone(),
        doi: work.doi.clone(),
        venue: work.summary.venue.clone(),
        keywords: work.topics.iter().map(|t| t.name.clone()).collect(),
        is_accessible_for_free: work.is_open_access,
        citation_count: work.cited_by_count.map(i64::from),
        work_type: work.summary.work_type.clone(),
    });
    let printed: Vec<String> = work.authors.iter().map(|a| a.printed.clone()).collect();
    let pdf = work.arxiv_id.as_ref().map(|id| format!("https://arxiv.org/pdf/{id}"));
    let scholar = scholar_meta(&ScholarMeta {
        title: &work.summary.title,
        authors: &printed,
        date: year.as_deref(),
        venue: work.summary.venue.as_deref(),
        doi: work.doi.as_deref(),
        page_url: &page_url,
        pdf_url: pdf.as_deref(),
    });
    (article, scholar)
}

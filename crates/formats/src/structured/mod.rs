//! Structured records for search engines and scholar indexes: schema.org JSON-LD (ProfilePage/Person,
//! ScholarlyArticle) and Google Scholar `citation_*` meta tags (their embedding in a page and OpenGraph tags are
//! `bzpeer_core::domain::meta`).
//!
//! Pure functions, no I/O. Every text value is passed through [`clean`]-style sanitising (control characters become
//! spaces, bidi overrides/isolates are dropped, surrounding whitespace is trimmed) and keys whose value would be
//! absent or empty are omitted, so the output never contains `null` or empty arrays. Meta-tag contents are returned
//! raw: the HTML template must still attribute-escape them.

use serde_json::{Map, Value};

/// A researcher, rendered by [`profile_page`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonLd {
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    pub same_as: Vec<String>,
    pub affiliation: Option<Named>,
    pub knows_about: Vec<Named>,
    pub works_count: i64,
    pub followers: i64,
    pub identifier_orcid: Option<String>,
}

/// A named thing with an optional link (organisation, topic, author).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named {
    pub name: String,
    pub url: Option<String>,
}

/// A scholarly work, rendered by [`scholarly_article`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleLd {
    pub title: String,
    pub url: String,
    pub authors: Vec<Named>,
    /// "YYYY" or "YYYY-MM-DD" ("YYYY-MM" and a trailing "T…" time are tolerated).
    pub date_published: Option<String>,
    pub abstract_text: Option<String>,
    /// Bare DOI, `10.x/...` (a `doi:` or `https://doi.org/` prefix is tolerated and stripped).
    pub doi: Option<String>,
    pub venue: Option<String>,
    pub keywords: Vec<String>,
    pub is_accessible_for_free: Option<bool>,
    pub citation_count: Option<i64>,
    /// "article", "preprint", ...; emitted as `genre`.
    pub work_type: String,
}

/// Input for [`scholar_meta`].
#[derive(Debug, Clone, Copy)]
pub struct ScholarMeta<'a> {
    pub title: &'a str,
    pub authors: &'a [String],
    pub date: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub page_url: &'a str,
    pub pdf_url: Option<&'a str>,
}

/// Google's headline limit for Article structured data.
const HEADLINE_MAX_CHARS: usize = 110;
const SCHEMA_CONTEXT: &str = "https://schema.org";

type Obj = Map<String, Value>;

use bzpeer_core::domain::ids::{Doi, Orcid};
use bzpeer_core::domain::text::{one_line as clean, truncate_chars};

fn clean_opt(s: Option<&str>) -> Option<String> {
    s.map(clean).filter(|c| !c.is_empty())
}

fn put_str(obj: &mut Obj, key: &str, value: &str) {
    if !value.is_empty() {
        obj.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

fn put_array(obj: &mut Obj, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        obj.insert(key.to_owned(), Value::Array(items));
    }
}

fn typed(ty: &str) -> Obj {
    let mut o = Obj::new();
    o.insert("@type".to_owned(), Value::String(ty.to_owned()));
    o
}

/// `{"@type": ty, "name", "url"}` or `None` when the cleaned name is empty.
fn named_value(ty: &str, n: &Named) -> Option<Value> {
    let name = clean(&n.name);
    if name.is_empty() {
        return None;
    }
    let mut o = typed(ty);
    put_str(&mut o, "name", &name);
    if let Some(url) = clean_opt(n.url.as_deref()) {
        put_str(&mut o, "url", &url);
    }
    Some(Value::Object(o))
}

/// An InteractionCounter, or `None` for a negative (invalid) count.
fn counter(action: &str, count: i64) -> Option<Value> {
    if count < 0 {
        return None;
    }
    let mut o = typed("InteractionCounter");
    o.insert("interactionType".to_owned(), Value::String(format!("https://schema.org/{action}")));
    o.insert("userInteractionCount".to_owned(), Value::from(count));
    Some(Value::Object(o))
}

fn property_value(property_id: &str, value: &str) -> Value {
    let mut o = typed("PropertyValue");
    put_str(&mut o, "propertyID", property_id);
    put_str(&mut o, "value", value);
    Value::Object(o)
}

/// Cleaned, non-empty, first-occurrence-only strings.
fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let c = clean(item);
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// A validated calendar date: year, and optionally month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PubDate<'s> {
    year: &'s str,
    month: Option<&'s str>,
    day: Option<&'s str>,
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn in_range(s: &str, lo: u8, hi: u8) -> bool {
    s.parse::<u8>().is_ok_and(|v| (lo..=hi).contains(&v))
}

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (an ISO time part after 'T' is ignored); anything else is `None`.
fn parse_date(s: &str) -> Option<PubDate<'_>> {
    let s = s.split_once('T').map_or(s, |(date, _)| date);
    let mut parts = s.split('-');
    let year = parts.next().filter(|y| digits(y, 4))?;
    let month = parts.next();
    let day = parts.next();
    if parts.next().is_some() {
        return None;
    }
    if let Some(m) = month {
        if !(digits(m, 2) && in_range(m, 1, 12)) {
            return None;
        }
    }
    if let Some(d) = day {
        if !(digits(d, 2) && in_range(d, 1, 31)) {
            return None;
        }
    }
    Some(PubDate { year, month, day })
}

/// ISO form for schema.org `datePublished`.
fn iso_date(d: PubDate<'_>) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{}-{m}-{day}", d.year),
        (Some(m), None) => format!("{}-{m}", d.year),
        _ => d.year.to_owned(),
    }
}

/// Google Scholar form: "YYYY/MM/DD" for full dates, otherwise the year alone.
fn scholar_date(d: PubDate<'_>) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{}/{m}/{day}", d.year),
        _ => d.year.to_owned(),
    }
}

/// schema.org `ProfilePage` whose `mainEntity` is a `Person` (Google's ProfilePage structured data).
///
/// Follower count goes in the Person's `interactionStatistic` (FollowAction: interactions *on* the person) and the
/// number of works written in `agentInteractionStatistic` (WriteAction: actions *by* the person), as Google and
/// schema.org define them. Negative counts are omitted; zero is emitted.
pub fn profile_page(p: &PersonLd) -> Value {
    let url = clean(&p.url);
    let mut person = typed("Person");
    if !url.is_empty() {
        put_str(&mut person, "@id", &format!("{url}#person"));
    }
    put_str(&mut person, "name", &clean(&p.name));
    put_str(&mut person, "url", &url);
    if let Some(description) = clean_opt(p.description.as_deref()) {
        put_str(&mut person, "description", &description);
    }
    put_array(&mut person, "sameAs", clean_list(&p.same_as).into_iter().map(Value::String).collect());
    if let Some(org) = p.affiliation.as_ref().and_then(|a| named_value("Organization", a)) {
        person.insert("affiliation".to_owned(), org);
    }
    put_array(&mut person, "knowsAbout", p.knows_about.iter().filter_map(|t| named_value("Thing", t)).collect());
    if let Some(orcid) =
        p.identifier_orcid.as_deref().and_then(|o| Orcid::parse(&clean(o)).ok()).map(|o| o.as_str().to_owned())
    {
        put_array(&mut person, "identifier", vec![property_value("ORCID", &orcid)]);
    }
    if let Some(c) = counter("FollowAction", p.followers) {
        person.insert("interactionStatistic".to_owned(), c);
    }
    if let Some(c) = counter("WriteAction", p.works_count) {
        person.insert("agentInteractionStatistic".to_owned(), c);
    }

    let mut page = Obj::new();
    put_str(&mut page, "@context", SCHEMA_CONTEXT);
    put_str(&mut page, "@type", "ProfilePage");
    put_str(&mut page, "url", &url);
    page.insert("mainEntity".to_owned(), Value::Object(person));
    Value::Object(page)
}

/// schema.org `ScholarlyArticle` for any work type (the type itself goes in `genre`).
pub fn scholarly_article(a: &ArticleLd) -> Value {
    let url = clean(&a.url);
    let title = clean(&a.title);
    let mut o = Obj::new();
    put_str(&mut o, "@context", SCHEMA_CONTEXT);
    put_str(&mut o, "@type", "ScholarlyArticle");
    put_str(&mut o, "@id", &url);
    put_str(&mut o, "url", &url);
    put_str(&mut o, "headline", truncate_chars(&title, HEADLINE_MAX_CHARS).trim_end());
    put_str(&mut o, "name", &title);
    put_array(&mut o, "author", a.authors.iter().filter_map(|n| named_value("Person", n)).collect());
    if let Some(date) = a.date_published.as_deref().map(str::trim).and_then(parse_date) {
        put_str(&mut o, "datePublished", &iso_date(date));
    }
    if let Some(abstract_text) = clean_opt(a.abstract_text.as_deref()) {
        put_str(&mut o, "abstract", &abstract_text);
    }
    if let Some(doi) = a.doi.as_deref().and_then(|d| Doi::parse(&clean(d)).ok()) {
        o.insert("identifier".to_owned(), property_value("DOI", doi.as_str()));
        put_str(&mut o, "sameAs", &doi.url());
    }
    if let Some(venue) = clean_opt(a.venue.as_deref()) {
        let mut periodical = typed("Periodical");
        put_str(&mut periodical, "name", &venue);
        o.insert("isPartOf".to_owned(), Value::Object(periodical));
    }
    put_str(&mut o, "keywords", &clean_list(&a.keywords).join(", "));
    if let Some(free) = a.is_accessible_for_free {
        o.insert("isAccessibleForFree".to_owned(), Value::Bool(free));
    }
    if let Some(c) = a.citation_count.and_then(|n| counter("CiteAction", n)) {
        o.insert("interactionStatistic".to_owned(), c);
    }
    put_str(&mut o, "genre", &clean(&a.work_type));
    Value::Object(o)
}

/// Google Scholar `citation_*` meta tags as (name, content) pairs, in Scholar's documented order; empty values and
/// unparseable dates/DOIs are omitted.
pub fn scholar_meta(m: &ScholarMeta) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut push = |name: &'static str, value: String| {
        if !value.is_empty() {
            out.push((name, value));
        }
    };
    push("citation_title", clean(m.title));
    for author in m.authors {
        push("citation_author", clean(author));
    }
    if let Some(date) = m.date.map(str::trim).and_then(parse_date) {
        push("citation_publication_date", scholar_date(date));
    }
    push("citation_journal_title", m.venue.map(clean).unwrap_or_default());
    push(
        "citation_doi",
        m.doi.and_then(|d| Doi::parse(&clean(d)).ok()).map(|d| d.as_str().to_owned()).unwrap_or_default(),
    );
    push("citation_abstract_html_url", clean(m.page_url));
    push("citation_pdf_url", m.pdf_url.map(clean).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests;

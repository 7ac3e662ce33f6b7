//! The citation formats of `cite`: BibTeX entries, RIS records, CSL-JSON items and an APA-like line.

use bzpeer_core::domain::cite::{citation_keys, collapse_spaces, initials, people, split_name, CiteWork};
use serde_json::{json, Value};

/// How each format names a work type: (BibTeX entry, BibTeX venue field, RIS TY, CSL type).
/// Preprints are RIS UNPB (unpublished work, read as such by EndNote and Mendeley; GEN would
/// lose that) and CSL "article", which CSL 1.0.2 uses for preprints.
fn type_names(work_type: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match work_type {
        "article" | "journal-article" => ("article", "journal", "JOUR", "article-journal"),
        "preprint" | "posted-content" => ("misc", "howpublished", "UNPB", "article"),
        "book" => ("book", "publisher", "BOOK", "book"),
        "book-chapter" => ("incollection", "booktitle", "CHAP", "chapter"),
        "dissertation" => ("phdthesis", "school", "THES", "thesis"),
        "proceedings" | "proceedings-article" => ("inproceedings", "booktitle", "CONF", "paper-conference"),
        _ => ("misc", "howpublished", "GEN", "document"),
    }
}

/// One BibTeX entry ending in "}\n". Fields come in a fixed order: author, title, venue
/// (journal, booktitle, school, publisher or howpublished by entry type), year, doi, eprint,
/// archivePrefix, url, abstract. Text fields are LaTeX-escaped and the title is double-braced
/// to keep its capitals. doi, eprint and url are verbatim fields in biblatex, where `\_` would be
/// read literally, so they are written raw with only `{`, `}`, `\` percent-encoded.
pub fn bibtex(work: &CiteWork, key: &str) -> String {
    let (entry_type, venue_field, _, _) = type_names(&work.work_type);
    let authors: Vec<String> = people(work).iter().map(bibtex_name).collect();
    let arxiv = nonempty(&work.arxiv_id);
    let fields = [
        ("author", Some(authors.join(" and ")).filter(|a| !a.is_empty())),
        ("title", Some(format!("{{{}}}", latex_escape(&work.title)))),
        (venue_field, nonempty(&work.venue).map(latex_escape)),
        ("year", work.year.map(|y| y.to_string())),
        ("doi", nonempty(&work.doi).map(verbatim)),
        ("eprint", arxiv.map(verbatim)),
        ("archivePrefix", arxiv.map(|_| "arXiv".to_string())),
        ("url", Some(verbatim(&work.url)).filter(|u| !u.is_empty())),
        ("abstract", nonempty(&work.abstract_text).map(latex_escape)),
    ];
    let body: Vec<String> = fields.iter().filter_map(|(k, v)| Some(format!("  {k} = {{{}}}", v.as_ref()?))).collect();
    format!("@{entry_type}{{{key},\n{}\n}}\n", body.join(",\n"))
}

/// Every work as BibTeX, keyed by [`citation_keys`], entries separated by a blank line.
pub fn bibtex_all(works: &[CiteWork]) -> String {
    let keys = citation_keys(works);
    works.iter().zip(&keys).map(|(w, k)| bibtex(w, k)).collect::<Vec<_>>().join("\n")
}

/// BibTeX's "Family, Given" or "Family, Suffix, Given"; a literal " and " inside a name is
/// braced so it does not split the author list.
fn bibtex_name((family, given, suffix): &(String, String, Option<String>)) -> String {
    let parts = [Some(family), suffix.as_ref(), Some(given)];
    let name: Vec<&str> = parts.into_iter().flatten().map(String::as_str).filter(|p| !p.is_empty()).collect();
    latex_escape(&name.join(", ")).replace(" and ", " {and} ")
}

/// Escapes the ten LaTeX special characters and collapses whitespace.
pub fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in collapse_spaces(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '{' | '}' | '$' | '&' | '%' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A verbatim field value that cannot unbalance the entry's braces.
fn verbatim(s: &str) -> String {
    s.trim().replace('\\', "%5C").replace('{', "%7B").replace('}', "%7D")
}

/// One RIS record: TY first, then TI, AU (one per author, "Family, Given[, Suffix]"), PY, T2
/// (the venue: Zotero reads T2 as journal, book or conference, but JO only as a journal
/// abbreviation), DO, UR, AB, and ER last. Values are single lines. Lines end in "\r\n" as the
/// RIS specification asks.
pub fn ris(work: &CiteWork) -> String {
    let (_, _, ty, _) = type_names(&work.work_type);
    let mut lines = vec![("TY", ty.to_string()), ("TI", collapse_spaces(&work.title))];
    for (family, given) in work.authors.iter().map(|a| split_name(a)).filter(|(f, _)| !f.is_empty()) {
        lines.push(("AU", if given.is_empty() { family } else { format!("{family}, {given}") }));
    }
    let optional = [
        ("PY", work.year.map(|y| y.to_string())),
        ("T2", nonempty(&work.venue).map(collapse_spaces)),
        ("DO", nonempty(&work.doi).map(collapse_spaces)),
        ("UR", Some(collapse_spaces(&work.url)).filter(|u| !u.is_empty())),
        ("AB", nonempty(&work.abstract_text).map(collapse_spaces)),
        ("ER", Some(String::new())),
    ];
    lines.extend(optional.into_iter().filter_map(|(tag, v)| Some((tag, v?))));
    lines.iter().map(|(tag, v)| format!("{tag}  - {v}\r\n")).collect()
}

/// Every work as RIS, records separated by a blank line.
pub fn ris_all(works: &[CiteWork]) -> String {
    works.iter().map(ris).collect::<Vec<_>>().join("\r\n")
}

/// One CSL-JSON item with only the keys that have values. A preprint with an arXiv id has
/// `publisher` "arXiv" and `number` "arXiv:ID", as Zotero exports preprints; a preprint without
/// one has its venue as `publisher`; other types have it as `container-title`.
pub fn csl_json(work: &CiteWork, key: &str) -> Value {
    let (_, _, _, csl_type) = type_names(&work.work_type);
    let authors: Vec<Value> = people(work).into_iter().map(csl_name).collect();
    let (arxiv, venue) = (nonempty(&work.arxiv_id), nonempty(&work.venue));
    let preprint = csl_type == "article";
    let fields = [
        ("id", Some(json!(key))),
        ("type", Some(json!(csl_type))),
        ("title", Some(json!(collapse_spaces(&work.title)))),
        ("author", Some(Value::Array(authors)).filter(|a| a.as_array().is_some_and(|a| !a.is_empty()))),
        ("issued", work.year.map(|y| json!({ "date-parts": [[y]] }))),
        ("container-title", venue.filter(|_| !preprint).map(|v| json!(v))),
        ("publisher", if arxiv.is_some() { Some("arXiv") } else { venue }.filter(|_| preprint).map(|p| json!(p))),
        ("number", arxiv.filter(|_| preprint).map(|id| json!(format!("arXiv:{id}")))),
        ("DOI", nonempty(&work.doi).map(|d| json!(d))),
        ("URL", Some(work.url.trim()).filter(|u| !u.is_empty()).map(|u| json!(u))),
        ("abstract", nonempty(&work.abstract_text).map(|a| json!(a))),
    ];
    Value::Object(fields.into_iter().filter_map(|(k, v)| Some((k.to_string(), v?))).collect())
}

/// Every work as a CSL-JSON array, ids from [`citation_keys`].
pub fn csl_json_all(works: &[CiteWork]) -> Value {
    let keys = citation_keys(works);
    Value::Array(works.iter().zip(&keys).map(|(w, k)| csl_json(w, k)).collect())
}

fn csl_name((family, given, suffix): (String, String, Option<String>)) -> Value {
    let parts = [("family", Some(family)), ("given", Some(given).filter(|g| !g.is_empty())), ("suffix", suffix)];
    Value::Object(parts.into_iter().filter_map(|(k, v)| Some((k.to_string(), json!(v?)))).collect())
}

/// An APA-7-like plain-text reference: "Soudry, D., & Srebro, N. (2018). Title. Venue. link".
/// Up to 20 authors are listed; beyond that the first 19, "…", and the last. No authors puts the
/// title first; no year gives "(n.d.)". The link is the DOI URL, else the arXiv abstract page,
/// else our page. An arXiv preprint without a venue names "arXiv" as its venue.
pub fn apa_line(work: &CiteWork) -> String {
    let year = work.year.map_or_else(|| "n.d.".to_string(), |y| y.to_string());
    let title = sentence(&work.title);
    let mut parts = match apa_authors(work) {
        authors if authors.is_empty() => vec![title, format!("({year}).")],
        authors => vec![sentence(&authors), format!("({year})."), title],
    };
    let arxiv = nonempty(&work.arxiv_id);
    let venue = nonempty(&work.venue).or(arxiv.filter(|_| work.work_type == "preprint").map(|_| "arXiv"));
    parts.extend(venue.map(sentence));
    parts.push(match (nonempty(&work.doi), arxiv) {
        (Some(doi), _) => format!("https://doi.org/{doi}"),
        (None, Some(id)) => format!("https://arxiv.org/abs/{id}"),
        (None, None) => work.url.trim().to_string(),
    });
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// "Family, I. I." per author with a suffix after the initials ("King, M. L., Jr."), "&"
/// before the last.
fn apa_authors(work: &CiteWork) -> String {
    let name = |(family, given, suffix): (String, String, Option<String>)| {
        let parts = [Some(family), Some(initials(&given)), suffix];
        parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
    };
    let names: Vec<String> = people(work).into_iter().map(name).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first}, & {second}"),
        [init @ .., last] if names.len() <= 20 => format!("{}, & {last}", init.join(", ")),
        [.., last] => format!("{}, … {last}", names[..19].join(", ")),
    }
}

/// Collapsed text ending in a full stop unless it already ends in one, "?" or "!".
fn sentence(s: &str) -> String {
    let s = collapse_spaces(s);
    match s.chars().last() {
        None => s,
        Some('.' | '?' | '!') => s,
        Some(_) => format!("{s}."),
    }
}

/// The trimmed value of an optional field, or None when it is missing or blank.
fn nonempty(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A work with our page as its only link; tests add venue, DOI, arXiv id and abstract.
    fn work(work_type: &str, title: &str, authors: &[&str], year: Option<i32>) -> CiteWork {
        CiteWork {
            title: title.to_string(),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            year,
            work_type: work_type.to_string(),
            url: "https://bzpeer.example/w/some-work".to_string(),
            ..CiteWork::default()
        }
    }
    use biblatex::{Bibliography, ChunksExt, Date, DateValue, EntryType, PermissiveType};

    fn sample() -> Vec<CiteWork> {
        let mut article =
            work("article", "The Implicit Bias of Gradient Descent", &["Daniel Soudry", "Nathan Srebro"], Some(2018));
        article.venue = Some("Journal of Machine Learning Research".into());
        article.doi = Some("10.5555/jmlr_2018#1".into()); // verbatim: `_` and `#` stay raw
        let mut preprint = work("preprint", "Convergence of SGD", &["Mor Shpigel Nacson", "Daniel Soudry"], Some(2021));
        preprint.arxiv_id = Some("2110.12345".into());
        preprint.doi = Some("10.48550/arxiv.2110.12345".into());
        preprint.abstract_text = Some("We show\nthat  it converges.".into());
        let mut specials = work(
            "book-chapter",
            r"Costs & 100% of $x$ #1 under_score {set} ~tilde ^hat \back",
            &["Ludwig van Beethoven"],
            None,
        );
        specials.venue = Some("R&D Handbook".into());
        let accented = work(
            "dissertation",
            "Über Graphen",
            &["Jürgen Groß", "Søren Kierkegaard", "Martin Luther King Jr."],
            Some(1999),
        );
        vec![article, preprint, specials, accented]
    }

    #[test]
    fn every_latex_special_character_is_escaped() {
        assert_eq!(latex_escape(r"\ { } $ & % # _ ^ ~"), r"\textbackslash{} \{ \} \$ \& \% \# \_ \^{} \~{}");
        assert_eq!(latex_escape("  two\n lines "), "two lines");
    }

    #[test]
    fn bibtex_round_trips_through_the_biblatex_parser() {
        let works = sample();
        let keys = citation_keys(&works);
        let text = bibtex_all(&works);
        let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        assert_eq!(bib.len(), works.len());
        let expected_types = ["article", "misc", "incollection", "phdthesis"];
        for ((work, key), entry_type) in works.iter().zip(&keys).zip(expected_types) {
            let entry = bib.get(key).unwrap_or_else(|| panic!("no entry {key}"));
            assert_eq!(entry.entry_type, EntryType::new(entry_type));
            assert_eq!(entry.title().map(|t| t.format_verbatim()).ok().as_deref(), Some(work.title.as_str()));
            let authors: Vec<_> = (entry.author().unwrap_or_default().into_iter())
                .map(|p| (format!("{} {}", p.prefix, p.name).trim().to_string(), p.given_name, Some(p.suffix)))
                .map(|(family, given, suffix)| (family, given, suffix.filter(|s| !s.is_empty())))
                .collect();
            assert_eq!(authors, people(work));
            let year = match entry.date() {
                Ok(PermissiveType::Typed(Date { value: DateValue::At(at), .. })) => Some(at.year),
                _ => None,
            };
            assert_eq!(year, work.year);
            assert_eq!(entry.doi().ok(), work.doi);
            assert_eq!(entry.eprint().ok(), work.arxiv_id);
        }
        let preprint = bib.get(&keys[1]).map(|e| e.eprint_type().map(|t| t.format_verbatim()));
        assert_eq!(preprint.and_then(Result::ok).as_deref(), Some("arXiv"));
    }

    #[test]
    fn bibtex_writes_a_fixed_field_order() {
        let text = bibtex(&sample()[1], "k");
        let order: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(" = ").next()).map(str::trim).collect();
        assert_eq!(order, ["author", "title", "year", "doi", "eprint", "archivePrefix", "url", "abstract", "}"]);
        assert!(text.starts_with("@misc{k,\n") && text.ends_with("\n}\n"));
        assert!(text.contains("title = {{Convergence of SGD}}"));
    }

    #[test]
    fn csl_json_items_deserialize_as_citationberg_items() {
        let works = sample();
        let items = csl_json_all(&works);
        let parsed: Vec<citationberg::json::Item> =
            serde_json::from_value(items.clone()).unwrap_or_else(|e| panic!("{e}"));
        let keys = citation_keys(&works);
        for (item, key) in parsed.iter().zip(&keys) {
            assert_eq!(item.id().as_deref(), Some(key.as_str()));
            let kind = item.type_().map(|t| serde_json::from_value::<citationberg::taxonomy::Kind>(json!(t)));
            assert!(matches!(kind, Some(Ok(_))), "{kind:?}");
            assert!(matches!(item.0.get("author"), Some(citationberg::json::Value::Names(_))));
        }
        assert!(matches!(parsed[0].0.get("issued"), Some(citationberg::json::Value::Date(_))));
        assert_eq!(items[0]["author"][0], json!({"family": "Soudry", "given": "Daniel"}));
        assert_eq!(items[0]["issued"], json!({"date-parts": [[2018]]}));
        assert_eq!(items[1]["type"], "article");
        assert_eq!(items[1]["number"], "arXiv:2110.12345");
        assert_eq!(items[3]["author"][2], json!({"family": "King", "given": "Martin Luther", "suffix": "Jr."}));
        assert!(items[2].get("issued").is_none() && items[2].get("DOI").is_none());
    }

    #[test]
    fn ris_records_start_with_ty_end_with_er_and_use_tag_lines() {
        let text = ris_all(&sample());
        for record in text.split("\r\n\r\n") {
            let lines: Vec<&str> = record.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(lines[0].starts_with("TY  - "), "{record}");
            assert_eq!(lines.last(), Some(&"ER  - "));
            for b in lines.iter().map(|l| l.as_bytes()) {
                let tag = b.len() >= 6
                    && b[0].is_ascii_uppercase()
                    && b[1].is_ascii_alphanumeric()
                    && !b[1].is_ascii_lowercase();
                assert!(tag && &b[2..6] == b"  - ", "bad line {:?}", String::from_utf8_lossy(b));
            }
        }
        let preprint = ris(&sample()[1]);
        let tags: Vec<&str> = preprint.lines().map(|l| &l[..2]).collect();
        assert_eq!(tags, ["TY", "TI", "AU", "AU", "PY", "DO", "UR", "AB", "ER"]);
        assert!(preprint.starts_with("TY  - UNPB\r\n") && preprint.contains("AU  - Nacson, Mor Shpigel\r\n"));
        assert!(preprint.contains("AB  - We show that it converges.\r\n"));
    }

    #[test]
    fn apa_lists_one_two_and_three_authors() {
        let mut one = work("article", "Title", &["Daniel Soudry"], Some(2018));
        one.venue = Some("JMLR".into());
        one.doi = Some("10.1/x".into());
        assert_eq!(apa_line(&one), "Soudry, D. (2018). Title. JMLR. https://doi.org/10.1/x");
        let two = work("book", "Title?", &["Daniel Soudry", "Nathan Srebro"], Some(2018));
        assert_eq!(apa_line(&two), "Soudry, D., & Srebro, N. (2018). Title? https://bzpeer.example/w/some-work");
        let mut three =
            work("preprint", "Title", &["Shpigel Nacson, Mor", "Daniel Soudry", "Nathan Srebro"], Some(2019));
        three.arxiv_id = Some("1905.1".into());
        assert_eq!(
            apa_line(&three),
            "Shpigel Nacson, M., Soudry, D., & Srebro, N. (2019). Title. arXiv. https://arxiv.org/abs/1905.1"
        );
    }

    #[test]
    fn apa_handles_no_year_no_authors_suffixes_and_long_lists() {
        let no_year = work("article", "Title", &["Jean-Paul Sartre", "Martin Luther King Jr."], None);
        assert_eq!(
            apa_line(&no_year),
            "Sartre, J.-P., & King, M. L., Jr. (n.d.). Title. https://bzpeer.example/w/some-work"
        );
        assert_eq!(
            apa_line(&work("article", "Title", &[], Some(2000))),
            "Title. (2000). https://bzpeer.example/w/some-work"
        );
        let names: Vec<String> = (1..=22).map(|i| format!("Ann Author{i}")).collect();
        let many = work("article", "T", &names.iter().map(String::as_str).collect::<Vec<_>>(), Some(2000));
        let line = apa_line(&many);
        assert!(line.starts_with("Author1, A., ") && line.contains("Author19, A., … Author22, A. (2000)."), "{line}");
        assert!(!line.contains("Author20"));
    }
}

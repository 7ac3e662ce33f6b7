//! Owns the parsing of one page of an arXiv OAI-PMH `ListRecords` answer (metadataPrefix=arXiv) into JSON records
//! shaped like the Kaggle "arxiv-metadata-oai-snapshot" file; pure, no network and no database.

use std::fmt;

use chrono::NaiveDate;
use roxmltree::{Document, Node};
use serde_json::{json, Map, Value};

/// Namespace of the OAI-PMH envelope.
const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
/// Namespace of the `arXiv` metadata format.
const ARXIV_NS: &str = "http://arxiv.org/OAI/arXiv/";

/// One page of a `ListRecords` answer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OaiPage {
    /// Records in the arXiv snapshot's JSON shape, in document order.
    pub records: Vec<Value>,
    /// Records whose header has status="deleted" (no metadata): counted, not returned.
    pub deleted: usize,
    /// The resumption token; None when absent or empty (the list is complete).
    pub resumption_token: Option<String>,
    /// `completeListSize` of the resumptionToken element, when given.
    pub complete_list_size: Option<u64>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum OaiError {
    /// Not XML, or not an OAI-PMH document (root element is not OAI-PMH in namespace
    /// `http://www.openarchives.org/OAI/2.0/`).
    Malformed(String),
    /// An OAI-PMH `<error code="..">message</error>` other than noRecordsMatch (e.g. badResumptionToken,
    /// badArgument, cannotDisseminateFormat, noSetHierarchy).
    Protocol { code: String, message: String },
}

impl fmt::Display for OaiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OaiError::Malformed(why) => write!(f, "the OAI-PMH response is malformed: {why}"),
            OaiError::Protocol { code, message } if message.is_empty() => {
                write!(f, "the OAI-PMH server answered {code}")
            }
            OaiError::Protocol { code, message } => write!(f, "the OAI-PMH server answered {code}: {message}"),
        }
    }
}

impl std::error::Error for OaiError {}

/// Parses one page. `<error code="noRecordsMatch">` is an empty page (Ok, no records, no token), not an error.
///
/// # Errors
///
/// [`OaiError::Malformed`] when the text is not XML, its root is not `OAI-PMH` in the OAI namespace, or it holds
/// neither `ListRecords` nor `error`; [`OaiError::Protocol`] for any other OAI-PMH `<error>` the server answered.
pub fn parse_page(xml: &str) -> Result<OaiPage, OaiError> {
    let doc = Document::parse(xml).map_err(|e| OaiError::Malformed(format!("not XML: {e}")))?;
    let root = doc.root_element();
    if !is(root, OAI_NS, "OAI-PMH") {
        let tag = root.tag_name();
        return Err(OaiError::Malformed(match tag.namespace() {
            Some(ns) => format!("the root element is <{}> in namespace {ns}, not <OAI-PMH> in {OAI_NS}", tag.name()),
            None => format!("the root element is <{}> without namespace, not <OAI-PMH> in {OAI_NS}", tag.name()),
        }));
    }

    let mut saw_no_records = false;
    for error in children(root, OAI_NS, "error") {
        let message = collapsed_text(error);
        match error.attribute("code").map(str::trim) {
            Some("noRecordsMatch") => saw_no_records = true,
            Some(code) if !code.is_empty() => {
                return Err(OaiError::Protocol { code: code.to_string(), message });
            }
            _ => return Err(OaiError::Malformed(format!("an <error> element has no code attribute: {message}"))),
        }
    }
    if saw_no_records {
        return Ok(OaiPage::default());
    }

    let list = child(root, OAI_NS, "ListRecords")
        .ok_or_else(|| OaiError::Malformed("the document has neither <ListRecords> nor <error>".to_string()))?;

    let mut page = OaiPage::default();
    for record in children(list, OAI_NS, "record") {
        let header = child(record, OAI_NS, "header");
        if header.and_then(|h| h.attribute("status")).map(str::trim) == Some("deleted") {
            page.deleted += 1;
            continue;
        }
        let datestamp = header.and_then(|h| child(h, OAI_NS, "datestamp")).map(collapsed_text);
        let metadata = child(record, OAI_NS, "metadata").and_then(|m| child(m, ARXIV_NS, "arXiv"));
        if let Some(value) = metadata.and_then(|m| arxiv_record(m, datestamp)) {
            page.records.push(value);
        }
    }

    if let Some(token) = child(list, OAI_NS, "resumptionToken") {
        let text = all_text(token);
        let text = text.trim();
        page.resumption_token = (!text.is_empty()).then(|| text.to_string());
        page.complete_list_size = token.attribute("completeListSize").and_then(|s| s.trim().parse().ok());
    }
    Ok(page)
}

/// Builds the Kaggle-shaped JSON of one `<arXiv>` metadata element; None when it carries no id.
fn arxiv_record(meta: Node<'_, '_>, datestamp: Option<String>) -> Option<Value> {
    let field = |name: &str| child(meta, ARXIV_NS, name).map(collapsed_text).filter(|s| !s.is_empty());
    let id = field("id")?;

    let mut out = Map::new();
    out.insert("id".into(), Value::String(id));
    out.insert("authors".into(), Value::String(authors(meta)));
    for (key, element) in [
        ("title", "title"),
        ("comments", "comments"),
        ("journal-ref", "journal-ref"),
        ("doi", "doi"),
        ("report-no", "report-no"),
        ("categories", "categories"),
        ("license", "license"),
        ("abstract", "abstract"),
    ] {
        if let Some(text) = field(element) {
            out.insert(key.into(), Value::String(text));
        }
    }
    if !out.contains_key("categories") {
        out.insert("categories".into(), Value::String(String::new()));
    }

    let created = field("created").and_then(|s| parse_date(&s));
    let updated = field("updated").and_then(|s| parse_date(&s));
    let versions: Vec<Value> = created
        .iter()
        .map(|d| json!({"version": "v1", "created": d.format("%a, %-d %b %Y 00:00:00 GMT").to_string()}))
        .collect();
    out.insert("versions".into(), Value::Array(versions));
    if let Some(date) = updated.or(created) {
        out.insert("update_date".into(), Value::String(date.format("%Y-%m-%d").to_string()));
    }
    if let Some(stamp) = datestamp.filter(|s| !s.is_empty()) {
        out.insert("oai_datestamp".into(), Value::String(stamp));
    }
    Some(Value::Object(out))
}

/// "forenames keyname suffix" per author, joined by ", " as in the Kaggle file.
fn authors(meta: Node<'_, '_>) -> String {
    let Some(list) = child(meta, ARXIV_NS, "authors") else {
        return String::new();
    };
    children(list, ARXIV_NS, "author")
        .map(|author| {
            ["forenames", "keyname", "suffix"]
                .iter()
                .filter_map(|part| child(author, ARXIV_NS, part).map(collapsed_text))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|name| !name.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `YYYY-MM-DD` date, tolerating surrounding whitespace.
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Whether `node` is the element `name` in namespace `ns`, whatever its prefix.
fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

/// Child elements named `name` in namespace `ns`, in document order.
fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| is(*c, ns, name))
}

/// The first child element named `name` in namespace `ns`.
fn child<'a, 'input: 'a>(node: Node<'a, 'input>, ns: &str, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| is(*c, ns, name))
}

/// All text descendants of `node`, concatenated (entities and CDATA already decoded by roxmltree).
fn all_text(node: Node<'_, '_>) -> String {
    node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect()
}

/// The text of `node` with every whitespace run collapsed to one space, trimmed.
fn collapsed_text(node: Node<'_, '_>) -> String {
    all_text(node).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;

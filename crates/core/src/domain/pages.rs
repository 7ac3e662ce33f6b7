//! The pages kept as documents: a researcher's profile, a work, a topic and an institution, each
//! named by a key that every write which changes the page moves the version of (`a:<slug>`,
//! `w:<slug>`, `t:<id>`, `i:<id>`; a topic or an institution by its id, which any address of it
//! ends in); and the sitemap of a range of ids (`sm:<table>:<n>`, moved by any row of the range
//! added, removed or changed).

use super::slug::{subject_id, Slug};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKey {
    Author(String),
    Work(String),
    Topic(i64),
    Institution(i64),
    /// The sitemap of one range of a table's ids (`views::sitemap`): the table and the range's number.
    Sitemap(&'static str, i64),
}

impl PageKey {
    /// The key of the page at `path` (`/authors/<slug>` and the like, nothing after it), if it
    /// is one that is kept.
    pub fn of_path(path: &str) -> Option<Self> {
        let mut parts = path.strip_prefix('/')?.split('/');
        let (kind, slug) = (parts.next()?, parts.next()?);
        if parts.next().is_some() || slug.is_empty() {
            return None;
        }
        match kind {
            "authors" => Slug::parse(slug).ok().map(|s| Self::Author(s.into_string())),
            "works" => Slug::parse(slug).ok().map(|s| Self::Work(s.into_string())),
            "topics" => subject_id(slug).map(Self::Topic),
            "institutions" => subject_id(slug).map(Self::Institution),
            _ => None,
        }
    }

    /// As `page_versions` and `kept_pages` name it.
    pub fn as_key(&self) -> String {
        match self {
            Self::Author(slug) => format!("a:{slug}"),
            Self::Work(slug) => format!("w:{slug}"),
            Self::Topic(id) => format!("t:{id}"),
            Self::Institution(id) => format!("i:{id}"),
            Self::Sitemap(table, number) => format!("sm:{table}:{number}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_kept_page_kinds_are_named_by_their_address() {
        let key = |path: &str| PageKey::of_path(path).map(|k| k.as_key());
        assert_eq!(key("/authors/ada-lovelace-arxiv-0a1b2c3d4e").as_deref(), Some("a:ada-lovelace-arxiv-0a1b2c3d4e"));
        assert_eq!(key("/works/on-engines-9f").as_deref(), Some("w:on-engines-9f"));
        assert_eq!(key("/topics/machine-learning-12").as_deref(), Some("t:12"));
        assert_eq!(key("/topics/any-words-12").as_deref(), Some("t:12"), "any address of topic 12");
        assert_eq!(key("/institutions/mit-7").as_deref(), Some("i:7"));
        for other in
            ["/", "/authors/", "/authors/x/claim", "/authors/x/suggestions", "/search", "/explore", "/topics/no-id"]
        {
            assert_eq!(key(other), None, "{other}");
        }
    }
}

//! The kinds of metadata an import reads: arXiv snapshots and OpenAlex works, authors and
//! institutions, with the names the command line and the harvest checkpoints use.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Arxiv,
    OpenAlexWorks,
    OpenAlexAuthors,
    OpenAlexInstitutions,
}

impl ImportKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Arxiv => "arxiv",
            Self::OpenAlexWorks => "openalex-works",
            Self::OpenAlexAuthors => "openalex-authors",
            Self::OpenAlexInstitutions => "openalex-institutions",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Arxiv, Self::OpenAlexWorks, Self::OpenAlexAuthors, Self::OpenAlexInstitutions]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

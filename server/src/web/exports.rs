//! Citation files: `/works/<slug>.bib`, `.ris` and `.json` (CSL-JSON) for one work, and the same
//! under `/authors/<slug>` for every work on a record (hidden ones left out, newest first), with
//! the content types reference managers expect. Read like pages (a replica may answer).

use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bzpeer_core::domain::cite::CiteWork;
use formats::cite::{bibtex_all, csl_json_all, ris_all};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Bibtex,
    Ris,
    CslJson,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Bibtex => "application/x-bibtex; charset=utf-8",
            Format::Ris => "application/x-research-info-systems; charset=utf-8",
            Format::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    fn render(self, works: &[CiteWork]) -> String {
        match self {
            Format::Bibtex => bibtex_all(works),
            Format::Ris => ris_all(works),
            Format::CslJson => format!("{:#}\n", csl_json_all(works)),
        }
    }
}

/// `(is a record, slug, format)` when the path names a citation file.
fn citation_file(path: &str) -> Option<(bool, &str, Format)> {
    let (record, rest) = match path.strip_prefix("/works/") {
        Some(rest) => (false, rest),
        None => (true, path.strip_prefix("/authors/")?),
    };
    let (slug, extension) = rest.rsplit_once('.')?;
    let format = match extension {
        "bib" => Format::Bibtex,
        "ris" => Format::Ris,
        "json" => Format::CslJson,
        _ => return None,
    };
    let valid = !slug.is_empty() && slug.len() <= 200 && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then_some((record, slug, format))
}

/// Answers a GET for a citation file; passes every other request on.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((record, slug, format)) =
        (request.method() == Method::GET).then(|| citation_file(request.uri().path())).flatten()
    else {
        return next.run(request).await;
    };
    let pool = crate::http::replicas::read_pool(&state, request.extensions()).await;
    let found = async {
        let mut conn = pool.acquire().await?;
        if record {
            db::views::cite::record(&mut conn, slug, &state.site_url).await
        } else {
            Ok(db::views::cite::work(&mut conn, slug, &state.site_url).await?.map(|w| vec![w]))
        }
    }
    .await;
    let works = match found {
        Ok(Some(works)) => works,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such record or work on BZPEER.\n").into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return crate::http::security::refusal(status, "This file cannot be made now", &e, request.headers());
        }
    };
    let name = format!("{slug}.{}", request.uri().path().rsplit('.').next().unwrap_or("txt"));
    let mut response = (StatusCode::OK, format.render(&works)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_citation_file_paths_are_taken() {
        assert_eq!(citation_file("/works/a-b.bib"), Some((false, "a-b", Format::Bibtex)));
        assert_eq!(citation_file("/authors/x-1.ris"), Some((true, "x-1", Format::Ris)));
        assert_eq!(citation_file("/authors/x.json"), Some((true, "x", Format::CslJson)));
        for other in ["/works/a-b", "/works/a.pdf", "/works/.bib", "/works/a/b.bib", "/pkg/x.json", "/works/a%2F.bib"] {
            assert_eq!(citation_file(other), None, "{other}");
        }
    }
}

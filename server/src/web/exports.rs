//! Citation files: `/works/<slug>.bib`, `.ris` and `.json` (CSL-JSON) for one work, and the same
//! under `/authors/<slug>` for every work on a record (hidden ones left out, newest first), with
//! the content types reference managers expect. One work's file is read like a page (a replica
//! may answer); a record's is kept at the record's version, as its page is (`http::kept`): made
//! once from the primary (and sent at once, compressed and kept after), then served as the same
//! bytes, compressed, with an `ETag`.

use crate::http::kept;
use crate::http::state::AppState;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bzpeer_core::domain::cite::CiteWork;
use bzpeer_core::domain::pages::PageKey;
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

    fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Ris => "ris",
            Format::CslJson => "json",
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
    let name = format!("{slug}.{}", format.extension());
    let kept_as = record.then(|| PageKey::Author(slug.to_owned()));
    // A record's file: its version first, then (when no rendering is kept at it) the rows from
    // the primary, so what is kept is never older than the version it is kept at.
    let mut version = None;
    if let Some(key) = &kept_as {
        match kept::lookup(&state, key, Some(format.extension())).await {
            Ok((_, Some(file))) => {
                return named(kept::answer(&file, request.method(), request.headers(), format.content_type()), &name)
            }
            Ok((now, None)) => version = Some(now),
            // Made as without keeping; the read below says what is wrong.
            Err(_) => {}
        }
    }
    let pool = match version {
        Some(_) => state.pool.clone(),
        None => crate::http::replicas::read_pool(&state, request.extensions()).await,
    };
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
    let body = Bytes::from(format.render(&works));
    let mut response = (StatusCode::OK, body.clone()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let (Some(key), Some(version)) = (kept_as, version) {
        kept::keep_after_sending(&mut response, &state, (key, Some(format.extension())), version, body, String::new());
    }
    named(response, &name)
}

/// The response with the file's name, for a reference manager or a browser saving it.
fn named(mut response: Response, name: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
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

//! `/robots.txt`, `/sitemap.xml` (a sitemap index) and `/sitemaps/<table>-<n>.xml`: one sitemap
//! per range of ids, read as one range of a primary key, so every sitemap costs the same
//! whatever the catalogue's size. A range's sitemap is kept as a page is (`http::kept`), at the
//! range's version (moved by any row of the range added, removed or changed: the migration
//! `kept_sitemaps`): made once from the primary, then served as the same bytes, compressed, with
//! an `ETag`.

use crate::http::kept;
use crate::http::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bzpeer_core::domain::pages::PageKey;
use bzpeer_core::error::AppError;
use db::views::sitemap::{self as listed_rows, Listed};
use formats::sitemap::{self, Url};

/// Sitemaps a table may have: far past any catalogue (50,000 × 100,000 ids), and small enough
/// that no number overflows.
const MAX_SITEMAPS: i64 = 100_000;

/// What crawlers may read: every page but the account, moderation, developer and API ones.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = sitemap::robots(
        &state.site_url,
        &["/api/", "/me/", "/moderation/", "/dev/", "/login", "/signup", "/logout", "/conversations/"],
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, sitemap::CONTENT_TYPE), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

fn failed(error: AppError, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    crate::http::security::refusal(status, "The sitemap cannot be made now", &error, headers)
}

/// The sitemap index: the fixed pages' sitemap, then each table's.
pub async fn index(State(state): State<AppState>, parts: Parts) -> Response {
    let pool = crate::http::replicas::read_pool(&state, &parts.extensions).await;
    let counts = async {
        let mut conn = pool.acquire().await?;
        let mut counts = Vec::new();
        for listed in Listed::ALL {
            counts.push((listed, listed_rows::sitemaps(&mut conn, listed).await?));
        }
        Ok::<_, AppError>(counts)
    }
    .await;
    let counts = match counts {
        Ok(counts) => counts,
        Err(e) => return failed(e, &parts.headers),
    };
    let site = &state.site_url;
    let mut sitemaps = vec![Url { loc: format!("{site}/sitemaps/pages.xml"), lastmod: None }];
    for (listed, n) in counts {
        for number in 0..n.min(MAX_SITEMAPS) {
            sitemaps.push(Url { loc: format!("{site}/sitemaps/{}-{number}.xml", listed.name()), lastmod: None });
        }
    }
    xml(sitemap::index(&sitemaps))
}

/// `pages.xml` or `<table>-<n>.xml`.
pub async fn one(State(state): State<AppState>, Path(file): Path<String>, parts: Parts) -> Response {
    let site = &state.site_url;
    if file == "pages.xml" {
        let pages = ["", "/search", "/explore", "/about/trust"];
        return xml(sitemap::urlset(
            &pages.iter().map(|p| Url { loc: format!("{site}{p}"), lastmod: None }).collect::<Vec<_>>(),
        ));
    }
    let Some((listed, number)) = parse_name(&file) else {
        return failed(AppError::NotFound("this sitemap".to_owned()), &parts.headers);
    };
    let key = PageKey::Sitemap(listed.name(), number);
    let version = match kept::lookup(&state, &key, None).await {
        Ok((_, Some(kept))) => return kept::answer(&kept, &parts.method, &parts.headers, sitemap::CONTENT_TYPE),
        Ok((version, None)) => version,
        Err(e) => return failed(e, &parts.headers),
    };
    // From the primary: a replica behind the version just read would keep older rows at it.
    let entries = async {
        let mut conn = state.pool.acquire().await?;
        listed_rows::entries(&mut conn, listed, number).await
    }
    .await;
    match entries {
        // The protocol's schema wants at least one URL: a range with none has no sitemap.
        Ok(entries) if entries.is_empty() => failed(AppError::NotFound("this sitemap".to_owned()), &parts.headers),
        Ok(entries) => {
            let body = sitemap::urlset(
                &entries
                    .into_iter()
                    .map(|(slug, lastmod)| Url { loc: format!("{site}/{}/{slug}", listed.name()), lastmod })
                    .collect::<Vec<_>>(),
            );
            let body = Bytes::from(body);
            let mut response = ([(header::CONTENT_TYPE, sitemap::CONTENT_TYPE)], body.clone()).into_response();
            kept::keep_after_sending(&mut response, &state, (key, None), version, body, String::new());
            response
        }
        Err(e) => failed(e, &parts.headers),
    }
}

/// `works-12.xml` → (works, 12).
fn parse_name(file: &str) -> Option<(Listed, i64)> {
    let (name, number) = file.strip_suffix(".xml")?.rsplit_once('-')?;
    let ok = !number.is_empty() && number.len() <= 6 && number.bytes().all(|b| b.is_ascii_digit());
    let number = ok.then(|| number.parse::<i64>().ok()).flatten().filter(|n| *n < MAX_SITEMAPS)?;
    Some((Listed::parse(name)?, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_names_are_parsed_strictly() {
        assert_eq!(parse_name("works-12.xml"), Some((Listed::Works, 12)));
        assert_eq!(parse_name("institutions-0.xml"), Some((Listed::Institutions, 0)));
        for bad in ["works.xml", "works-.xml", "works-1", "users-1.xml", "works-+1.xml", "works-9999999.xml"] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}

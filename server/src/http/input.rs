//! The one input guard in front of every handler: a NUL byte in the query string or the body is
//! refused (400, with a reason) before any work. PostgreSQL stores no NUL in text, so a field
//! carrying one would fail in the database as a 500; no field of ours has a use for it.

use crate::http::security::refusal;
use crate::http::state::BODY_LIMIT_BYTES;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use bzpeer_core::error::AppError;

/// Whether URL-encoded text (a query string, a form body) decodes to something holding NUL:
/// only a raw NUL byte or `%00` can (`%2500` is the text `%00`, and is fine).
pub fn has_nul(encoded: &[u8]) -> bool {
    encoded.contains(&0) || encoded.windows(3).any(|w| w == b"%00")
}

fn refuse(headers: &axum::http::HeaderMap) -> Response {
    let error = AppError::Request("it contains a NUL character (%00), which no field accepts".into());
    refusal(StatusCode::BAD_REQUEST, "This address or form is not valid", &error, headers)
}

/// Refuses a request whose query or body holds a NUL; reads the body (at most the body limit,
/// else 413) only when there is one.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    if request.uri().query().is_some_and(|q| has_nul(q.as_bytes())) {
        tracing::info!(path = %request.uri().path(), "refused a NUL in the query");
        return refuse(request.headers());
    }
    if request.headers().get(axum::http::header::CONTENT_LENGTH).is_some_and(|l| l == "0")
        || matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD)
    {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await else {
        let error = AppError::Request("the form is too large".into());
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large", &error, &parts.headers);
    };
    if has_nul(&bytes) {
        tracing::info!(path = %parts.uri.path(), "refused a NUL in the body");
        return refuse(&parts.headers);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_raw_or_percent_encoded_and_nowhere_else() {
        assert!(has_nul(b"q=a%00b"));
        assert!(has_nul(b"q=a\0b"));
        assert!(has_nul(b"%00"));
        assert!(!has_nul(b"q=a%2500b&x=%0"));
        assert!(!has_nul(b"q=100%25+of+it"));
        assert!(!has_nul(b""));
    }
}

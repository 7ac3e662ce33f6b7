//! How the API answers: JSON with `fields` selection, a strong `ETag` and `Cache-Control`, a 304
//! to a matching `If-None-Match`; errors as JSON with a stable code; opaque page cursors.

use super::types::{ApiError, ErrorBody};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bzpeer_core::error::AppError;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How long a client or a shared cache may keep an answer.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// A refusal as the API gives it: `{"error": {"code", "message", "parameter"}}`.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>, parameter: Option<&str>) -> Response {
    let body = ApiError {
        error: ErrorBody { code: code.to_owned(), message: message.into(), parameter: parameter.map(str::to_owned) },
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An `AppError` as the API's refusal.
pub fn app_error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match e {
        AppError::Invalid { field, reason } => error(status, "invalid_parameter", reason, Some(&field)),
        AppError::NotFound(what) => error(status, "not_found", format!("{what} was not found"), None),
        AppError::RateLimited { .. } => error(status, "rate_limited", e.to_string(), None),
        AppError::Unavailable => error(status, "unavailable", "try again in a moment", None),
        AppError::Internal => error(status, "internal", e.to_string(), None),
        other => error(status, "invalid_request", other.to_string(), None),
    }
}

pub fn not_found(what: &str) -> Response {
    app_error(AppError::NotFound(what.to_owned()))
}

/// The fields a client asked for (`fields=id,title`), each a top-level name of the answer (of
/// each result, for a list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields(Option<Vec<String>>);

impl Fields {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(Self(None));
        };
        let names: Vec<String> = raw.split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect();
        let valid = |f: &String| f.len() <= 40 && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if names.is_empty() || names.len() > 40 || !names.iter().all(valid) {
            return Err(AppError::invalid("fields", "a comma-separated list of field names"));
        }
        Ok(Self(Some(names)))
    }

    /// Keeps the asked fields of `object`; a name the object does not have is refused.
    fn select(&self, value: serde_json::Value) -> Result<serde_json::Value, AppError> {
        let (Some(names), serde_json::Value::Object(mut object)) = (&self.0, value.clone()) else {
            return Ok(value);
        };
        let mut kept = serde_json::Map::new();
        for name in names {
            let field = object.remove(name).ok_or_else(|| AppError::invalid("fields", format!("no field {name}")))?;
            kept.insert(name.clone(), field);
        }
        Ok(serde_json::Value::Object(kept))
    }

    /// The answer with only the asked fields: of the object, or of each of its `results`.
    pub fn apply(&self, value: serde_json::Value) -> Result<serde_json::Value, AppError> {
        match value {
            serde_json::Value::Object(mut object) if object.contains_key("results") => {
                if let Some(serde_json::Value::Array(items)) = object.remove("results") {
                    let items = items.into_iter().map(|item| self.select(item)).collect::<Result<Vec<_>, _>>()?;
                    object.insert("results".to_owned(), serde_json::Value::Array(items));
                }
                Ok(serde_json::Value::Object(object))
            }
            other => self.select(other),
        }
    }
}

/// The strong validator of a body: the first 128 bits of its SHA-256.
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names `tag` (or is `*`), by weak comparison (RFC 9110 13.1.2).
pub fn none_match(headers: &HeaderMap, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|list| list.split(',').any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(tag)))
}

/// `value` as JSON with the asked fields, or a 304 when the client holds this very answer.
pub fn json(value: &impl Serialize, fields: &Fields, request: &HeaderMap) -> Response {
    let value = match serde_json::to_value(value) {
        Ok(value) => value,
        Err(e) => {
            tracing::error!(%e, "an API answer did not serialize");
            return app_error(AppError::Internal);
        }
    };
    let value = match fields.apply(value) {
        Ok(value) => value,
        Err(e) => return app_error(e),
    };
    let body = value.to_string().into_bytes();
    let tag = etag(&body);
    let status = if none_match(request, &tag) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
    let mut response = if status == StatusCode::NOT_MODIFIED {
        status.into_response()
    } else {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, tag);
    }
    response
}

/// A page position as clients hold it: opaque (base64url of the order's own cursor).
pub fn encode_cursor(order: &str, position: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{order}:{position}"))
}

/// The position a cursor holds for `order`; a cursor of another order, or not ours, is refused.
pub fn decode_cursor(raw: &str, order: &str) -> Result<String, AppError> {
    let bad = || AppError::invalid("cursor", "not a cursor this list gave (start again without one)");
    if raw.len() > 200 {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (given, position) = text.split_once(':').ok_or_else(bad)?;
    if given != order {
        return Err(bad());
    }
    Ok(position.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_what_was_asked_and_refuse_what_is_not_there() {
        let fields = Fields::parse(Some("id, title")).expect("as the test set it up");
        let one = serde_json::json!({"id": 1, "title": "x", "year": 2020});
        assert_eq!(fields.apply(one).expect("as the test set it up"), serde_json::json!({"id": 1, "title": "x"}));
        let list = serde_json::json!({"results": [{"id": 1, "title": "x", "year": 1}], "next_cursor": null});
        assert_eq!(
            fields.apply(list).expect("as the test set it up"),
            serde_json::json!({"results": [{"id": 1, "title": "x"}], "next_cursor": null})
        );
        assert!(Fields::parse(Some("nope"))
            .expect("as the test set it up")
            .apply(serde_json::json!({"id": 1}))
            .is_err());
        assert!(Fields::parse(Some("id,<b>")).is_err());
        assert_eq!(Fields::parse(Some("")).expect("as the test set it up"), Fields(None));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_stars() {
        let tag = etag(b"{}");
        let mut headers = HeaderMap::new();
        assert!(!none_match(&headers, &tag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", W/{tag}")).expect("as the test set it up"),
        );
        assert!(none_match(&headers, &tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(none_match(&headers, &tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!none_match(&headers, &tag));
    }

    #[test]
    fn cursors_round_trip_and_refuse_other_orders_and_junk() {
        let cursor = encode_cursor("newest", "2020-01-01.12");
        assert_eq!(decode_cursor(&cursor, "newest").expect("as the test set it up"), "2020-01-01.12");
        assert!(decode_cursor(&cursor, "id").is_err());
        for junk in ["", "!!!", "bm90IGEgY3Vyc29y", &"a".repeat(300)] {
            assert!(decode_cursor(junk, "id").is_err(), "{junk}");
        }
    }
}

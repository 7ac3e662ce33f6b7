//! Settings from the environment, read once at start.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Requests one client may make to the JSON API per minute unless `BZPEER_API_PER_MINUTE` says
/// otherwise.
pub const API_PER_MINUTE: i32 = 600;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: when set, the only database used.
    pub database_url: Option<String>,
    /// `BZPEER_DATABASE_NAME`: the database used on a local or embedded server (default `bzpeer`).
    pub database_name: String,
    /// `BZPEER_EMBEDDED_DIR`: where the embedded cluster keeps its files (default `.data/postgres`).
    pub embedded_dir: PathBuf,
    /// `BZPEER_SITE_URL`: the public origin, for canonical links (default `http://<site address>`).
    pub site_url: Option<String>,
    /// `BZPEER_SMTP_URL` and `BZPEER_MAIL_FROM`: send mail over SMTP; without them mail goes to
    /// the outbox table.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// `BZPEER_TRUSTED_PROXIES=<n>`, or `BZPEER_TRUST_PROXY=1` for one: how many proxies in front
    /// of the server append to `X-Forwarded-For` (0, the default: the header is ignored).
    pub trusted_proxies: usize,
    /// `BZPEER_DEV_OUTBOX=1`: show the outbox at `/dev/outbox` (honoured on loopback only, see
    /// `dev_outbox_allowed`).
    pub dev_outbox: bool,
    /// `DATABASE_READ_URL`: one or more comma-separated replica URLs for the page reads that
    /// tolerate lag (see `replicas`); none: every read goes to the primary.
    pub read_urls: Vec<String>,
    /// `BZPEER_REPLICA_MAX_LAG_MS` (default 5,000): a replica further behind is skipped.
    pub replica_max_lag: Duration,
    /// `BZPEER_SHUTDOWN_GRACE_SECS` (default 20): after SIGTERM, how long requests in flight
    /// may take to finish.
    pub shutdown_grace: Duration,
    /// `BZPEER_API_PER_MINUTE` (default `API_PER_MINUTE`): requests one client may make to
    /// the JSON API a minute.
    pub api_per_minute: i32,
    /// `BZPEER_HEAVY_PER_MINUTE` (default `http::heavy::HEAVY_PER_MINUTE`): sitemaps and whole
    /// record citation files one client may ask for a minute.
    pub heavy_per_minute: i32,
    /// `BZPEER_STATEMENT_TIMEOUT_MS` (default 5,000): the longest a statement of a request may
    /// run before it is cancelled and the request answered 503 (jobs and imports have no limit).
    pub statement_timeout: Duration,
}

impl Settings {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Settings {
            database_url: var("DATABASE_URL"),
            database_name: var("BZPEER_DATABASE_NAME").unwrap_or_else(|| "bzpeer".to_owned()),
            embedded_dir: var("BZPEER_EMBEDDED_DIR").map_or_else(|| PathBuf::from(".data/postgres"), PathBuf::from),
            site_url: var("BZPEER_SITE_URL").map(|u| u.trim_end_matches('/').to_owned()),
            smtp_url: var("BZPEER_SMTP_URL"),
            mail_from: var("BZPEER_MAIL_FROM").unwrap_or_else(|| "BZPEER <no-reply@bzpeer.invalid>".to_owned()),
            trusted_proxies: var("BZPEER_TRUSTED_PROXIES").and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| {
                usize::from(var("BZPEER_TRUST_PROXY").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")))
            }),
            dev_outbox: var("BZPEER_DEV_OUTBOX").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
            read_urls: var("DATABASE_READ_URL")
                .map(|v| v.split(',').map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            replica_max_lag: Duration::from_millis(
                var("BZPEER_REPLICA_MAX_LAG_MS").and_then(|v| v.trim().parse().ok()).unwrap_or(5_000),
            ),
            shutdown_grace: Duration::from_secs(
                var("BZPEER_SHUTDOWN_GRACE_SECS").and_then(|v| v.trim().parse().ok()).unwrap_or(20),
            ),
            statement_timeout: Duration::from_millis(
                var("BZPEER_STATEMENT_TIMEOUT_MS").and_then(|v| v.trim().parse().ok()).unwrap_or(5_000),
            ),
            api_per_minute: var("BZPEER_API_PER_MINUTE")
                .and_then(|v| v.trim().parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(API_PER_MINUTE),
            heavy_per_minute: var("BZPEER_HEAVY_PER_MINUTE")
                .and_then(|v| v.trim().parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(crate::http::heavy::HEAVY_PER_MINUTE),
        }
    }
}

/// Whether `/dev/outbox` may be served: it shows every verification link and private mail, so
/// only when asked for (`BZPEER_DEV_OUTBOX=1`), with the server listening on a loopback address
/// and a loopback site URL (not published through a proxy). `Err` says why a request was refused.
pub fn dev_outbox_allowed(requested: bool, listen: SocketAddr, site_url: &str) -> Result<bool, String> {
    if !requested {
        return Ok(false);
    }
    if !listen.ip().is_loopback() {
        return Err(format!("BZPEER_DEV_OUTBOX ignored: {listen} is not a loopback address"));
    }
    let authority = site_url.split_once("://").map_or(site_url, |(_, rest)| rest);
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .filter(|(h, port)| !h.is_empty() && !h.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(true)
    } else {
        Err(format!("BZPEER_DEV_OUTBOX ignored: the site URL {site_url} is not a loopback address"))
    }
}

/// A database name safe to put in `CREATE DATABASE` (lower-case letters, digits, `_`).
pub fn valid_database_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_restricted_to_safe_identifiers() {
        assert!(valid_database_name("bzpeer"));
        assert!(valid_database_name("bzpeer_e2e"));
        assert!(!valid_database_name("bz\"; DROP"));
        assert!(!valid_database_name("1db"));
        assert!(!valid_database_name(""));
    }

    #[test]
    fn the_outbox_is_served_only_when_asked_for_on_loopback() {
        let local: SocketAddr = "127.0.0.1:3000".parse().expect("address");
        let v6: SocketAddr = "[::1]:3000".parse().expect("address");
        let public: SocketAddr = "0.0.0.0:3000".parse().expect("address");
        assert_eq!(dev_outbox_allowed(false, local, "http://127.0.0.1:3000"), Ok(false));
        assert_eq!(dev_outbox_allowed(true, local, "http://127.0.0.1:3000"), Ok(true));
        assert_eq!(dev_outbox_allowed(true, local, "http://localhost:3000/"), Ok(true));
        assert_eq!(dev_outbox_allowed(true, v6, "http://[::1]:3000"), Ok(true));
        assert!(dev_outbox_allowed(true, public, "http://127.0.0.1:3000").is_err());
        assert!(dev_outbox_allowed(true, local, "https://bzpeer.example").is_err());
        assert!(dev_outbox_allowed(true, local, "https://127.0.0.1.evil.example").is_err());
    }
}

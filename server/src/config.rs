//! Settings from the environment, read once at start.

use std::path::PathBuf;

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
        }
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
}

//! What the server writes to its log, captured by a process-wide subscriber. This test has a
//! binary of its own: tracing caches per call site whether anyone listens, and with other tests
//! running on other threads a thread-local subscriber could miss a line (seen in CI).

#[path = "common/helpers.rs"]
#[expect(dead_code, unused_imports, reason = "the helpers of every HTTP test; this target uses a few")]
mod helpers;

use helpers::{app, verification_token, Browser};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};

/// Log lines written while the test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn logs_carry_no_link_no_mail_text_and_no_address(pool: PgPool) {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber in this process");
    let mut browser = Browser::new(app(pool.clone()));
    browser.post_form("/api/signup", "email=hal%40example.org&display_name=Hal&password=correct+horse").await;
    for _ in 0..4 {
        browser.post_form("/api/resend_verification", "email=hal%40example.org").await;
    }
    let token = verification_token(&pool, "hal@example.org").await;
    let logs = String::from_utf8(logs.0.lock().expect("log buffer").clone()).expect("utf-8 logs");
    assert!(logs.contains("Verify your e-mail address for BZPEER"), "the subject is logged: {logs}");
    assert!(logs.contains("rate limited"), "{logs}");
    for secret in [token.as_str(), "hal@example.org", "Open this link"] {
        assert!(!logs.contains(secret), "`{secret}` is in the logs: {logs}");
    }
}

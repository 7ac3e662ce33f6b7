//! The background jobs each server process runs, safe to run in many processes at once: the
//! hourly housekeeping runs once per hour across all of them (`job_runs`), aggregates are
//! refreshed under `SKIP LOCKED`, each queued mail is leased by one sender (`mail`), digests of
//! followed researchers' new works are queued once (`alerts`), every record's collaborator
//! suggestions are ranked once a day, and scheduled harvests run once a period (`harvests`).

pub mod alerts;
pub mod harvests;
pub mod mail;

pub(crate) use bzpeer_core::{domain, error};
use db::{job_runs, writes::outbox};
use mail::Mailer;
use sqlx::PgPool;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

/// The housekeeping job's name in `job_runs`, and its period.
pub const HOUSEKEEPING: &str = "housekeeping";
const HOUR: Duration = Duration::from_secs(3600);
/// Delivered mail is kept this long (for support questions), then deleted.
const KEEP_SENT_MAIL_DAYS: i32 = 7;

/// Starts the jobs; they stop with the runtime.
pub fn spawn(pool: PgPool, mailer: &Mailer, site_url: String) {
    // Records whose aggregates a write marked stale (a write that is not an import run, which
    // refreshes its own): refreshed within a minute.
    let stats_pool = pool.clone();
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let refreshed = match stats_pool.acquire().await {
                Ok(mut conn) => db::caches::refresh_all_marked(&mut conn).await,
                Err(e) => Err(e),
            };
            match refreshed {
                Ok(0) => {}
                Ok(refreshed) => tracing::info!(refreshed, "refreshed record aggregates"),
                Err(e) => tracing::warn!(%e, "refreshing record aggregates failed"),
            }
        }
    });
    if let Mailer::Smtp(smtp) = mailer {
        tokio::spawn(smtp.clone().deliver_forever(pool.clone()));
    }
    let deliver = matches!(mailer, Mailer::Smtp(_));
    tokio::spawn(async move {
        // Every process looks every hour (the first look at start); one of them runs it.
        let mut every_hour = tokio::time::interval(HOUR);
        loop {
            every_hour.tick().await;
            match job_runs::claim(&pool, HOUSEKEEPING, HOUR).await {
                Ok(Some(run)) => {
                    let mut summary = housekeeping(&pool).await;
                    // The digests whose period has passed (each claimed and sent once, whichever
                    // process runs this).
                    match crate::alerts::queue_due_digests(&pool, &site_url, deliver).await {
                        Ok(queued) => summary.push_str(&format!("; queued {queued} digests")),
                        Err(e) => tracing::warn!(%e, "queuing the digests failed"),
                    }
                    tracing::info!(run, %summary, "housekeeping");
                    if let Err(e) = job_runs::finish(&pool, HOUSEKEEPING, &summary).await {
                        tracing::warn!(%e, "recording the housekeeping run failed");
                    }
                }
                Ok(None) => tracing::debug!("housekeeping: another server ran it this hour"),
                Err(e) => tracing::warn!(%e, "housekeeping: could not claim this hour's run"),
            }
            // Once a day across the servers: every record's collaborator suggestions ranked again
            // (paths of three hops and recency move without a write near the record).
            use db::caches::suggestions::{DAILY_JOB, DAY};
            if let Ok(Some(_)) = job_runs::claim(&pool, DAILY_JOB, DAY).await {
                // Minutes of ranking at a million records: kept off the threads serving requests.
                let ranking = pool.clone();
                let ranked = on_own_thread(move || async move {
                    let mut conn = ranking.acquire().await.map_err(|e| e.to_string())?;
                    db::caches::suggestions::rebuild_all(&mut conn).await.map_err(|e| e.to_string())
                })
                .await;
                let summary = match ranked {
                    Ok(Ok(records)) => format!("ranked the suggestions of {records} records"),
                    Ok(Err(e)) => format!("ranking suggestions failed: {e}"),
                    Err(e) => format!("ranking suggestions stopped: {e}"),
                };
                if let Err(e) = job_runs::finish(&pool, DAILY_JOB, &summary).await {
                    tracing::warn!(%e, "recording the suggestions run failed");
                }
            }
        }
    });
}

/// Runs long bulk work on a blocking thread of its own, driven by this runtime: the runtime's
/// workers go on serving requests meanwhile, and the work's future need not be `Send`.
pub(crate) async fn on_own_thread<T, F>(work: impl FnOnce() -> F + Send + 'static) -> Result<T, tokio::task::JoinError>
where
    T: Send + 'static,
    F: std::future::Future<Output = T>,
{
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(work())).await
}

/// Purges expired sessions, old rate-limit windows, graph layouts kept over a day, delivered
/// mail past its keeping time and expired unverified accounts; says what it purged.
pub async fn housekeeping(pool: &PgPool) -> String {
    let mut done = Vec::new();
    match PostgresStore::new(pool.clone()).delete_expired().await {
        Ok(()) => done.push("expired sessions".to_owned()),
        Err(e) => tracing::warn!(%e, "purging expired sessions failed"),
    }
    match db::writes::rate_limits::purge_old(pool).await {
        Ok(purged) => done.push(format!("{purged} rate-limit windows")),
        Err(e) => tracing::warn!(%e, "purging rate-limit windows failed"),
    }
    match db::caches::layouts::purge_old_layouts(pool).await {
        Ok(purged) => done.push(format!("{purged} graph layouts")),
        Err(e) => tracing::warn!(?e, "purging kept graph layouts failed"),
    }
    match outbox::purge_sent(pool, KEEP_SENT_MAIL_DAYS).await {
        Ok(purged) => done.push(format!("{purged} delivered mails")),
        Err(e) => tracing::warn!(%e, "purging delivered mail failed"),
    }
    match db::writes::users::purge_expired_unverified(pool).await {
        Ok(purged) => done.push(format!("{purged} expired unverified accounts")),
        Err(e) => tracing::warn!(%e, "purging expired unverified accounts failed"),
    }
    format!("purged {}", done.join(", "))
}

//! `server serve`: one stateless server process. It opens the database (and the replicas), starts
//! the background jobs, serves until SIGTERM or Ctrl-C, then stops accepting, lets requests in
//! flight finish (at most `BZPEER_SHUTDOWN_GRACE_SECS`) and closes its connections.

use crate::http::state::Draining;
use crate::http::{router, shutdown_signal, AppState};
use crate::ops::config::Settings;
use crate::ops::database;
use axum::serve::ListenerExt;
use ingest::import::demo;
use jobs::mail::Mailer;
use std::time::Instant;

pub async fn serve(no_demo: bool, fresh: bool) -> anyhow::Result<()> {
    let settings = Settings::from_env();
    let conf = leptos::config::get_configuration(None)?;
    let leptos_options = with_hashed_assets(conf.leptos_options);
    let addr = leptos_options.site_addr;
    let db = database::open(&settings, fresh).await?;
    if !no_demo {
        let started = Instant::now();
        let report = demo::load_if_empty(&db.pool, &demo::data_dir(), false).await?;
        if !report.skipped_because_not_empty {
            tracing::info!(
                files = report.files.len(),
                missing = report.missing.len(),
                took_ms = started.elapsed().as_millis() as u64,
                "demo data imported"
            );
        }
    }
    let site_url = settings.site_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let mailer = match &settings.smtp_url {
        Some(url) => Mailer::smtp(url, &settings.mail_from).map_err(anyhow::Error::msg)?,
        None => {
            tracing::info!(
                "mail: no BZPEER_SMTP_URL; mail goes to the outbox table (BZPEER_DEV_OUTBOX=1 shows it at /dev/outbox)"
            );
            Mailer::Outbox
        }
    };
    let dev_outbox =
        crate::ops::config::dev_outbox_allowed(settings.dev_outbox, addr, &site_url).unwrap_or_else(|why| {
            tracing::warn!("{why}");
            false
        });
    if dev_outbox {
        tracing::warn!("BZPEER_DEV_OUTBOX: mail is shown at {site_url}/dev/outbox; never expose this server");
    }
    // Requests read and write through a pool of their own, whose statements are cut off at the
    // statement timeout; jobs, imports and harvests keep `db.pool`, without one.
    let requests = crate::ops::database::pool_options().connect_lazy_with(
        crate::ops::database::with_statement_timeout((*db.pool.connect_options()).clone(), settings.statement_timeout),
    );
    let replicas = crate::http::replicas::open(
        requests.clone(),
        &settings.read_urls,
        settings.replica_max_lag,
        settings.statement_timeout,
    )?;
    if let Some(replicas) = &replicas {
        crate::http::replicas::start_monitor(replicas).await;
    }
    let harvests = jobs::harvests::Schedule::from_env().map_err(anyhow::Error::msg)?;
    jobs::spawn(db.pool.clone(), &mailer, site_url.clone());
    if let Some(schedule) = harvests {
        tracing::info!(
            queries = schedule.queries.len(),
            every_hours = schedule.every.as_secs() / 3600,
            "scheduled harvests"
        );
        jobs::harvests::spawn(db.pool.clone(), schedule);
    }
    let draining = Draining::default();
    let app = router(AppState {
        leptos_options,
        pool: requests.clone(),
        site_url,
        mailer,
        dev_outbox,
        trusted_proxies: settings.trusted_proxies,
        replicas: replicas.clone(),
        draining: draining.clone(),
        api_per_minute: settings.api_per_minute,
        heavy_per_minute: settings.heavy_per_minute,
        kept: Default::default(),
        versions: crate::ops::database::held_for(&requests),
        computed: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            // Responses go out as written: with Nagle's algorithm the last segment of a small
            // response waited for the client's delayed ACK, ~40 ms per asset on a kept-alive
            // connection.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(%e, "could not set TCP_NODELAY on a connection");
            }
        });
    tracing::info!("listening on http://{addr}");

    let (stopping, mut stop) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            draining.start();
            let _ = stopping.send(true);
        });
    let grace = settings.shutdown_grace;
    let grace_over = async move {
        let _ = stop.wait_for(|stopping| *stopping).await;
        tracing::info!(grace_secs = grace.as_secs(), "no longer accepting; finishing the requests in flight");
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        served = server => served?,
        () = grace_over => tracing::warn!("requests still in flight after the shutdown grace period; dropping them"),
    }
    if let Some(replicas) = replicas {
        replicas.close().await;
    }
    requests.close().await;
    db.pool.close().await;
    tracing::info!("stopped");
    drop(db);
    Ok(())
}

/// Asset names are hashed exactly when the build wrote their hashes beside the binary
/// (cargo-leptos `hash-files`), whatever `LEPTOS_HASH_FILES` says: a binary started directly,
/// not by cargo-leptos, serves them too, and one without the file does not fail on every page.
fn with_hashed_assets(mut options: leptos::config::LeptosOptions) -> leptos::config::LeptosOptions {
    let beside_binary =
        std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
    let hashed = beside_binary.as_ref().is_some_and(|file| file.is_file());
    if options.hash_files && !hashed {
        tracing::warn!(file = ?beside_binary, "LEPTOS_HASH_FILES is set but there is no hash file: serving plain names");
    }
    options.hash_files = hashed;
    tracing::info!(hashed, "asset names");
    options
}

//! What a load balancer polls: `/healthz`, the process is alive (it never asks the database, so
//! a database outage does not get every server restarted), and `/readyz`, this process should
//! get traffic: the primary answers, its schema is this build's, and it is not shutting down.

use crate::http::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::time::Duration;

/// How long `/readyz` waits for the primary.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.draining.is_on() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down".to_owned());
    }
    match tokio::time::timeout(READY_TIMEOUT, db::pending_migrations(&state.pool)).await {
        Ok(Ok(0)) => {}
        Ok(Ok(pending)) => {
            return (StatusCode::SERVICE_UNAVAILABLE, format!("migrations not applied: {pending}"));
        }
        Ok(Err(e)) => {
            tracing::warn!(%e, "readiness: the primary did not answer");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable".to_owned());
        }
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable".to_owned()),
    }
    let mut body = "ready".to_owned();
    if let Some(replicas) = &state.replicas {
        // Replicas never make a process unready (reads fall back to the primary); what the
        // monitor saw is shown for people.
        for replica in replicas.status() {
            let seen = match (replica.healthy, replica.lag) {
                (true, Some(lag)) => format!("serving, {} ms behind", lag.as_millis()),
                (false, Some(lag)) => format!("skipped, {} ms behind", lag.as_millis()),
                (_, None) => "skipped, not answering".to_owned(),
            };
            body.push_str(&format!("\nreplica {}: {seen}", replica.name));
        }
    }
    (StatusCode::OK, body)
}

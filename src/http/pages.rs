//! The liveness and readiness checks and the metrics endpoint.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::HttpState;
use crate::config::Config;

/// `GET /healthz`: the process is alive and answering (liveness; it never asks the
/// database, so a database outage does not get healthy instances restarted).
pub async fn healthz() -> Response {
    (StatusCode::OK, axum::Json(json!({ "status": "alive" }))).into_response()
}

/// `GET /readyz`: 200 when this instance should get traffic: the database answers, its
/// migrations are applied, and the instance is not stopping; 503 (with why) otherwise.
pub async fn readyz(State(state): State<HttpState>) -> Response {
    let svc = &state.app.services;
    let not_ready = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "status": "unavailable", "reason": reason })),
        )
            .into_response()
    };
    if svc.draining.is_cancelled() {
        return not_ready("stopping");
    }
    let applied = match svc.db.applied_migration().await {
        Ok(applied) => applied,
        Err(e) => {
            tracing::error!(error = %e, "readiness: the database is unreachable");
            return not_ready("database unreachable");
        }
    };
    if applied.unwrap_or_default() < svc.db.latest_migration() {
        return not_ready("migrations not applied");
    }
    (StatusCode::OK, axum::Json(json!({ "status": "ready" }))).into_response()
}

/// `GET /metrics` in the Prometheus text format, for the scraper only: with
/// `VITRIN_METRICS_TOKEN` set it asks for that bearer token; without, it answers
/// loopback clients that did not come through a proxy.
pub async fn metrics(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !may_read_metrics(state.app.config(), peer, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "The metrics are for the monitoring system only.\n",
        )
            .into_response();
    }
    let app = &state.app;
    let mut text = app.services.metrics.render();
    crate::metrics::counter(
        &mut text,
        "vitrin_password_hashes_total",
        "Argon2 hashes computed or verified.",
        app.auth.passwords().computed(),
    );
    crate::metrics::counter(
        &mut text,
        "vitrin_db_queries_total",
        "Statements run on the database.",
        app.services.db.queries(),
    );
    match app.services.jobs.counts().await {
        Ok(jobs) => crate::metrics::gauges(
            &mut text,
            "vitrin_jobs",
            "Background jobs by state (failed: waiting to be retried).",
            "state",
            &[
                ("queued", jobs.queued),
                ("running", jobs.running),
                ("failed", jobs.failed),
                ("dead", jobs.dead),
            ],
        ),
        Err(e) => tracing::warn!(error = ?e, "counting jobs for the metrics failed"),
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response()
}

fn may_read_metrics(config: &Config, peer: SocketAddr, headers: &HeaderMap) -> bool {
    match &config.metrics_token {
        Some(token) => headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                // Compared by their hashes: the time taken says nothing about the token.
                crate::auth::tokens::hash(given) == crate::auth::tokens::hash(token)
            }),
        None => {
            // A proxy on this machine (trusted or not) may be forwarding anyone: only a
            // local program that is no proxy, asking directly, reads without a token.
            let ip = peer.ip().to_canonical();
            let proxied = ["forwarded", "x-forwarded-for", "x-real-ip"]
                .iter()
                .any(|h| headers.contains_key(*h))
                || config.trusted_proxies.iter().any(|net| net.contains(ip));
            ip.is_loopback() && !proxied
        }
    }
}

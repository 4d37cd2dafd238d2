//! The HTTP server loop. Unlike `axum::serve` it bounds what a client can hold: a
//! header-read timeout (which also ends idle keep-alive connections), a per-frame body
//! timeout, and caps on connections in all and per client network, so half-open or
//! idle connections cannot take every file descriptor. Websocket upgrades leave the
//! loop's accounting once upgraded; the websocket handler keeps its own.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use tower::ServiceExt as _;
use tower_http::timeout::TimeoutBody;

use crate::config::{Config, ConnectionLimits, IpNet};
use crate::slots::Slots;

/// How the server treats its connections.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub limits: ConnectionLimits,
    /// Proxies speak for many clients: their connections count against the total only.
    pub trusted_proxies: Vec<IpNet>,
    /// How long in-flight requests may take to finish once shutdown begins.
    pub shutdown_grace: Duration,
}

impl ServerSettings {
    /// The settings `config` gives.
    pub fn from_config(config: &Config) -> Self {
        ServerSettings {
            limits: config.connections,
            trusted_proxies: config.trusted_proxies.clone(),
            shutdown_grace: config.shutdown_grace,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, lets
/// in-flight requests finish (at most `shutdown_grace`) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()>,
) {
    let limits = settings.limits;
    let connections = Slots::new(limits.max_connections_per_client, limits.max_connections);
    let tracker = TaskTracker::new();
    // Dropping the sender tells every connection to finish its request and close.
    let (stop, stopping) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    pause_after_accept_error(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let proxy = settings
            .trusted_proxies
            .iter()
            .any(|net| net.contains(peer.ip()));
        let slot = if proxy {
            connections.take_shared()
        } else {
            connections.take(peer.ip())
        };
        let Ok(slot) = slot else {
            tracing::debug!(%peer, "connection refused: too many connections");
            continue;
        };
        let router = router.clone();
        let mut stopping = stopping.clone();
        tracker.spawn(async move {
            let service = router.map_request(move |request: Request<Incoming>| {
                let mut request =
                    request.map(|body| Body::new(TimeoutBody::new(limits.body_timeout, body)));
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true);
            let connection = builder
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    drop(stop);
    tracker.close();
    if tokio::time::timeout(settings.shutdown_grace, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            grace = ?settings.shutdown_grace,
            "requests still running when the shutdown grace ran out were cut off"
        );
    }
}

/// Accept errors about one connection are that connection's; others (out of file
/// descriptors) pass with time, so the loop waits a little instead of spinning.
async fn pause_after_accept_error(e: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %e, "accepting a connection failed; pausing");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

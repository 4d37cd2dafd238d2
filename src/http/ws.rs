//! The GraphQL websocket (`graphql-transport-ws` and the legacy `graphql-ws`), with what
//! keeps idle or abandoned sockets from piling up: caps on sockets per client network
//! and in all, a deadline for `connection_init` (4408, as graphql-transport-ws says),
//! pings that close a socket whose peer stopped answering, and sends that give up on a
//! peer that stopped reading. When the instance stops, every socket closes with 1012
//! (service restart): clients reconnect at once.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::Data;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::header::{ORIGIN, SEC_WEBSOCKET_PROTOCOL};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::time::Instant;

use super::HttpState;
use super::client_ip::client_ip;
use super::request::HttpError;
use crate::auth::Viewer;
use crate::auth::cookies::Credentials;
use crate::error::ErrorCode;
use crate::graphql::context::{SocketSession, request_data};
use crate::schema::socket_operations::SocketOperations;
use crate::slots::{Full, Slot};

/// The read buffer of each websocket.
const WS_BUFFER: usize = 4 * 1024;

/// Upgrades `/graphql/ws`. The session comes from the `connection_init` payload
/// (`{"authorization": "Bearer …"}`), or from the cookie when the page is our own origin
/// (a cookie sent by another site's page would be cross-site websocket hijacking).
pub async fn upgrade(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(protocol) = protocol(&headers) else {
        return HttpError::bad_request(
            "Ask for the graphql-transport-ws (or graphql-ws) subprotocol.",
        )
        .into_response();
    };
    let ip = client_ip(peer.ip(), &headers, &state.app.config().trusted_proxies);
    let slot = match state.sockets.take(ip) {
        Ok(slot) => slot,
        Err(full) => return too_many_sockets(full),
    };
    let cookie_token = match Credentials::from_headers(&headers, state.app.config()) {
        Credentials::Cookie(token) if same_origin(&state, &headers) => Some(token),
        _ => None,
    };
    let max_message = state.app.config().graphql.max_body_bytes;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        // Subscribers mostly listen: small buffers keep 10,000 of them in little memory
        // (the 128 KiB defaults would cost over a gigabyte).
        .read_buffer_size(WS_BUFFER)
        .write_buffer_size(0)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .on_upgrade(move |socket| {
            // Tracked: a stopping instance waits for the close frames to go out.
            let sockets = state.app.services.sockets.clone();
            sockets.track_future(serve(socket, state, protocol, ip, cookie_token, slot))
        })
}

fn protocol(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    headers
        .get(SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()?
        .split(',')
        .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
}

fn too_many_sockets(full: Full) -> Response {
    let (status, message) = match full {
        Full::Client => (
            StatusCode::TOO_MANY_REQUESTS,
            "This client has too many live connections open; close one first.",
        ),
        Full::Everyone => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The server has no room for another live connection; try again shortly.",
        ),
    };
    HttpError::new(status, ErrorCode::RateLimited, message).into_response()
}

/// Runs one socket until either side ends it.
async fn serve(
    socket: WebSocket,
    state: HttpState,
    protocol: WebSocketProtocols,
    ip: IpAddr,
    cookie_token: Option<String>,
    slot: Slot,
) {
    let limits = state.app.config().connections;
    let closing = state.app.services.closing.clone();
    let (mut sink, stream) = socket.split();
    let initialised = Arc::new(AtomicBool::new(false));
    let last_heard = Arc::new(std::sync::Mutex::new(Instant::now()));
    let heard = last_heard.clone();
    let input = stream
        .take_while(|message| futures_util::future::ready(message.is_ok()))
        .filter_map(move |message| {
            *heard.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
            futures_util::future::ready(match message {
                Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
                _ => None,
            })
        });
    let on_init = {
        let state = state.clone();
        let initialised = initialised.clone();
        move |payload: serde_json::Value| async move {
            let data =
                connection_data(&state, ip, payload_token(&payload).or(cookie_token)).await?;
            initialised.store(true, Ordering::Release);
            Ok(data)
        }
    };
    let messages = async_graphql::http::WebSocket::new(state.schema.clone(), input, protocol)
        .on_connection_init(on_init);
    let mut messages = std::pin::pin!(messages);
    let init_deadline = tokio::time::sleep(limits.ws_init_timeout);
    let mut init_deadline = std::pin::pin!(init_deadline);
    let mut pings = tokio::time::interval_at(
        Instant::now() + limits.ws_ping_interval,
        limits.ws_ping_interval,
    );
    let close = loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if !send(&mut sink, Message::Text(text.into()), limits.ws_ping_interval).await {
                        break None;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break Some((code, reason)),
                None => break None,
            },
            () = closing.cancelled() => {
                break Some((1012, "Service restart".to_owned()));
            }
            () = &mut init_deadline, if !initialised.load(Ordering::Acquire) => {
                break Some((4408, "Connection initialisation timeout".to_owned()));
            }
            _ = pings.tick() => {
                let silent = last_heard.lock().unwrap_or_else(|e| e.into_inner()).elapsed();
                if silent > limits.ws_ping_interval * 2 + Duration::from_secs(1) {
                    break Some((1001, "No answer to pings".to_owned()));
                }
                if !send(&mut sink, Message::Ping(Default::default()), limits.ws_ping_interval).await {
                    break None;
                }
            }
        }
    };
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        send(
            &mut sink,
            Message::Close(Some(frame)),
            limits.ws_ping_interval,
        )
        .await;
    }
    drop(slot);
}

/// Sends one message; false when the socket is gone or its peer stopped reading (a
/// client that never reads would otherwise hold its socket and operations forever).
async fn send(
    sink: &mut SplitSink<WebSocket, Message>,
    message: Message,
    within: Duration,
) -> bool {
    matches!(
        tokio::time::timeout(within, sink.send(message)).await,
        Ok(Ok(()))
    )
}

/// What every operation of a socket sees: who signed in (checked again per operation),
/// the client address, the loaders, and the socket's share of running operations.
async fn connection_data(
    state: &HttpState,
    ip: IpAddr,
    token: Option<String>,
) -> async_graphql::Result<Data> {
    let (viewer, session) = match token {
        None => (Viewer::Anonymous, None),
        Some(token) => {
            let viewer = state.app.auth.resolve_session(&token).await?;
            (viewer, Some(SocketSession { token }))
        }
    };
    let mut data = request_data(&state.app, viewer, ip);
    if let Some(session) = session {
        data.insert(session);
    }
    data.insert(SocketOperations::new(state.socket_operations.clone(), ip));
    Ok(data)
}

fn same_origin(state: &HttpState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers always send Origin on websocket handshakes; other clients are not
        // exposed to cross-site requests.
        return true;
    };
    let public = state.app.config().public_url.origin().ascii_serialization();
    origin.trim_end_matches('/') == public
}

fn payload_token(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let value = ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|key| object.get(*key))?
        .as_str()?;
    let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
    (!token.is_empty()).then(|| token.to_owned())
}

//! The GraphQL websocket (`graphql-transport-ws` and the legacy `graphql-ws`).

use std::net::SocketAddr;

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::http::header::ORIGIN;
use axum::response::Response;

use super::HttpState;
use super::client_ip::client_ip;
use super::cookies::Credentials;
use crate::auth::{self, Viewer};
use crate::schema::context::RequestContext;
use crate::schema::sessions::SocketSession;
use crate::schema::socket_operations::SocketOperations;

/// Upgrades `/graphql/ws`. The session comes from the `connection_init` payload
/// (`{"authorization": "Bearer …"}`), or from the cookie when the page is our own origin
/// (a cookie sent by another site's page would be cross-site websocket hijacking).
pub async fn upgrade(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    protocol: GraphQLProtocol,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let ip = client_ip(peer.ip(), &headers, &state.app.config.trusted_proxies);
    let cookie_token = match Credentials::from_headers(&headers, &state.app.config) {
        Credentials::Cookie(token) if same_origin(&state, &headers) => Some(token),
        _ => None,
    };
    let max_message = state.app.config.graphql.max_body_bytes;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        // Subscribers mostly listen: small buffers keep 10,000 of them in little memory
        // (the 128 KiB defaults would cost over a gigabyte).
        .read_buffer_size(WS_BUFFER)
        .write_buffer_size(0)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload_token(&payload).or(cookie_token);
                    let mut data = Data::default();
                    let viewer = match token {
                        None => Viewer::Anonymous,
                        Some(token) => {
                            let viewer = auth::resolve_session(&state.app, &token).await?;
                            data.insert(SocketSession { token });
                            viewer
                        }
                    };
                    data.insert(RequestContext {
                        viewer,
                        client_ip: ip,
                    });
                    data.insert(crate::schema::loaders::variants(&state.app));
                    data.insert(SocketOperations::default());
                    Ok(data)
                })
                .serve()
        })
}

/// The read buffer of each websocket.
const WS_BUFFER: usize = 4 * 1024;

fn same_origin(state: &HttpState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers always send Origin on websocket handshakes; other clients are not
        // exposed to cross-site requests.
        return true;
    };
    let public = state.app.config.public_url.origin().ascii_serialization();
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

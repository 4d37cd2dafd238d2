//! A minimal GraphQL websocket client for tests (both subprotocols).

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A connected, initialised GraphQL websocket.
pub struct WsClient {
    socket: Socket,
    legacy: bool,
}

impl WsClient {
    /// Connects with `graphql-transport-ws` (or legacy `graphql-ws`) and sends `connection_init`.
    pub async fn connect(url: &str, legacy: bool, payload: Value) -> WsClient {
        let mut request = url.into_client_request().expect("ws request");
        let protocol = if legacy {
            "graphql-ws"
        } else {
            "graphql-transport-ws"
        };
        request
            .headers_mut()
            .insert("sec-websocket-protocol", protocol.parse().expect("header"));
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("ws connects");
        let mut client = WsClient { socket, legacy };
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = client.next_message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    /// The socket itself (to read frames such as the close code).
    pub fn into_socket(self) -> Socket {
        self.socket
    }

    /// Starts an operation with this id.
    pub async fn subscribe(&mut self, id: &str, query: &str) {
        let kind = if self.legacy { "start" } else { "subscribe" };
        self.send(json!({ "id": id, "type": kind, "payload": { "query": query } }))
            .await;
    }

    /// Ends the operation with this id.
    pub async fn complete(&mut self, id: &str) {
        let kind = if self.legacy { "stop" } else { "complete" };
        self.send(json!({ "id": id, "type": kind })).await;
    }

    /// The payload of the next `next`/`data` message (skipping keep-alives).
    pub async fn next_payload(&mut self) -> Value {
        loop {
            let message = self.next_message().await;
            match message["type"].as_str() {
                Some("next" | "data") => return message["payload"].clone(),
                Some("ka" | "ping" | "pong" | "complete") => continue,
                _ => panic!("unexpected message {message}"),
            }
        }
    }

    /// The next `next`/`data` or `error` message (skipping keep-alives and completions).
    pub async fn next_answer(&mut self) -> Value {
        loop {
            let message = self.next_message().await;
            if matches!(message["type"].as_str(), Some("next" | "data" | "error")) {
                return message;
            }
        }
    }

    /// Reads for `duration` (answering pings), expecting nothing but pings.
    pub async fn listen_quietly(&mut self, duration: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(message) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            match message.expect("socket open").expect("socket readable") {
                Message::Ping(_) | Message::Pong(_) => {}
                other => panic!("unexpected message while idle: {other:?}"),
            }
        }
    }

    /// The next JSON message.
    pub async fn next_message(&mut self) -> Value {
        loop {
            let message =
                tokio::time::timeout(std::time::Duration::from_secs(10), self.socket.next())
                    .await
                    .expect("a message within 10 s")
                    .expect("socket open")
                    .expect("socket readable");
            if let Message::Text(text) = message {
                return serde_json::from_str(&text).expect("JSON message");
            }
        }
    }

    async fn send(&mut self, value: Value) {
        self.socket
            .send(Message::Text(value.to_string().into()))
            .await
            .expect("ws send");
    }
}

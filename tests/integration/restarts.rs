//! Stopping as service managers do (SIGTERM): what was asked is answered, websockets are
//! told to come back at once (1012), and the process exits cleanly.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::support::process::{Served, free_port, vitrin};
use crate::support::ws::WsClient;

async fn serve(dir: &std::path::Path) -> (Served, u16) {
    let port = free_port();
    (Served::start(vitrin(dir), port).await, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_when_sigterm_arrives_is_answered_before_the_process_exits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = serve(dir.path()).await;
    let body = json!({ "query": "{ stats { visitCount } }" }).to_string();
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: vitrin\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    server.terminate();
    // New connections are refused once the signal is handled; this one still counts.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server kept accepting"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
        .await
        .expect("answered")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""visitCount":0"#), "{answer}");
    let status = server.exit_status(Duration::from_secs(10)).await;
    assert!(status.success(), "exited with {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_are_closed_with_service_restart_when_sigterm_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = serve(dir.path()).await;
    let mut ws = WsClient::connect(
        &format!("ws://127.0.0.1:{port}/graphql/ws"),
        false,
        json!({}),
    )
    .await;
    ws.subscribe("s", "subscription { statsUpdated { visitCount } }")
        .await;
    assert_eq!(
        ws.next_payload().await["data"]["statsUpdated"]["visitCount"],
        0
    );
    server.terminate();
    let mut socket = ws.into_socket();
    let code = loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("closed within 5 s")
            .expect("a close frame")
            .expect("a readable frame");
        if let Message::Close(frame) = message {
            break frame.map(|f| u16::from(f.code));
        }
    };
    assert_eq!(code, Some(1012));
    let status = server.exit_status(Duration::from_secs(10)).await;
    assert!(status.success(), "exited with {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_drain_delay_the_instance_serves_on_while_it_says_it_is_not_ready() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = vitrin(dir.path());
    command.env("VITRIN_DRAIN_DELAY", "2s");
    let mut server = Served::start(command, port).await;
    let mut ws = WsClient::connect(
        &format!("ws://127.0.0.1:{port}/graphql/ws"),
        false,
        json!({}),
    )
    .await;
    ws.subscribe("s", "subscription { statsUpdated { visitCount } }")
        .await;
    assert_eq!(
        ws.next_payload().await["data"]["statsUpdated"]["visitCount"],
        0
    );
    server.terminate();
    // A fresh client each time: new connections are still accepted during the delay.
    let client = || {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let ready = client().get(server.url("/readyz")).send().await.unwrap();
        if ready.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(
                ready.json::<serde_json::Value>().await.unwrap()["reason"],
                "stopping"
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "readiness never ended"
        );
    }
    let stats = client()
        .post(server.url("/graphql"))
        .json(&json!({ "query": "{ stats { visitCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stats.status(),
        reqwest::StatusCode::OK,
        "still serving while draining"
    );
    ws.subscribe("q", "{ __typename }").await;
    assert_eq!(
        ws.next_payload().await["data"]["__typename"],
        "Query",
        "websockets stay open while draining"
    );
    let mut socket = ws.into_socket();
    let code = loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("closed after the delay")
        {
            Some(Ok(Message::Close(frame))) => break frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            other => panic!("the socket ended without a close frame: {other:?}"),
        }
    };
    assert_eq!(code, Some(1012));
    assert!(server.exit_status(Duration::from_secs(10)).await.success());
}

//! What slow, idle or greedy clients can hold: connections, bodies, websockets and their
//! operations are bounded in time and per client.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::db_test;
use crate::support::error_code;
use crate::support::ws::WsClient;

/// A TCP connection to the server from another loopback address (another client).
async fn connect_from(source: &str, server: SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(server).await.unwrap()
}

/// Whether the server has closed `stream` (reads end) within `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

db_test!(async fn a_client_that_never_finishes_its_headers_is_disconnected(app) with |b| b.env("VITRIN_HEADER_TIMEOUT", "1s"), {
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: vitrin\r\n").await.unwrap();
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
});

db_test!(async fn an_idle_keep_alive_connection_is_closed(app) with |b| b.env("VITRIN_HEADER_TIMEOUT", "1s"), {
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: vitrin\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
});

db_test!(async fn one_client_cannot_hold_every_connection(app) with |b| b.env("VITRIN_MAX_CONNECTIONS_PER_CLIENT", "20"), {
    let mut half_open = Vec::new();
    for _ in 0..300 {
        let mut stream = connect_from("127.0.0.2", app.addr).await;
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: vitrin\r\n").await;
        half_open.push(stream);
    }
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK, "another client is served");
    let mut still_open = 0;
    for stream in &mut half_open {
        if !closed_within(stream, Duration::from_millis(20)).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 20);
});

db_test!(async fn a_body_that_stalls_is_cut_off(app) with |b| b.env("VITRIN_BODY_TIMEOUT", "1s"), {
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /graphql HTTP/1.1\r\nHost: vitrin\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buffer[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server gave up on the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
});

db_test!(async fn a_body_that_trickles_in_is_cut_off_at_the_deadline(app) with |b| b.env("VITRIN_BODY_TIMEOUT", "2s"), {
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /graphql HTTP/1.1\r\nHost: vitrin\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    // One byte every half second: no pause is long, but the body never ends.
    let trickle = tokio::spawn(async move {
        while writer.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buffer = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buffer).await {
            answer.extend_from_slice(&buffer[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    })
    .await;
    trickle.abort();
    assert!(read.is_ok(), "the server kept waiting for the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
});

/// Opens a websocket speaking graphql-transport-ws without initialising it.
async fn raw_socket(
    addr: SocketAddr,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>> {
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

/// The close code the server ends `socket` with (answering its pings meanwhile).
async fn close_code(
    socket: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
) -> u16 {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("the server closes the socket")
            .expect("a frame")
            .expect("a readable frame");
        if let Message::Close(Some(frame)) = message {
            return frame.code.into();
        }
    }
}

db_test!(async fn a_websocket_that_never_initialises_is_closed_with_4408(app) with |b| b.env("VITRIN_WS_INIT_TIMEOUT", "1s"), {
    let mut socket = raw_socket(app.addr).await;
    assert_eq!(close_code(&mut socket).await, 4408);
});

db_test!(async fn a_websocket_whose_peer_stops_answering_is_closed(app) with |b| b.env("VITRIN_WS_PING_INTERVAL", "1s"), {
    let (socket, _) = tokio_tungstenite::connect_async({
        let mut request = format!("ws://{}/graphql/ws", app.addr).into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
        request
    })
    .await
    .unwrap();
    let (mut sink, mut stream) = socket.split();
    sink.send(Message::Text(json!({ "type": "connection_init" }).to_string().into())).await.unwrap();
    // Reads nothing for a while: pings go unanswered, as with a vanished peer.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut ended = false;
    while let Ok(next) = tokio::time::timeout(Duration::from_secs(5), stream.next()).await {
        match next {
            // Answering a queued ping may already find the connection gone.
            None | Some(Err(_)) => ended = true,
            Some(Ok(Message::Close(frame))) => {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1001));
                ended = true;
            }
            Some(Ok(_)) => continue,
        }
        break;
    }
    assert!(ended, "the server closed the silent socket");
});

db_test!(async fn a_websocket_whose_peer_stops_reading_gives_its_place_back(app) with |b| b.env("VITRIN_WS_PING_INTERVAL", "1s").env("VITRIN_WS_MAX_CONNECTIONS_PER_CLIENT", "1"), {
    let (mut sink, _unread) = raw_socket(app.addr).await.split();
    let introspection = include_str!("../fixtures/graphql/introspection-all-options.graphql");
    // Asks for far more than the socket buffers hold, and never reads an answer.
    let flood = tokio::spawn(async move {
        sink.send(Message::Text(json!({ "type": "connection_init" }).to_string().into())).await?;
        for id in 0..200 {
            let subscribe = json!({ "id": id.to_string(), "type": "subscribe", "payload": { "query": introspection } });
            sink.send(Message::Text(subscribe.to_string().into())).await?;
        }
        Ok::<_, tokio_tungstenite::tungstenite::Error>(sink)
    });
    let url = format!("ws://{}/graphql/ws", app.addr);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut request = url.as_str().into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if tokio_tungstenite::connect_async(request.clone()).await.is_ok() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the reader-less socket kept its place");
    }
    flood.abort();
});

db_test!(async fn a_websocket_that_answers_pings_stays_open(app) with |b| b.env("VITRIN_WS_PING_INTERVAL", "1s"), {
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), false, json!({})).await;
    ws.subscribe("s", "subscription { statsUpdated { visitCount } }").await;
    assert_eq!(ws.next_payload().await["data"]["statsUpdated"]["visitCount"], 0);
    // Listening quietly answers the server's pings, as a browser does.
    ws.listen_quietly(Duration::from_secs(4)).await;
    ws.subscribe("q", "{ __typename }").await;
    assert_eq!(ws.next_payload().await["data"]["__typename"], "Query");
});

db_test!(async fn a_client_may_open_a_bounded_number_of_websockets(app) with |b| b.env("VITRIN_WS_MAX_CONNECTIONS_PER_CLIENT", "3"), {
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(WsClient::connect(&url, false, json!({})).await);
    }
    let mut request = url.as_str().into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        }
        other => panic!("a fourth socket was not refused: {:?}", other.map(|_| ())),
    }
    drop(open.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    WsClient::connect(&url, false, json!({})).await;
});

db_test!(async fn a_client_runs_a_bounded_number_of_operations_over_all_its_sockets(app) with |b| b.env("VITRIN_WS_MAX_OPERATIONS_PER_CLIENT", "5"), {
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut first = WsClient::connect(&url, false, json!({})).await;
    let mut second = WsClient::connect(&url, true, json!({})).await;
    for (on_first, id) in [(true, "a"), (true, "b"), (true, "c"), (false, "d"), (false, "e")] {
        let socket = if on_first { &mut first } else { &mut second };
        socket.subscribe(id, "subscription { statsUpdated { visitCount } }").await;
        assert_eq!(socket.next_payload().await["data"]["statsUpdated"]["visitCount"], 0);
    }
    second.subscribe("f", "subscription { statsUpdated { visitCount } }").await;
    assert_eq!(error_code(&second.next_payload().await), "RATE_LIMITED");
    first.complete("a").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    second.subscribe("g", "{ __typename }").await;
    assert_eq!(second.next_payload().await["data"]["__typename"], "Query");
});

//! Live statistics at scale: 10,000 websocket subscribers to `statsUpdated` on one
//! server process; a review is approved and we measure how long each subscriber waits
//! for the new figures (p50, p99) and the server's resident memory.
//!
//! Run: `cargo bench --bench stats_fanout` (optional: `BENCH_SUBSCRIBERS`, default
//! 10000). The server is the release `vitrin` binary in its own process; the clients
//! share the machine with it.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn run() {
    let subscribers: usize = std::env::var("BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let envs = [
        (
            "VITRIN_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bench.db").display()),
        ),
        ("VITRIN_DATA_DIR", dir.path().display().to_string()),
        ("VITRIN_LISTEN", format!("127.0.0.1:{port}")),
        ("VITRIN_LOG", "warn".to_owned()),
    ];
    let mut create = Command::new(env!("CARGO_BIN_EXE_vitrin"))
        .args(["create-admin", "--email", "owner@example.com"])
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("create-admin");
    create
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"kirmizi bisiklet 42\n")
        .expect("password");
    assert!(create.wait().expect("create-admin").success());
    let mut server = Command::new(env!("CARGO_BIN_EXE_vitrin"))
        .arg("serve")
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .spawn()
        .expect("server");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let idle_rss = rss_mib(server.id());

    let ready = Arc::new(Barrier::new(subscribers + 1));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let connect_permits = Arc::new(tokio::sync::Semaphore::new(256));
    let started_connecting = Instant::now();
    for _ in 0..subscribers {
        let (ready, tx, permits) = (ready.clone(), tx.clone(), connect_permits.clone());
        let url = format!("ws://127.0.0.1:{port}/graphql/ws");
        tokio::spawn(async move {
            let mut permit = Some(permits.acquire_owned().await.expect("permit"));
            let mut request = url.into_client_request().expect("request");
            request.headers_mut().insert(
                "sec-websocket-protocol",
                "graphql-transport-ws".parse().expect("header"),
            );
            let (mut socket, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("websocket");
            let send = |v: Value| Message::Text(v.to_string().into());
            socket
                .send(send(json!({ "type": "connection_init" })))
                .await
                .expect("init");
            socket
                .send(send(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { statsUpdated { reviewCount completedJobs } }" } })))
                .await
                .expect("subscribe");
            let mut nexts = 0;
            while let Some(Ok(message)) = socket.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                if !text.contains("\"next\"") {
                    continue;
                }
                nexts += 1;
                if nexts == 1 {
                    permit.take();
                    ready.wait().await;
                } else {
                    let _ = tx.send(Instant::now());
                    break;
                }
            }
            // Keep the connection open until the measurement ends.
            std::future::pending::<()>().await;
        });
    }
    drop(tx);
    ready.wait().await;
    let connected_rss = rss_mib(server.id());
    println!(
        "{subscribers} subscribers connected in {:.1} s; server memory {:.0} MiB idle, {:.0} MiB with them",
        started_connecting.elapsed().as_secs_f64(),
        idle_rss,
        connected_rss
    );

    let token = login(&http, &base).await;
    let review: Value = http
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation { submitReview(input: { authorName: \"Ayşe\", rating: 5, comment: \"Harika\" }) { id } }" }))
        .send()
        .await
        .expect("submit")
        .json()
        .await
        .expect("json");
    let id = review["data"]["submitReview"]["id"]
        .as_str()
        .expect("review id")
        .to_owned();
    let approved_at = Instant::now();
    http.post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": "mutation($id: ID!) { approveReview(id: $id) { status } }", "variables": { "id": id } }))
        .send()
        .await
        .expect("approve");
    let mut latencies = Vec::with_capacity(subscribers);
    while latencies.len() < subscribers {
        match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
            Ok(Some(at)) => latencies.push(at.duration_since(approved_at).as_secs_f64() * 1000.0),
            _ => break,
        }
    }
    let peak_rss = rss_mib(server.id());
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "update received by {}/{subscribers}: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms (target p99 ≤ 250 ms)",
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!("server memory after the push: {peak_rss:.0} MiB (target ≤ 300 MB)");
    let _ = server.kill();
    let _ = server.wait();
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let body: Value = http
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation { login(email: \"owner@example.com\", password: \"kirmizi bisiklet 42\") { token } }" }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

//! Live statistics at scale: 10,000 websocket subscribers to `statsUpdated` on one
//! server process; a review is approved and we measure how long each subscriber waits
//! for the new figures (p50, p99) and the server's resident memory.
//!
//! Run: `cargo bench --bench stats_fanout` (optional: `BENCH_SUBSCRIBERS`, default
//! 10000; `BENCH_PROFILE_PAUSE=N` waits N seconds before the push to attach a profiler). The server is the release `vitrin` binary in its own process; the clients
//! share the machine with it.

mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Barrier;

fn main() {
    support::block_on(run());
}

/// CPU time a process has used in user space and in the kernel, in milliseconds.
fn cpu_split_ms(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            * 10.0
    };
    (field(11), field(12))
}

/// CPU time (user + system) a process has used, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let (user, kernel) = cpu_split_ms(pid);
    user + kernel
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
    let subscribers: usize = support::setting("BENCH_SUBSCRIBERS", 10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let mut envs = support::embedded_vars(dir.path(), "warn");
    envs.push(("VITRIN_LISTEN", format!("127.0.0.1:{port}")));
    // Every subscriber connects from this one machine: lift the per-client caps.
    let sockets = (subscribers + 100).to_string();
    for cap in [
        "VITRIN_WS_MAX_CONNECTIONS",
        "VITRIN_WS_MAX_CONNECTIONS_PER_CLIENT",
        "VITRIN_WS_MAX_OPERATIONS_PER_CLIENT",
    ] {
        envs.push((cap, sockets.clone()));
    }
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
        tokio::spawn(async move {
            let mut permit = Some(permits.acquire_owned().await.expect("permit"));
            let mut client = RawSubscriber::open(port).await;
            client.wait_for_next().await;
            permit.take();
            ready.wait().await;
            client.wait_for_next().await;
            let _ = tx.send(Instant::now());
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

    if let Some(pause) = std::env::var("BENCH_PROFILE_PAUSE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        println!(
            "server pid {}: pausing {pause} s before the push (attach a profiler now)",
            server.id()
        );
        tokio::time::sleep(Duration::from_secs(pause)).await;
    }
    let token = login(&http, &base).await;
    let review = graphql(&http, &base, None, json!({ "query": "mutation { submitReview(input: { authorName: \"Ayşe\", rating: 5, comment: \"Harika\" }) { id } }" })).await;
    let id = review["data"]["submitReview"]["id"]
        .as_str()
        .expect("review id")
        .to_owned();
    let cpu_before = cpu_ms(server.id());
    let split_before = cpu_split_ms(server.id());
    let client_cpu_before = cpu_ms(std::process::id());
    let approved_at = Instant::now();
    graphql(&http, &base, Some(&token), json!({ "query": "mutation($id: ID!) { approveReview(id: $id) { status } }", "variables": { "id": id } })).await;
    let mut latencies = Vec::with_capacity(subscribers);
    while latencies.len() < subscribers {
        match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
            Ok(Some(at)) => latencies.push(at.duration_since(approved_at).as_secs_f64() * 1000.0),
            _ => break,
        }
    }
    let peak_rss = rss_mib(server.id());
    let push_cpu = cpu_ms(server.id()) - cpu_before;
    let split_after = cpu_split_ms(server.id());
    println!(
        "server CPU split: user {:.0} ms, kernel {:.0} ms",
        split_after.0 - split_before.0,
        split_after.1 - split_before.1
    );
    let client_cpu = cpu_ms(std::process::id()) - client_cpu_before;
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "update received by {}/{subscribers}: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms (target p99 ≤ 250 ms)",
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!(
        "server memory after the push: {peak_rss:.0} MiB (target ≤ 300 MB); server CPU for the approval and push: {push_cpu:.0} ms (the clients used {client_cpu:.0} ms meanwhile)"
    );
    let _ = server.kill();
    let _ = server.wait();
}

/// A minimal graphql-transport-ws subscriber: the handshake and two masked text frames
/// out, then server frames only counted, not decoded. The clients share the machine
/// with the server, so they must take as little CPU as possible (real subscribers are
/// browsers elsewhere).
struct RawSubscriber {
    stream: tokio::net::TcpStream,
    buffer: Vec<u8>,
}

impl RawSubscriber {
    async fn open(port: u16) -> RawSubscriber {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let key = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            rand::random::<[u8; 16]>(),
        );
        let handshake = format!(
            "GET /graphql/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        );
        stream
            .write_all(handshake.as_bytes())
            .await
            .expect("handshake");
        let mut buffer = Vec::with_capacity(1024);
        let end = loop {
            let mut chunk = [0u8; 1024];
            let n = stream.read(&mut chunk).await.expect("handshake answer");
            assert!(n > 0, "the server closed the handshake");
            buffer.extend_from_slice(&chunk[..n]);
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
        };
        assert!(
            buffer.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&buffer)
        );
        buffer.drain(..end);
        for message in [
            json!({ "type": "connection_init" }),
            json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { statsUpdated { reviewCount completedJobs } }" } }),
        ] {
            stream
                .write_all(&masked_text_frame(message.to_string().as_bytes()))
                .await
                .expect("send");
        }
        RawSubscriber { stream, buffer }
    }

    /// Waits for the next `next` message (skipping the ack and pings).
    async fn wait_for_next(&mut self) {
        use tokio::io::AsyncReadExt;
        loop {
            while let Some((payload_start, frame_end)) = complete_frame(&self.buffer) {
                let is_next = self.buffer[payload_start..frame_end]
                    .windows(6)
                    .any(|w| w == b"\"next\"");
                self.buffer.drain(..frame_end);
                if is_next {
                    return;
                }
            }
            let mut chunk = [0u8; 4096];
            let n = self.stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "the server closed the subscription");
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }
}

/// A client text frame (clients must mask; a zero key leaves the bytes as they are).
fn masked_text_frame(payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x81];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    frame.extend_from_slice(&[0, 0, 0, 0]);
    frame.extend_from_slice(payload);
    frame
}

/// Where the payload of the first complete server frame starts and the frame ends.
fn complete_frame(buffer: &[u8]) -> Option<(usize, usize)> {
    let len = *buffer.get(1)? & 0x7F;
    let (start, payload) = match len {
        126 => (
            4,
            usize::from(u16::from_be_bytes([*buffer.get(2)?, *buffer.get(3)?])),
        ),
        127 => {
            let bytes: [u8; 8] = buffer.get(2..10)?.try_into().ok()?;
            (10, usize::try_from(u64::from_be_bytes(bytes)).ok()?)
        }
        n => (2, usize::from(n)),
    };
    (buffer.len() >= start + payload).then_some((start, start + payload))
}

/// Posts a GraphQL request and returns its answer, which must hold no errors.
async fn graphql(http: &reqwest::Client, base: &str, token: Option<&str>, body: Value) -> Value {
    let mut request = http.post(format!("{base}/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer: Value = request
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON answer");
    assert!(answer.get("errors").is_none(), "{answer}");
    answer
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let body = graphql(http, base, None, json!({ "query": "mutation { login(email: \"owner@example.com\", password: \"kirmizi bisiklet 42\") { token } }" })).await;
    body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

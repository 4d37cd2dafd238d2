//! What the benchmarks share: a runtime, their settings from the environment, and a
//! vitrin configured on the embedded defaults in a temporary folder.

#![allow(
    dead_code,
    reason = "each bench binary compiles this module and uses a different part of it"
)]

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::str::FromStr;

use axum::Router;
use vitrin::config::Config;

/// Runs `main` on a multi-thread runtime, as the server does.
pub fn block_on<F: Future>(main: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(main)
}

/// The benchmark setting `name` from the environment, or `default`.
pub fn setting<T: FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs a baseline script that prints `{ "times": [seconds…], … }`: its report and its
/// times; exits with `hint` when it cannot run.
pub fn external_baseline(
    command: &mut std::process::Command,
    hint: &str,
) -> (serde_json::Value, Vec<f64>) {
    let output = command.output().expect("the baseline runs");
    if !output.status.success() {
        eprintln!("{hint}:\n{}", String::from_utf8_lossy(&output.stderr));
        std::process::exit(1);
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the baseline prints JSON");
    let times = report["times"]
        .as_array()
        .expect("times")
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    (report, times)
}

/// The median of `times`.
pub fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Variables for a vitrin on SQLite with its data in `dir`, logging `log` and up.
pub fn embedded_vars(dir: &Path, log: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "VITRIN_DATABASE_URL",
            format!("sqlite://{}", dir.join("bench.db").display()),
        ),
        ("VITRIN_DATA_DIR", dir.display().to_string()),
        ("VITRIN_LOG", log.to_owned()),
    ]
}

/// The configuration those variables describe.
pub fn config(vars: &[(&'static str, String)]) -> Config {
    Config::from_lookup(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()))
        .expect("config")
}

/// Serves vitrin's `router` as `vitrin serve` does, on an ephemeral loopback port.
pub async fn serve_vitrin(app: vitrin::app::AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let settings = vitrin::http::server::ServerSettings::from_config(app.config());
    tokio::spawn(vitrin::http::server::serve(
        listener,
        vitrin::app(app),
        settings,
        std::future::pending(),
    ));
    addr
}

/// Serves a plain axum `router` (a baseline) on an ephemeral loopback port.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    addr
}

/// One request a load generator repeats.
#[derive(Clone)]
pub struct Request {
    pub method: reqwest::Method,
    pub path: String,
    pub body: Option<String>,
}

/// What a load measured: requests per second and the median and 99th percentile latency.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub per_second: f64,
    pub p50: std::time::Duration,
    pub p99: std::time::Duration,
}

/// The measure of `latencies` (any order) taken over `elapsed` seconds.
pub fn measured(mut latencies: Vec<std::time::Duration>, elapsed: f64) -> Measured {
    latencies.sort();
    let at = |percent: usize| {
        latencies
            .get(latencies.len().saturating_sub(1) * percent / 100)
            .copied()
            .unwrap_or_default()
    };
    Measured {
        per_second: latencies.len() as f64 / elapsed,
        p50: at(50),
        p99: at(99),
    }
}

/// Repeats `request` against `addr` on `connections` keep-alive connections for
/// `seconds`; every answer must be 200.
pub async fn load(
    addr: SocketAddr,
    request: &Request,
    connections: usize,
    seconds: u64,
) -> Measured {
    load_each(addr, std::slice::from_ref(request), connections, seconds).await
}

/// Like [`load`], each connection going through `requests` in turn (from its own place).
pub async fn load_each(
    addr: SocketAddr,
    requests: &[Request],
    connections: usize,
    seconds: u64,
) -> Measured {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;

    let done = Arc::new(AtomicBool::new(false));
    let requests: Arc<[Request]> = requests.into();
    let mut tasks = Vec::new();
    for connection in 0..connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .expect("client");
        let (done, requests) = (done.clone(), requests.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut next = connection * requests.len() / connections.max(1);
            while !done.load(Ordering::Relaxed) {
                let request = &requests[next % requests.len()];
                next += 1;
                let url = format!("http://{addr}{}", request.path);
                let started = Instant::now();
                let mut call = client.request(request.method.clone(), &url);
                if let Some(body) = &request.body {
                    call = call
                        .header("content-type", "application/json")
                        .body(body.clone());
                }
                let response = call.send().await.expect("request");
                assert_eq!(response.status(), reqwest::StatusCode::OK, "{url}");
                let _ = response.bytes().await.expect("body");
                latencies.push(started.elapsed());
            }
            latencies
        }));
    }
    until_done(tasks, &done, seconds).await
}

/// Lets `tasks` run for `seconds`, then raises `done` and measures the latencies they
/// return.
pub async fn until_done(
    tasks: Vec<tokio::task::JoinHandle<Vec<std::time::Duration>>>,
    done: &std::sync::atomic::AtomicBool,
    seconds: u64,
) -> Measured {
    let started = std::time::Instant::now();
    tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("load task"));
    }
    measured(latencies, elapsed)
}

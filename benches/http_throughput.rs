//! Throughput of small GraphQL queries through the whole vitrin stack (an anonymous
//! `me`, and the public statistics served from memory), as a ratio
//! against a plain axum handler returning the same JSON, measured in the same run on
//! the same machine with the same client.
//!
//! Run: `cargo bench --bench http_throughput` (optional: `BENCH_SECONDS`, `BENCH_CONNECTIONS`).

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};
use vitrin::app::AppBuilder;

/// The production binary's allocator, for both servers alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Case {
    name: &'static str,
    query: &'static str,
    expected: Value,
}

fn main() {
    support::block_on(run());
}

async fn run() {
    let seconds: u64 = support::setting("BENCH_SECONDS", 5);
    let connections: usize = support::setting("BENCH_CONNECTIONS", 32);
    let dir = tempfile::tempdir().expect("temp dir");
    let vars = support::embedded_vars(dir.path(), "warn");
    let app = AppBuilder::new(support::config(&vars))
        .start()
        .await
        .expect("app");
    let vitrin_addr = support::serve_vitrin(app).await;

    let cases = [
        Case {
            name: "query { me { id } } (anonymous)",
            query: "query { me { id } }",
            expected: json!({ "data": { "me": null } }),
        },
        Case {
            name: "query { stats { completedJobs } }",
            query: "query { stats { completedJobs } }",
            expected: json!({ "data": { "stats": { "completedJobs": 0 } } }),
        },
    ];
    println!(
        "{connections} keep-alive connections, {seconds} s per measurement, baseline and vitrin alternated"
    );
    for case in cases {
        let expected = case.expected.to_string();
        let baseline_addr = support::serve(Router::new().route(
            "/graphql",
            post(move || {
                let body = expected.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        ))
        .await;
        check(vitrin_addr, &case).await;
        check(baseline_addr, &case).await;
        let mut ratios = Vec::new();
        for round in 1..=3 {
            let base = measure(baseline_addr, case.query, connections, seconds).await;
            let ours = measure(vitrin_addr, case.query, connections, seconds).await;
            println!("  round {round}: baseline {base:.0} req/s, vitrin {ours:.0} req/s");
            ratios.push(ours / base);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{}: vitrin/plain-axum throughput ratio (median of 3) = {:.2}",
            case.name, ratios[1]
        );
    }
}

async fn check(addr: SocketAddr, case: &Case) {
    let body: Value = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&json!({ "query": case.query }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body, case.expected,
        "both servers must answer the same JSON"
    );
}

async fn measure(addr: SocketAddr, query: &str, connections: usize, seconds: u64) -> f64 {
    let done = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let body = json!({ "query": query }).to_string();
    let url = format!("http://{addr}/graphql");
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .expect("client");
        let (done, count, body, url) = (done.clone(), count.clone(), body.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("request");
                let _ = response.bytes().await.expect("body");
                count.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    done.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let n = count.load(Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    n as f64 / elapsed
}

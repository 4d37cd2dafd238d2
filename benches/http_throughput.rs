//! Throughput of small GraphQL queries through the whole vitrin stack (an anonymous
//! `me`, and the public statistics served from memory), as a ratio
//! against a plain axum handler returning the same JSON, measured in the same run on
//! the same machine with the same client.
//!
//! Run: `cargo bench --bench http_throughput` (optional: `BENCH_SECONDS`, `BENCH_CONNECTIONS`).

mod support;

use std::net::SocketAddr;

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
        let request = support::Request {
            method: reqwest::Method::POST,
            path: "/graphql".to_owned(),
            body: Some(json!({ "query": case.query }).to_string()),
        };
        let mut ratios = Vec::new();
        for round in 1..=3 {
            let base = support::load(baseline_addr, &request, connections, seconds)
                .await
                .per_second;
            let ours = support::load(vitrin_addr, &request, connections, seconds)
                .await
                .per_second;
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

//! Whether `requestPasswordReset` takes the same time for a known, an unknown and a
//! disabled account (OWASP: no enumeration by timing). Reports the median latency of
//! each, measured interleaved in the same run, and the differences between them.
//!
//! Run: `cargo bench --bench reset_enumeration` (optional: `BENCH_ROUNDS`, default 300).

mod support;

use std::time::Instant;

use serde_json::json;
use vitrin::app::AppBuilder;

fn main() {
    support::block_on(run());
}

async fn run() {
    let rounds: usize = support::setting("BENCH_ROUNDS", 300);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut vars = support::embedded_vars(dir.path(), "error");
    // Each request comes "from" its own address so the per-address limit never
    // short-cuts a request and the comparison measures the real path.
    vars.push(("VITRIN_TRUSTED_PROXIES", "127.0.0.1".to_owned()));
    let app = AppBuilder::new(support::config(&vars))
        .start()
        .await
        .expect("app");
    app.auth
        .create_admin("known@example.com", "kirmizi bisiklet 42")
        .await
        .expect("admin");
    app.auth
        .create_admin("disabled@example.com", "kirmizi bisiklet 42")
        .await
        .expect("admin");
    let addr = support::serve_vitrin(app).await;
    let client = reqwest::Client::new();
    let cases = [
        "known@example.com",
        "nobody@example.com",
        "disabled@example.com",
    ];
    let mut samples = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        for (i, email) in cases.iter().enumerate() {
            let started = Instant::now();
            let response = client
                .post(format!("http://{addr}/graphql"))
                .header("x-forwarded-for", format!("10.{}.{}.{}", i, round / 250, round % 250))
                .json(&json!({ "query": "mutation($e: String!) { requestPasswordReset(email: $e) }", "variables": { "e": email } }))
                .send()
                .await
                .expect("request");
            let body = response.text().await.expect("body");
            samples[i].push(started.elapsed().as_secs_f64() * 1e6);
            assert_eq!(body, r#"{"data":{"requestPasswordReset":true}}"#);
        }
    }
    let medians: Vec<f64> = samples
        .iter_mut()
        .map(|s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect();
    println!("requestPasswordReset, {rounds} interleaved rounds, median latency:");
    for (email, median) in cases.iter().zip(&medians) {
        println!("  {email:<24} {median:8.0} µs");
    }
    println!(
        "median difference: unknown − known = {:+.0} µs, disabled − known = {:+.0} µs ({:+.1}% and {:+.1}%)",
        medians[1] - medians[0],
        medians[2] - medians[0],
        (medians[1] / medians[0] - 1.0) * 100.0,
        (medians[2] / medians[0] - 1.0) * 100.0
    );
}

//! The shop with 10,000 products (seeded as `vitrin seed-demo` does) on SQLite: a product
//! page (`GET /urun/{slug}`) and the GraphQL `product(slug)` query with its pictures and
//! their variants, each as a ratio of throughput and of p99 latency against a plain
//! axum handler answering the same bytes, measured in the same run with the same client.
//! Twice: one product asked again and again (remembered after the first answer), and
//! every product in turn (each asked once, so rendered or executed every time).
//!
//! Run: `cargo bench --bench storefront` (optional: `BENCH_PRODUCTS`, `BENCH_SECONDS`,
//! `BENCH_CONNECTIONS`).

mod support;

use std::time::Instant;

use axum::Router;
use axum::routing::get;
use reqwest::Method;
use serde_json::json;
use support::{Measured, Request};
use vitrin::app::AppBuilder;

/// The production binary's allocator, for both servers alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PRODUCT_QUERY: &str = "query($slug: String!) { product(slug: $slug) { id name slug \
    currentPrice { amount formatted } onSale inStock \
    images { url width height variants { preset size width height format url } } video { url } } }";

fn main() {
    support::block_on(run());
}

async fn run() {
    let products: usize = support::setting("BENCH_PRODUCTS", 10_000);
    let seconds: u64 = support::setting("BENCH_SECONDS", 5);
    let connections: usize = support::setting("BENCH_CONNECTIONS", 32);
    let dir = tempfile::tempdir().expect("temp dir");
    let vars = support::embedded_vars(dir.path(), "warn");
    let app = AppBuilder::new(support::config(&vars))
        .start()
        .await
        .expect("app");
    let started = Instant::now();
    let seeded = app.catalog.seed_demo(products).await.expect("seed");
    println!(
        "seeded {} products, {} categories, {} pictures in {:.1} s",
        seeded.products,
        seeded.categories,
        seeded.pictures,
        started.elapsed().as_secs_f64()
    );
    let vitrin = support::serve_vitrin(app).await;

    // A product from the middle of the catalogue, with pictures.
    let client = reqwest::Client::new();
    let list = client
        .get(format!("http://{vitrin}/urunler?sirala=ad"))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("list body");
    let slug = list
        .split("href=\"/urun/")
        .nth(12)
        .and_then(|rest| rest.split('"').next())
        .expect("a product link")
        .to_owned();
    let page = client
        .get(format!("http://{vitrin}/urun/{slug}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("page body");
    let sitemap = client
        .get(format!("http://{vitrin}/sitemap.xml"))
        .send()
        .await
        .expect("sitemap")
        .text()
        .await
        .expect("sitemap body");
    let every_slug: Vec<String> = sitemap
        .split("/urun/")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(
        every_slug.len(),
        products,
        "the sitemap lists every product"
    );
    let query_for =
        |slug: &str| json!({ "query": PRODUCT_QUERY, "variables": { "slug": slug } }).to_string();
    let answer = client
        .post(format!("http://{vitrin}/graphql"))
        .header("content-type", "application/json")
        .body(query_for(&slug))
        .send()
        .await
        .expect("query")
        .text()
        .await
        .expect("answer");
    assert!(
        answer.contains("\"variants\"") && !answer.contains("\"errors\""),
        "{answer}"
    );

    let baseline = support::serve(
        Router::new()
            .route(
                "/urun/{slug}",
                get(move || {
                    let page = page.clone();
                    async move { ([("content-type", "text/html; charset=utf-8")], page) }
                }),
            )
            .route(
                "/graphql",
                axum::routing::post(move || {
                    let answer = answer.clone();
                    async move { ([("content-type", "application/json")], answer) }
                }),
            ),
    )
    .await;

    println!(
        "{connections} keep-alive connections, {seconds} s per measurement, baseline and vitrin alternated"
    );
    let page_request = |slug: &str| Request {
        method: Method::GET,
        path: format!("/urun/{slug}"),
        body: None,
    };
    let query_request = |slug: &str| Request {
        method: Method::POST,
        path: "/graphql".to_owned(),
        body: Some(query_for(slug)),
    };
    let cases = [
        ("GET /urun/{slug}, one product", vec![page_request(&slug)]),
        (
            "GET /urun/{slug}, every product in turn",
            every_slug.iter().map(|s| page_request(s)).collect(),
        ),
        (
            "product(slug) with images and variants, one product",
            vec![query_request(&slug)],
        ),
        (
            "product(slug) with images and variants, every product in turn",
            every_slug.iter().map(|s| query_request(s)).collect(),
        ),
    ];
    for (name, requests) in cases {
        let mut rounds: Vec<(Measured, Measured)> = Vec::new();
        for round in 1..=3 {
            // The baseline answers the one product's bytes to every request.
            let base = support::load(baseline, &requests[0], connections, seconds).await;
            let ours = support::load_each(vitrin, &requests, connections, seconds).await;
            println!(
                "  {name} round {round}: baseline {:.0} req/s p99 {:.2} ms, vitrin {:.0} req/s p99 {:.2} ms",
                base.per_second,
                base.p99.as_secs_f64() * 1e3,
                ours.per_second,
                ours.p99.as_secs_f64() * 1e3
            );
            rounds.push((base, ours));
        }
        let mut throughput: Vec<f64> = rounds
            .iter()
            .map(|(b, o)| o.per_second / b.per_second)
            .collect();
        let mut latency: Vec<f64> = rounds
            .iter()
            .map(|(b, o)| b.p99.as_secs_f64() / o.p99.as_secs_f64().max(1e-9))
            .collect();
        throughput.sort_by(f64::total_cmp);
        latency.sort_by(f64::total_cmp);
        println!(
            "{name}: vitrin/plain-axum throughput ratio {:.2}, p99 ratio (baseline/vitrin) {:.2} (medians of 3)",
            throughput[1], latency[1]
        );
    }
}

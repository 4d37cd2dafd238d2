//! The shop with 10,000 products (seeded as `vitrin seed-demo` does) on SQLite: a product
//! page (`GET /urun/{slug}`) and the GraphQL `product(slug)` query with its pictures and
//! their variants, each as a ratio of throughput and of p99 latency against a plain
//! axum handler answering the same bytes, measured in the same run with the same client.
//! Twice: one product asked again and again (remembered after the first answer), and
//! every product in turn (each asked once, so rendered or executed every time). Then the
//! same for a busy product with 500 published reviews and 10,000 favourites: its page
//! asked again and again, and its pages of reviews (`?yorum_sonra=…`, each a different
//! address, so rendered every time).
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
    let db = app.services.db.clone();
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
    let busy_pages = seed_busy_product(&db, &slug).await;
    let page = client
        .get(format!("http://{vitrin}/urun/{slug}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("page body");
    assert!(
        page.contains("(500)") && page.contains("data-favorite-count>10000<"),
        "the busy product's page shows its reviews and favourites"
    );
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
        (
            "GET /urun/{slug}, one product with 500 reviews and 10,000 favourites",
            vec![page_request(&slug)],
        ),
        (
            "GET /urun/{slug}, every product in turn",
            every_slug.iter().map(|s| page_request(s)).collect(),
        ),
        (
            "GET /urun/{slug}?yorum_sonra=…, a page of 500 reviews in turn",
            busy_pages
                .iter()
                .map(|path| Request {
                    method: Method::GET,
                    path: path.clone(),
                    body: None,
                })
                .collect(),
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

/// Gives the product at `slug` 10,000 customers' favourites and 500 published reviews
/// from them, straight in the database (as years of a busy shop would); the addresses of
/// its pages of reviews: each review's position written 100 ways (the number before the
/// id is not read for the newest-first order), so that the addresses outnumber what the
/// server remembers and every page is rendered.
async fn seed_busy_product(db: &vitrin::db::Db, slug: &str) -> Vec<String> {
    use diesel_async::RunQueryDsl;
    let mut pooled = db.write().await.expect("connection");
    let vitrin::db::Conn::Sqlite(conn) = pooled.conn() else {
        panic!("the benchmark runs on SQLite");
    };
    let slug = slug.replace('\'', "''");
    let product = format!("(SELECT id FROM products WHERE slug = '{slug}')");
    for sql in [
        "INSERT INTO users (email, name, password_hash, role, locale, disabled, created_at, \
         updated_at, email_verified_at, search_text) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
         SELECT 'fan' || i || '@example.com', 'Hayran ' || i, '', 'CUSTOMER', 'tr', FALSE, 0, 0, 0, \
         'fan' || i FROM n"
            .to_owned(),
        format!(
            "INSERT INTO favorites (user_id, product_id, created_at) \
             SELECT id, {product}, 0 FROM users WHERE email LIKE 'fan%'"
        ),
        format!("UPDATE products SET favorite_count = 10000 WHERE id = {product}"),
        format!(
            "INSERT INTO reviews (author_name, email, rating, comment, status, created_at, \
             moderated_at, product_id, user_id, title, helpful_count) \
             SELECT 'Hayran ' || id, email, 1 + id % 5, 'Kullandıkça seviyorum; ' || id, \
             'APPROVED', id, id, {product}, id, 'Başlık ' || id, id % 7 \
             FROM users WHERE email LIKE 'fan%' ORDER BY id LIMIT 500"
        ),
    ] {
        diesel::sql_query(sql).execute(&mut *conn).await.expect("seeding SQL runs");
    }
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = diesel::sql_query(format!(
        "SELECT id FROM reviews WHERE product_id = {product} ORDER BY id DESC"
    ))
    .load(&mut *conn)
    .await
    .expect("the reviews");
    let mut pages = Vec::with_capacity(ids.len() * 100);
    for k in 0..100 {
        for r in &ids {
            pages.push(format!("/urun/{slug}?yorum_sonra=NEWEST%7C{k}%7C{}", r.id));
        }
    }
    pages
}

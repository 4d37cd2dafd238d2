//! Checkouts per second: 32 customers at once, each putting one of 100 products in the
//! cart and checking out with cash on delivery (bank transfers may wait unpaid three at a
//! time), again and again, over HTTP — on SQLite and
//! on PostgreSQL. Reported with p50/p99 of the checkout request and as a ratio against a
//! plain axum handler answering the same bytes, measured in the same run with the same
//! number of connections.
//!
//! Run: `cargo bench --bench checkout` (optional: `BENCH_SECONDS`, `BENCH_CUSTOMERS`,
//! `BENCH_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`; the
//! PostgreSQL half is skipped when it is unreachable).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use reqwest::Method;
use serde_json::{Value, json};
use support::{Measured, Request};
use vitrin::app::{AppBuilder, AppState};
use vitrin::db::Conn;

/// The production binary's allocator, for both servers alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PRODUCTS: usize = 100;
const CHECKOUT: &str =
    "mutation($i: CheckoutInput!) { checkout(input: $i) { number total { amount } } }";

fn main() {
    support::block_on(run());
}

async fn run() {
    let seconds: u64 = support::setting("BENCH_SECONDS", 5);
    let customers: usize = support::setting("BENCH_CUSTOMERS", 32);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut vars = support::embedded_vars(dir.path(), "warn");
    // Each customer orders far more than a shopper would.
    vars.push(("VITRIN_CHECKOUTS_PER_HOUR", "1000000".to_owned()));
    let sqlite = AppBuilder::new(support::config(&vars))
        .start()
        .await
        .expect("app");
    measure("SQLite", sqlite, customers, seconds).await;

    let admin: String = support::setting(
        "BENCH_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/postgres".to_owned(),
    );
    let name = format!("vitrin_bench_checkout_{}", std::process::id());
    let Ok((client, connection)) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await
    else {
        println!("PostgreSQL at {admin} is unreachable; its half is skipped");
        return;
    };
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create the bench database");
    let mut url = url::Url::parse(&admin).expect("a URL");
    url.set_path(&name);
    let mut vars = vars.clone();
    vars.retain(|(k, _)| *k != "VITRIN_DATABASE_URL");
    vars.push(("VITRIN_DATABASE_URL", url.to_string()));
    vars.push(("VITRIN_DATABASE_POOL_SIZE", "20".to_owned()));
    let postgres = AppBuilder::new(support::config(&vars))
        .start()
        .await
        .expect("app");
    measure("PostgreSQL", postgres.clone(), customers, seconds).await;
    postgres.shutdown().await;
    drop(postgres);
    let _ = client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
}

/// Prepares the shop on `app` and measures checkouts against the baseline.
async fn measure(backend: &str, app: AppState, customers: usize, seconds: u64) {
    let products = prepare(&app).await;
    let tokens = signed_in_customers(&app, customers).await;
    let vitrin = support::serve_vitrin(app.clone()).await;
    let answer = checkout_once(vitrin, &tokens[0], products[0].as_str(), "hazirlik").await;
    let baseline = support::serve(Router::new().route(
        "/graphql",
        axum::routing::post(move || {
            let answer = answer.clone();
            async move { ([("content-type", "application/json")], answer) }
        }),
    ))
    .await;
    let plain = Request {
        method: Method::POST,
        path: "/graphql".to_owned(),
        body: Some(json!({ "query": CHECKOUT, "variables": {} }).to_string()),
    };
    println!(
        "{backend}: {customers} customers at once, {PRODUCTS} products, {seconds} s per measurement"
    );
    let mut rounds = Vec::new();
    for round in 1..=3 {
        let base = support::load(baseline, &plain, customers, seconds).await;
        let ours = checkouts(vitrin, &tokens, &products, seconds, round).await;
        println!(
            "  round {round}: baseline {:.0} req/s p50 {:.2} ms p99 {:.2} ms; vitrin {:.0} checkouts/s p50 {:.2} ms p99 {:.2} ms",
            base.per_second,
            ms(base.p50),
            ms(base.p99),
            ours.per_second,
            ms(ours.p50),
            ms(ours.p99)
        );
        rounds.push((base, ours));
    }
    rounds.sort_by(|a, b| a.1.per_second.total_cmp(&b.1.per_second));
    let (base, ours) = rounds[1];
    println!(
        "{backend}: {:.0} checkouts/s, p50 {:.1} ms, p99 {:.1} ms; vitrin/plain-axum throughput ratio {:.3} (median of 3)",
        ours.per_second,
        ms(ours.p50),
        ms(ours.p99),
        ours.per_second / base.per_second
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// 100 products with stock for the whole run, and cash on delivery: their ids.
async fn prepare(app: &AppState) -> Vec<String> {
    use vitrin::catalog::products::ProductChanges;
    app.shop
        .update_settings(vitrin::shop::settings::SettingsChange {
            cash_on_delivery: Some(true),
            ..Default::default()
        })
        .await
        .expect("settings");
    let mut ids = Vec::with_capacity(PRODUCTS);
    for i in 0..PRODUCTS {
        let product = app
            .catalog
            .create_product(ProductChanges {
                name: Some(format!("Ürün {i}")),
                price: Some(10_000 + i64::try_from(i).unwrap_or(0) * 100),
                stock: Some(1_000_000),
                active: Some(true),
                ..Default::default()
            })
            .await
            .expect("product");
        ids.push(product.id.to_string());
    }
    ids
}

/// Verified customers made in the database, signed in: their session tokens.
async fn signed_in_customers(app: &AppState, n: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("musteri{i}@example.com");
        let insert = format!(
            "INSERT INTO users (email, name, password_hash, role, locale, disabled, created_at, updated_at, email_verified_at, search_text) \
             VALUES ('{email}', 'Müşteri', '', 'CUSTOMER', 'tr', FALSE, 0, 0, 0, '{email}')"
        );
        let mut pooled = app.services.db.write().await.expect("connection");
        match pooled.conn() {
            Conn::Sqlite(c) => {
                diesel_async::RunQueryDsl::execute(diesel::sql_query(insert), c).await
            }
            Conn::Pg(c) => diesel_async::RunQueryDsl::execute(diesel::sql_query(insert), c).await,
        }
        .expect("customer");
        let row = vitrin::db::users::find_by_email(&mut pooled.conn(), &email)
            .await
            .expect("query")
            .expect("inserted");
        drop(pooled);
        let session = app
            .auth
            .open_session(vitrin::auth::User::from(row))
            .await
            .expect("session");
        tokens.push(session.token);
    }
    tokens
}

async fn graphql(
    client: &reqwest::Client,
    addr: std::net::SocketAddr,
    token: &str,
    query: &str,
    variables: Value,
) -> String {
    client
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body")
}

/// The delivery address every checkout types.
fn address() -> Value {
    json!({ "title": "Ev", "recipientName": "Ayşe Yılmaz", "phone": "05321234567", "line1": "Bağdat Cad. 5", "district": "Kadıköy", "city": "İstanbul", "postalCode": "34710" })
}

/// One cart and one checkout; the checkout's answer.
async fn checkout_once(
    addr: std::net::SocketAddr,
    token: &str,
    product: &str,
    key: &str,
) -> String {
    let client = reqwest::Client::new();
    let added = graphql(
        &client,
        addr,
        token,
        "mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }",
        json!({ "p": product }),
    )
    .await;
    assert!(!added.contains("\"errors\""), "{added}");
    let answer = graphql(&client, addr, token, CHECKOUT, json!({ "i": { "idempotencyKey": format!("bench-{key}"), "address": address(), "paymentMethod": "CASH_ON_DELIVERY" } })).await;
    assert!(answer.contains("\"number\""), "{answer}");
    answer
}

/// Each customer fills a cart and checks out, again and again, for `seconds`: the
/// checkouts' latencies.
async fn checkouts(
    addr: std::net::SocketAddr,
    tokens: &[String],
    products: &[String],
    seconds: u64,
    round: u32,
) -> Measured {
    let done = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (c, token) in tokens.iter().enumerate() {
        let (done, token, products) = (done.clone(), token.clone(), products.to_vec());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().expect("client");
            let address = address();
            let mut latencies = Vec::new();
            let mut n = 0_usize;
            while !done.load(Ordering::Relaxed) {
                let product = &products[(c * 7 + n) % products.len()];
                graphql(&client, addr, &token, "mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }", json!({ "p": product })).await;
                let key = format!("bench-{round}-{c}-{n}");
                let started = Instant::now();
                let answer = graphql(&client, addr, &token, CHECKOUT, json!({ "i": { "idempotencyKey": key, "address": address, "paymentMethod": "CASH_ON_DELIVERY" } })).await;
                latencies.push(started.elapsed());
                assert!(answer.contains("\"number\""), "{answer}");
                n += 1;
            }
            latencies
        }));
    }
    support::until_done(tasks, &done, seconds).await
}

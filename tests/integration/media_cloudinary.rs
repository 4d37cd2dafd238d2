//! The media library on Cloudinary, against a local fake that implements the documented
//! endpoints and checks signatures, with scripted failures and rate limits.

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend_test;
use crate::support::cloudinary::{Failure, FakeCloudinary};
use crate::support::{TestApp, TestAppBuilder, error_code, fixture_path};

const USAGE: &str = "{ storageUsage { usedBytes provider images { count bytes } providerUsage { plan storageBytes creditsUsed creditsLimit creditsUsedPercent lastUpdated ageSeconds stale } } }";

async fn start(builder: TestAppBuilder, fake: &FakeCloudinary) -> Option<TestApp> {
    let mut builder = builder;
    for (k, v) in fake.env() {
        builder = builder.env(k, &v);
    }
    builder.start().await
}

async fn upload(app: &TestApp, token: &str, fixture: &str) -> Value {
    app.upload(token, fixture, "PRODUCT")
        .await
        .json()
        .await
        .unwrap()
}

backend_test!(async fn upload_crop_and_delete_go_through_cloudinary(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    let photo = upload(&app, &token, "photo-landscape.jpg").await["data"]["uploadMedia"].clone();
    let video = upload(&app, &token, "clip.mp4").await["data"]["uploadMedia"].clone();
    assert!(photo["url"].as_str().unwrap().starts_with("https://res.cloudinary.com/demo-cloud/image/upload/v"), "{photo}");
    let assets = fake.assets();
    assert_eq!(assets.len(), 2);
    assert!(assets.values().any(|a| a.resource_type == "video" && a.bytes == std::fs::read(fixture_path("clip.mp4")).unwrap()));
    assert!(app.media_files().is_empty(), "nothing is kept locally");

    let crop = app
        .gql(Some(&token), "mutation($id: ID!) { cropMedia(id: $id, preset: \"product\", rect: { x: 100, y: 200, width: 1500, height: 1500 }) { variants { size width height format bytes url } } }", json!({ "id": photo["id"] }))
        .await;
    let variants = crop["data"]["cropMedia"]["variants"].as_array().unwrap_or_else(|| panic!("{crop}")).clone();
    assert_eq!(variants.len(), 3, "one provider-derived URL per size");
    let zoom = variants.iter().find(|v| v["size"] == "zoom").unwrap();
    assert_eq!((zoom["width"].as_i64(), zoom["height"].as_i64(), zoom["format"].as_str(), zoom["bytes"].is_null()), (Some(1500), Some(1500), Some("AUTO"), true));
    let url = zoom["url"].as_str().unwrap();
    assert!(url.starts_with("https://res.cloudinary.com/demo-cloud/image/upload/c_crop,g_north_west,h_1500,w_1500,x_100,y_200/c_fill,h_1500,w_1500/f_auto,q_auto/v"), "{url}");

    let usage = app.gql(Some(&token), USAGE, json!({})).await["data"]["storageUsage"].clone();
    assert_eq!(usage["provider"], "CLOUDINARY");
    assert_eq!(usage["providerUsage"]["plan"], "Free");
    assert_eq!(usage["providerUsage"]["creditsLimit"], 25.0);
    assert_eq!(usage["providerUsage"]["stale"], false);
    let photo_bytes: i64 = photo["bytes"].as_str().unwrap().parse().unwrap();
    assert_eq!(usage["usedBytes"], (photo_bytes + 249197).to_string(), "our own ledger, not the provider's total");

    for item in [&photo, &video] {
        let body = app.gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": item["id"] })).await;
        assert_eq!(body["data"]["deleteMedia"], true, "{body}");
    }
    assert!(fake.assets().is_empty(), "destroyed with the right resource type");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 0);
});

backend_test!(async fn server_errors_are_retried_with_backoff(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    fake.fail_next("upload", Failure::ServerError);
    fake.fail_next("upload", Failure::ServerError);
    let body = upload(&app, &token, "small.webp").await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(fake.calls("upload"), 3);
});

backend_test!(async fn a_provider_that_keeps_failing_gets_a_clear_error_and_nothing_is_recorded(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    for _ in 0..5 {
        fake.fail_next("upload", Failure::ServerError);
    }
    let body = upload(&app, &token, "small.webp").await;
    assert_eq!(error_code(&body), "INTERNAL_SERVER_ERROR");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("not answering; nothing was changed"), "{body}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 0);
    assert!(fake.assets().is_empty());
});

backend_test!(async fn a_short_rate_limit_is_waited_out_and_a_long_one_answered_rate_limited(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    fake.fail_next("upload", Failure::RateLimited { status: 420, reset_in: Duration::from_secs(1) });
    assert!(upload(&app, &token, "small.webp").await["errors"].is_null());
    fake.fail_next("upload", Failure::RateLimited { status: 429, reset_in: Duration::from_secs(600) });
    let body = upload(&app, &token, "small.png").await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    assert!(body["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() > 500);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 1);
});

backend_test!(async fn deleting_while_cloudinary_fails_changes_nothing(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    let photo = upload(&app, &token, "small.webp").await["data"]["uploadMedia"].clone();
    for _ in 0..5 {
        fake.fail_next("destroy", Failure::ServerError);
    }
    let body = app.gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": photo["id"] })).await;
    assert_eq!(error_code(&body), "INTERNAL_SERVER_ERROR");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 1);
    assert_eq!(fake.assets().len(), 1);
});

backend_test!(async fn a_thousand_cold_usage_queries_make_one_upstream_call(backend) {
    let fake = FakeCloudinary::start().await;
    // A thousand connections from this one test client.
    let builder = TestApp::builder(backend).env("VITRIN_MAX_CONNECTIONS_PER_CLIENT", "2000");
    let Some(app) = start(builder, &fake).await else { return };
    let token = app.admin_token().await;
    *fake.state.usage_delay.lock().unwrap() = Duration::from_millis(300);
    let queries = (0..1000).map(|_| app.gql(Some(&token), USAGE, json!({})));
    let results = futures_util::future::join_all(queries).await;
    assert!(results.iter().all(|r| r["data"]["storageUsage"]["providerUsage"]["plan"] == "Free"), "{:?}", results.iter().find(|r| r["errors"].is_array()));
    assert_eq!(fake.calls("usage"), 1);
});

backend_test!(async fn a_query_stops_its_work_when_its_client_goes(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend), &fake).await else { return };
    let token = app.admin_token().await;
    *fake.state.usage_delay.lock().unwrap() = Duration::from_secs(2);
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(500)).build().unwrap();
    let gave_up = impatient.post(app.url("/graphql")).bearer_auth(&token).json(&json!({ "query": USAGE })).send().await;
    assert!(gave_up.is_err(), "the client gave up before the answer");
    assert_eq!(fake.state.usage_started.load(std::sync::atomic::Ordering::SeqCst), 1, "the query had asked the provider");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(fake.calls("usage"), 0, "the provider call was dropped with the request, not waited for");
});

backend_test!(async fn a_query_past_its_time_budget_is_stopped(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend).env("VITRIN_REQUEST_TIMEOUT", "1s"), &fake).await else { return };
    let token = app.admin_token().await;
    *fake.state.usage_delay.lock().unwrap() = Duration::from_secs(3);
    let response = app.post_gql(Some(&token), USAGE, json!({})).await;
    assert_eq!(response.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("longer than 1 s"), "{body}");
});

backend_test!(async fn when_the_usage_report_fails_the_last_figures_are_served_with_their_age(backend) {
    let fake = FakeCloudinary::start().await;
    let Some(app) = start(TestApp::builder(backend).env("VITRIN_CLOUDINARY_USAGE_TTL", "1s"), &fake).await else { return };
    let token = app.admin_token().await;
    assert_eq!(app.gql(Some(&token), USAGE, json!({})).await["data"]["storageUsage"]["providerUsage"]["stale"], false);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.clock.advance(chrono::Duration::seconds(90));
    for _ in 0..5 {
        fake.fail_next("usage", Failure::ServerError);
    }
    let usage = app.gql(Some(&token), USAGE, json!({})).await["data"]["storageUsage"]["providerUsage"].clone();
    assert_eq!(usage["stale"], true, "{usage}");
    assert!(usage["ageSeconds"].as_i64().unwrap() >= 90);
    assert_eq!(usage["plan"], "Free");
});

backend_test!(async fn large_files_are_sent_in_chunks(backend) {
    let fake = FakeCloudinary::start().await;
    let builder = TestApp::builder(backend)
        .env("VITRIN_CLOUDINARY_CHUNK_THRESHOLD", "100KB")
        .env("VITRIN_CLOUDINARY_CHUNK_SIZE", "64KiB");
    let Some(app) = start(builder, &fake).await else { return };
    let token = app.admin_token().await;
    let body = upload(&app, &token, "clip.mp4").await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(fake.calls("upload"), 4, "249,197 bytes in 64 KiB chunks");
    let original = std::fs::read(fixture_path("clip.mp4")).unwrap();
    assert!(fake.assets().values().any(|a| a.bytes == original), "the chunks reassemble to the file");
});

backend_test!(async fn a_wrong_secret_is_caught_by_the_signature_check(backend) {
    let fake = FakeCloudinary::start().await;
    let mut builder = TestApp::builder(backend);
    for (k, v) in fake.env() {
        let v = if k == "VITRIN_CLOUDINARY_URL" { v.replace("s3cr3t", "wrong") } else { v };
        builder = builder.env(k, &v);
    }
    let Some(app) = builder.start().await else { return };
    let token = app.admin_token().await;
    let body = upload(&app, &token, "small.webp").await;
    assert_eq!(error_code(&body), "INTERNAL_SERVER_ERROR", "{body}");
    assert!(fake.assets().is_empty());
});

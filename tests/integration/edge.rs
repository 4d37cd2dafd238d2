//! What the origin gives the edge worker: cache headers on public answers only,
//! automatic persisted queries, signed purges to every edge node (retried while a node
//! is down) and signed URLs of resized images.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::TestApp;
use crate::{backend_test, db_test};

const SECRET: &str = "edge-secret-of-at-least-32-characters";
const STATS: &str = "{ stats { reviewCount visitCount } }";

/// A purge an edge node received: its signature header and body.
type Received = (String, Value);

/// A stand-in edge node: records purges, and answers 503 to the first `failures`.
struct FakeNode {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

#[derive(Clone)]
struct NodeState {
    received: Arc<Mutex<Vec<Received>>>,
    failures: Arc<Mutex<usize>>,
}

impl FakeNode {
    async fn start(failures: usize) -> FakeNode {
        let state = NodeState {
            received: Arc::default(),
            failures: Arc::new(Mutex::new(failures)),
        };
        let router = Router::new()
            .route("/__edge/purge", post(purge))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        FakeNode {
            url: format!("http://{addr}/__edge/purge"),
            received: state.received,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until a purge naming `tag` arrived.
    async fn purged(&self, tag: &str) -> Received {
        for _ in 0..200 {
            let found = self.received().into_iter().find(|(_, body)| {
                body["tags"]
                    .as_array()
                    .is_some_and(|tags| tags.iter().any(|t| t == tag))
            });
            if let Some(found) = found {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no purge of {tag} arrived: {:?}", self.received());
    }
}

async fn purge(State(state): State<NodeState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    {
        let mut failures = state.failures.lock().unwrap();
        if *failures > 0 {
            *failures -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    let signature = headers
        .get("x-vitrin-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.received.lock().unwrap().push((signature, body));
    StatusCode::OK
}

/// Whether `signature` is the edge's `t=…,v1=…` over `body`, made within a minute.
fn signed_over(signature: &str, body: &Value) -> bool {
    let Some((t, mac)) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let now = chrono::Utc::now().timestamp();
    let fresh = t.parse::<i64>().is_ok_and(|t| (now - t).abs() < 60);
    let mut expected = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    expected.update(format!("{t}.{body}").as_bytes());
    fresh && hex::encode(expected.finalize().into_bytes()) == mac
}

async fn get_graphql(app: &TestApp, params: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(app.url("/graphql"))
        .query(params)
        .send()
        .await
        .unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

db_test!(async fn a_public_read_is_shared_cacheable_under_its_topics_with_an_etag(app) {
    let first = get_graphql(&app, &[("query", STATS)]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        header(&first, "cache-control"),
        "public, max-age=0, s-maxage=300, stale-while-revalidate=60"
    );
    assert_eq!(header(&first, "cache-tag"), "stats");
    let etag = header(&first, "etag");
    assert!(etag.starts_with('"'), "{etag}");
    // Remembered, then asked again with the validator.
    let again = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", STATS)])
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    let products = get_graphql(&app, &[("query", "{ products(first: 1) { totalCount } }")]).await;
    assert_eq!(
        header(&products, "cache-tag"),
        "catalog,storage,reviews,favorites"
    );
});

db_test!(async fn private_and_failed_answers_are_never_shared(app) {
    let token = app.admin_token().await;
    let signed_in = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", STATS)])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&signed_in, "cache-control"), "private, no-store");
    assert_eq!(header(&signed_in, "cache-tag"), "");
    let me = get_graphql(&app, &[("query", "{ me { id } }")]).await;
    assert_eq!(header(&me, "cache-control"), "private, no-store");
    let failed = get_graphql(&app, &[("query", "{ product(slug: \"yok\") { name } nope }")]).await;
    assert_eq!(header(&failed, "cache-control"), "private, no-store");
    let mutation = app
        .post_gql(None, "mutation { recordVisit(visitorId: \"v-1\") }", json!({}))
        .await;
    assert_eq!(header(&mutation, "cache-control"), "private, no-store");
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(header(&health, "cache-control"), "private, no-store");
});

db_test!(async fn persisted_queries_are_asked_for_once_then_sent_by_hash(app) {
    let hash = hex::encode(Sha256::digest(STATS));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string();
    let unknown = get_graphql(&app, &[("extensions", extensions.as_str())]).await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
    let registered = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": STATS, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .unwrap();
    let body: Value = registered.json().await.unwrap();
    assert_eq!(body["data"]["stats"]["visitCount"], 0, "{body}");
    let by_hash = get_graphql(&app, &[("extensions", extensions.as_str())]).await;
    assert!(header(&by_hash, "cache-control").starts_with("public"));
    let body: Value = by_hash.json().await.unwrap();
    assert_eq!(body["data"]["stats"]["reviewCount"], 0, "{body}");
    let wrong = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ __typename }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_HASH_MISMATCH");
});

db_test!(async fn a_get_parameter_given_twice_is_refused(app) {
    let twice = get_graphql(
        &app,
        &[
            ("query", "query($s: String!) { product(slug: $s) { name } }"),
            ("variables", r#"{"s":"a"}"#),
            ("variables", r#"{"s":"b"}"#),
        ],
    )
    .await;
    assert_eq!(twice.status(), StatusCode::BAD_REQUEST);
    assert_eq!(header(&twice, "cache-control"), "private, no-store");
});

db_test!(async fn a_persisted_mutation_is_still_refused_over_get(app) {
    let mutation = "mutation { recordVisit(visitorId: \"v-1\") }";
    let hash = hex::encode(Sha256::digest(mutation));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    app.client
        .post(app.url("/graphql"))
        .json(&json!({ "query": mutation, "extensions": extensions }))
        .send()
        .await
        .unwrap();
    let by_get = get_graphql(&app, &[("extensions", &extensions.to_string())]).await;
    assert_eq!(by_get.status(), StatusCode::METHOD_NOT_ALLOWED);
});

backend_test!(async fn a_change_to_public_answers_purges_every_edge_node(backend) {
    let (first, second) = (FakeNode::start(0).await, FakeNode::start(0).await);
    let nodes = format!("{},{}", first.url, second.url);
    let Some(app) = TestApp::builder(backend)
        .env("VITRIN_EDGE_SECRET", SECRET)
        .env("VITRIN_EDGE_PURGE_URLS", &nodes)
        .start()
        .await
    else {
        return;
    };
    let token = app.admin_token().await;
    let submitted = app
        .gql(
            None,
            "mutation($i: ReviewInput!) { submitReview(input: $i) { id } }",
            json!({ "i": { "authorName": "Ayşe K.", "email": "ayse@example.com", "rating": 5, "comment": "Çok memnun kaldık, teşekkürler!" } }),
        )
        .await;
    app.gql(
        Some(&token),
        "mutation($id: ID!) { approveReview(id: $id) { status } }",
        json!({ "id": submitted["data"]["submitReview"]["id"] }),
    )
    .await;
    for node in [&first, &second] {
        let (signature, body) = node.purged("stats").await;
        assert!(signed_over(&signature, &body), "{signature} {body}");
        node.purged("reviews").await;
    }
    // Nothing private is announced: signing in purges nothing.
    let before = first.received().len();
    app.login(crate::support::ADMIN_EMAIL, crate::support::ADMIN_PASSWORD).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(first.received().len(), before);
});

backend_test!(async fn a_deleted_file_is_purged_from_every_edge_node_by_its_hash(backend) {
    let node = FakeNode::start(0).await;
    let Some(app) = TestApp::builder(backend)
        .env("VITRIN_EDGE_SECRET", SECRET)
        .env("VITRIN_EDGE_PURGE_URLS", &node.url)
        .start()
        .await
    else {
        return;
    };
    let token = app.admin_token().await;
    let body: Value = app.upload(&token, "small.webp", "OTHER").await.json().await.unwrap();
    let media = &body["data"]["uploadMedia"];
    let url = media["url"].as_str().unwrap_or_else(|| panic!("{body}"));
    let hash = url.rsplit('/').next().unwrap().split('.').next().unwrap();
    let deleted = app
        .gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": media["id"] }))
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    let (signature, body) = node.purged(&format!("media:{hash}")).await;
    assert!(signed_over(&signature, &body));
});

backend_test!(async fn a_purge_an_edge_node_missed_is_sent_again_from_the_queue(backend) {
    let node = FakeNode::start(2).await;
    let Some(app) = TestApp::builder(backend)
        .env("VITRIN_EDGE_SECRET", SECRET)
        .env("VITRIN_EDGE_PURGE_URLS", &node.url)
        .env("VITRIN_JOB_RETRY_DELAY", "50ms")
        .env("VITRIN_JOB_POLL_INTERVAL", "100ms")
        .start()
        .await
    else {
        return;
    };
    app.gql(
        None,
        "mutation { recordVisit(visitorId: \"ziyaretci-1\") }",
        json!({}),
    )
    .await;
    let (signature, body) = node.purged("stats").await;
    assert!(signed_over(&signature, &body));
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'edge.purge' AND state = 'DEAD'")
            .await,
        0
    );
});

db_test!(async fn an_image_behind_the_edge_lists_signed_in_between_widths(app) with |b| b
    .env("VITRIN_EDGE_SECRET", SECRET)
    .env("VITRIN_EDGE_URL", "https://edge.example"), {
    let token = app.admin_token().await;
    let response = app.upload(&token, "photo-landscape.jpg", "PRODUCT").await;
    let body: Value = response.json().await.unwrap();
    let id = body["data"]["uploadMedia"]["id"].clone();
    let media = app
        .gql(
            Some(&token),
            "mutation($id: ID!, $rect: CropRectInput) { cropMedia(id: $id, preset: \"product\", rect: $rect) { variants { size width format url srcset } } }",
            json!({ "id": id, "rect": { "x": 500, "y": 0, "width": 2000, "height": 2000 } }),
        )
        .await;
    let variants = media["data"]["cropMedia"]["variants"].as_array().unwrap_or_else(|| panic!("{media}")).clone();
    let main = variants
        .iter()
        .find(|v| v["size"] == "main" && v["format"] == "JPEG")
        .unwrap_or_else(|| panic!("{media}"));
    let url = main["url"].as_str().unwrap();
    let key = url.split("/media/").nth(1).unwrap();
    let srcset = main["srcset"].as_str().unwrap();
    let candidates: Vec<&str> = srcset.split(", ").collect();
    assert_eq!(candidates.len(), 5, "{srcset}");
    for (candidate, width) in candidates.iter().zip([320, 480, 640, 800]) {
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(format!("{width}/{key}").as_bytes());
        use base64::Engine as _;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        assert_eq!(*candidate, format!("https://edge.example/img/{signature}/{width}/{key} {width}w"));
    }
    assert_eq!(candidates[4], format!("{url} {}w", main["width"]));
    let webp = variants.iter().find(|v| v["size"] == "main" && v["format"] == "WEBP").unwrap();
    assert_eq!(webp["srcset"], format!("{} {}w", webp["url"].as_str().unwrap(), webp["width"]));
    let file = app.client.get(url).send().await.unwrap();
    let hash = key.rsplit('/').next().unwrap().split('.').next().unwrap();
    assert_eq!(header(&file, "cache-tag"), format!("media,media:{hash}"));
});

db_test!(async fn storefront_pages_carry_the_catalogue_tags(app) {
    let page = app.client.get(app.url("/urunler")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, "cache-tag"), "catalog,storage,reviews,favorites");
    assert!(header(&page, "cache-control").starts_with("public"));
    assert!(page.headers().contains_key(ETAG));
    let account = app.client.get(app.url("/hesap")).send().await.unwrap();
    assert_eq!(header(&account, "cache-tag"), "");
    assert!(account.headers()[CACHE_CONTROL].to_str().unwrap().contains("no-store"));
});

//! Products bought through an external link: only https links on allowed hosts are
//! saved, `/go/{slug}` redirects to the stored link and counts the click.

use serde_json::json;

use crate::db_test;
use crate::support::TestApp;
use crate::support::shop::{add, customers, product, reason};

const SAVE: &str = "mutation($id: ID!, $i: ProductInput!) { updateProduct(id: $id, input: $i) { externalUrl buyUrl } }";

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn allow(app: &TestApp, admin: &str, hosts: &[&str]) {
    let body = app.gql(Some(admin), "mutation($h: [String!]) { updateShopSettings(input: { externalLinkHosts: $h }) { externalLinkHosts } }", json!({ "h": hosts })).await;
    assert!(body["errors"].is_null(), "{body}");
}

db_test!(async fn only_https_links_on_allowed_hosts_are_saved_and_followed(app) {
    let admin = app.admin_token().await;
    let lamp = product(&app, &admin, "Lamba", 30_000, 5).await;
    let refused = app.gql(Some(&admin), SAVE, json!({ "id": lamp, "i": { "externalUrl": "https://www.trendyol.com/lamba-p-1" } })).await;
    assert_eq!(refused["errors"][0]["extensions"]["field"], "input.externalUrl", "not on the list yet: {refused}");
    allow(&app, &admin, &["WWW.Trendyol.com"]).await;
    for bad in ["http://www.trendyol.com/lamba", "https://evil.example/lamba", "https://user@www.trendyol.com/x", "javascript:alert(1)"] {
        let body = app.gql(Some(&admin), SAVE, json!({ "id": lamp, "i": { "externalUrl": bad } })).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.externalUrl", "{bad}: {body}");
    }
    let saved = app.gql(Some(&admin), SAVE, json!({ "id": lamp, "i": { "externalUrl": "https://www.trendyol.com/lamba-p-1" } })).await;
    assert_eq!(saved["data"]["updateProduct"]["buyUrl"], app.url("/go/lamba"), "{saved}");

    let go = browser()
        .get(app.url("/go/lamba?v=visitor-1&next=https://evil.example"))
        .header("referer", "https://www.google.com/search?q=lamba")
        .send()
        .await
        .unwrap();
    assert_eq!(go.status(), 302);
    assert_eq!(go.headers()["location"], "https://www.trendyol.com/lamba-p-1", "the stored link, never a parameter");
    assert_eq!(go.headers()["cache-control"], "no-store");
    assert_eq!(
        app.count_sql("SELECT count(*) AS n FROM external_clicks WHERE visitor_id = 'visitor-1' AND referrer = 'https://www.google.com'").await,
        1,
        "the click is counted with the visitor and the referrer's origin only"
    );
    let clicks = app.gql(Some(&admin), "query($id: ID!) { product(id: $id) { externalClicks } }", json!({ "id": lamp })).await;
    assert_eq!(clicks["data"]["product"]["externalClicks"], 1, "{clicks}");
    let listed = app.gql(Some(&admin), "{ products(includeInactive: true) { edges { node { name externalClicks } } } }", json!({})).await;
    assert_eq!(listed["data"]["products"]["edges"][0]["node"]["externalClicks"], 1, "{listed}");

    // A product sold elsewhere does not go in the cart.
    let shopper = &customers(&app, "dis", 1).await[0];
    assert_eq!(reason(&add(&app, shopper, &lamp, 1).await), "SOLD_ELSEWHERE");

    // Taken off the list, the link is not followed any more.
    allow(&app, &admin, &[]).await;
    let gone = browser().get(app.url("/go/lamba")).send().await.unwrap();
    assert_eq!(gone.status(), 404);
    let unknown = browser().get(app.url("/go/yok-boyle")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
});

db_test!(async fn one_client_clicking_a_thousand_times_counts_twenty_a_minute(app) {
    let admin = app.admin_token().await;
    allow(&app, &admin, &["www.hepsiburada.com"]).await;
    let lamp = product(&app, &admin, "Lamba", 30_000, 5).await;
    app.gql(Some(&admin), SAVE, json!({ "id": lamp, "i": { "externalUrl": "https://www.hepsiburada.com/lamba" } })).await;
    let client = browser();
    for _ in 0..40 {
        let go = client.get(app.url("/go/lamba")).send().await.unwrap();
        assert_eq!(go.status(), 302, "every click is sent on");
    }
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM external_clicks").await, 20);
});

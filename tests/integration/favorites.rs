//! Favourites: the heart toggles, the count on the product stays exact under
//! concurrency, and each customer sees only their own list.

use serde_json::{Value, json};

use crate::db_test;
use crate::support::shop::{customers, product};
use crate::support::{TestApp, error_code};

const TOGGLE: &str = "mutation($p: ID!, $f: Boolean) { toggleFavorite(productId: $p, favorite: $f) { id favoriteCount isFavorite } }";
const MINE: &str =
    "{ myFavorites(first: 10) { totalCount edges { node { id name isFavorite } } } }";

async fn toggle(app: &TestApp, token: &str, product: &str, favorite: Option<bool>) -> Value {
    let body = app
        .gql(Some(token), TOGGLE, json!({ "p": product, "f": favorite }))
        .await;
    body["data"]["toggleFavorite"].clone()
}

async fn stored_count(app: &TestApp, product: &str) -> (i64, i64) {
    let stored = app
        .count_sql(&format!(
            "SELECT favorite_count AS n FROM products WHERE id = {product}"
        ))
        .await;
    let counted = app
        .count_sql(&format!(
            "SELECT COUNT(*) AS n FROM favorites WHERE product_id = {product}"
        ))
        .await;
    (stored, counted)
}

db_test!(async fn the_heart_toggles_and_setting_it_twice_changes_nothing(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Pamuk havlu", 12_000, 5).await;
    let customer = customers(&app, "kalp", 1).await.remove(0);
    assert_eq!(toggle(&app, &customer, &id, None).await, json!({ "id": id, "favoriteCount": 1, "isFavorite": true }));
    assert_eq!(toggle(&app, &customer, &id, Some(true)).await["favoriteCount"], 1, "setting it again changes nothing");
    let mine = app.gql(Some(&customer), MINE, json!({})).await;
    assert_eq!(mine["data"]["myFavorites"]["edges"][0]["node"], json!({ "id": id, "name": "Pamuk havlu", "isFavorite": true }), "{mine}");
    assert_eq!(toggle(&app, &customer, &id, None).await, json!({ "id": id, "favoriteCount": 0, "isFavorite": false }));
    assert_eq!(toggle(&app, &customer, &id, Some(false)).await["favoriteCount"], 0);
    assert_eq!(app.gql(Some(&customer), MINE, json!({})).await["data"]["myFavorites"]["totalCount"], 0);
    let guest = app.gql(None, TOGGLE, json!({ "p": id })).await;
    assert_eq!(error_code(&guest), "UNAUTHENTICATED");
    let guest_view = app.gql(None, "{ products(first: 5) { edges { node { id isFavorite favoriteCount } } } }", json!({})).await;
    assert_eq!(guest_view["data"]["products"]["edges"][0]["node"]["isFavorite"], false);
    let missing = app.gql(Some(&customer), TOGGLE, json!({ "p": "99999" })).await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
});

db_test!(async fn a_hundred_customers_pressing_the_heart_at_once_make_the_count_exactly_a_hundred(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Seramik kupa", 8_000, 5).await;
    let tokens = customers(&app, "kalabalik", 100).await;
    let presses = tokens.iter().map(|token| {
        let (app, id) = (&app, &id);
        async move { app.gql(Some(token), TOGGLE, json!({ "p": id })).await }
    });
    for answer in futures_util::future::join_all(presses).await {
        assert_eq!(answer["data"]["toggleFavorite"]["isFavorite"], true, "{answer}");
    }
    assert_eq!(stored_count(&app, &id).await, (100, 100));
    let again = tokens.iter().take(40).map(|token| {
        let (app, id) = (&app, &id);
        async move { app.gql(Some(token), TOGGLE, json!({ "p": id })).await }
    });
    futures_util::future::join_all(again).await;
    assert_eq!(stored_count(&app, &id).await, (60, 60));
    let listed = app
        .gql(None, "{ products(first: 5, sort: FAVORITES) { edges { node { id favoriteCount } } } }", json!({}))
        .await;
    assert_eq!(listed["data"]["products"]["edges"][0]["node"], json!({ "id": id, "favoriteCount": 60 }), "{listed}");
});

db_test!(async fn a_customer_sees_only_their_own_favourites(app) {
    let admin = app.admin_token().await;
    let first = product(&app, &admin, "Bez çanta", 9_000, 5).await;
    let second = product(&app, &admin, "Hasır şapka", 19_000, 5).await;
    let tokens = customers(&app, "ayri", 2).await;
    toggle(&app, &tokens[0], &first, None).await;
    toggle(&app, &tokens[1], &second, None).await;
    for (token, id) in tokens.iter().zip([&first, &second]) {
        let mine = app.gql(Some(token), MINE, json!({})).await;
        let ids: Vec<&Value> = mine["data"]["myFavorites"]["edges"].as_array().unwrap().iter().map(|e| &e["node"]["id"]).collect();
        assert_eq!(ids, vec![&json!(id)], "{mine}");
    }
    let hidden = app
        .gql(Some(&admin), "mutation($id: ID!) { updateProduct(id: $id, input: { active: false }) { active } }", json!({ "id": first }))
        .await;
    assert_eq!(hidden["data"]["updateProduct"]["active"], false, "{hidden}");
    assert_eq!(app.gql(Some(&tokens[0]), MINE, json!({})).await["data"]["myFavorites"]["totalCount"], 0, "a hidden product leaves the list");
    let peek = app.gql(Some(&tokens[0]), "mutation($p: ID!) { toggleFavorite(productId: $p, favorite: false) { name } }", json!({ "p": first })).await;
    assert_eq!(error_code(&peek), "NOT_FOUND", "the heart never reveals a hidden product: {peek}");
});

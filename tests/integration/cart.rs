//! Carts: a guest's in a cookie, merged into the customer's at sign-in; prices always
//! current, with warnings; the limits; another cart's lines out of reach.

use serde_json::json;

use crate::db_test;
use crate::support::error_code;
use crate::support::shop::{CART, Guest, add, customers, kurus, product, reason};

const UPDATE: &str = "mutation($l: ID!, $q: Int!) { updateCartLine(lineId: $l, quantity: $q) { itemCount lines { id quantity } } }";

fn line_of<'a>(cart: &'a serde_json::Value, product: &str) -> &'a serde_json::Value {
    cart["lines"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["product"]["id"] == product))
        .unwrap_or_else(|| panic!("no line of {product} in {cart}"))
}

db_test!(async fn a_guest_cart_merges_into_the_customers_at_sign_in_within_stock_and_twenty(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 15_000, 30).await;
    let vase = product(&app, &admin, "Vazo", 40_000, 3).await;
    let plate = product(&app, &admin, "Tabak", 9_000, 50).await;
    let customer = &customers(&app, "ayse", 1).await[0];
    // Before signing in on this browser, the customer had a cart of their own.
    add(&app, customer, &mug, 15).await;

    let browser = Guest::new();
    let empty = browser.gql(&app, None, &format!("{{ cart {{ {CART} }} }}"), json!({})).await;
    assert_eq!(empty["data"]["cart"]["itemCount"], 0, "never null: {empty}");
    assert_eq!(empty["data"]["cart"]["id"], "0");
    browser.add(&app, &mug, 10).await;
    browser.add(&app, &vase, 2).await;
    let guest = browser.add(&app, &plate, 1).await;
    assert_eq!(guest["data"]["addToCart"]["itemCount"], 13, "{guest}");

    // The vase's stock drops to 1 meanwhile.
    app.exec_sql(&format!("UPDATE products SET stock = 1 WHERE id = {vase}")).await;
    let merged = browser.gql(&app, Some(customer), &format!("{{ cart {{ {CART} }} }}"), json!({})).await;
    let cart = &merged["data"]["cart"];
    assert_eq!(line_of(cart, &mug)["quantity"], 20, "15 + 10, capped at 20: {cart}");
    assert_eq!(line_of(cart, &vase)["quantity"], 1, "capped by the stock");
    assert_eq!(line_of(cart, &plate)["quantity"], 1);
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM carts").await, 1, "the guest cart is gone");

    // The guest's cookie was cleared: the browser is an empty guest again.
    let after = browser.gql(&app, None, "{ cart { itemCount } }", json!({})).await;
    assert_eq!(after["data"]["cart"]["itemCount"], 0, "{after}");
});

db_test!(async fn the_cart_shows_current_prices_and_says_what_changed(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 10_000, 5).await;
    let vase = product(&app, &admin, "Vazo", 20_000, 5).await;
    let token = &customers(&app, "ali", 1).await[0];
    add(&app, token, &mug, 2).await;
    add(&app, token, &vase, 1).await;

    let reprice = "mutation($id: ID!, $i: ProductInput!) { updateProduct(id: $id, input: $i) { id } }";
    app.gql(Some(&admin), reprice, json!({ "id": mug, "i": { "price": 12_000 } })).await;
    let cart = app.gql(Some(token), &format!("{{ cart {{ {CART} }} }}"), json!({})).await;
    let cart = &cart["data"]["cart"];
    assert_eq!(kurus(&line_of(cart, &mug)["unitPrice"]), 12_000, "always today's price");
    assert_eq!(kurus(&cart["subtotal"]), 44_000);
    assert_eq!(cart["warnings"][0]["kind"], "PRICE_CHANGED", "{cart}");
    assert_eq!(cart["warnings"][0]["blocking"], false);
    assert_eq!(cart["canCheckOut"], true);

    app.gql(Some(&admin), reprice, json!({ "id": vase, "i": { "stock": 0 } })).await;
    app.gql(Some(&admin), reprice, json!({ "id": mug, "i": { "active": false } })).await;
    let cart = app.gql(Some(token), &format!("{{ cart {{ {CART} }} }}"), json!({})).await;
    let kinds: Vec<&str> = cart["data"]["cart"]["warnings"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["UNAVAILABLE", "OUT_OF_STOCK"], "{cart}");
    assert_eq!(cart["data"]["cart"]["canCheckOut"], false);
});

db_test!(async fn quantities_stay_within_the_stock_and_twenty_and_lines_of_other_carts_are_out_of_reach(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 10_000, 25).await;
    let vase = product(&app, &admin, "Vazo", 20_000, 2).await;
    let tokens = customers(&app, "veli", 2).await;
    let (veli, other) = (&tokens[0], &tokens[1]);

    assert_eq!(reason(&add(&app, veli, &mug, 21).await), "QUANTITY_LIMIT");
    assert_eq!(reason(&add(&app, veli, &vase, 3).await), "NOT_ENOUGH_STOCK");
    assert_eq!(error_code(&add(&app, veli, &mug, 0).await), "BAD_USER_INPUT");
    assert_eq!(error_code(&add(&app, veli, "999999", 1).await), "NOT_FOUND");
    let cart = add(&app, veli, &vase, 2).await;
    assert_eq!(reason(&add(&app, veli, &vase, 1).await), "NOT_ENOUGH_STOCK", "2 held + 1 > 2 in stock");
    let line = cart["data"]["addToCart"]["lines"][0]["id"].as_str().unwrap().to_owned();

    // Another customer, and a guest, get NOT_FOUND for the line, exactly like a missing one.
    let theirs = app.gql(Some(other), UPDATE, json!({ "l": line, "q": 1 })).await;
    let missing = app.gql(Some(other), UPDATE, json!({ "l": "999999", "q": 1 })).await;
    assert_eq!(error_code(&theirs), "NOT_FOUND");
    assert_eq!(theirs["errors"][0]["message"], missing["errors"][0]["message"]);
    let anonymous = app.gql(None, "mutation($l: ID!) { removeCartLine(lineId: $l) { itemCount } }", json!({ "l": line })).await;
    assert_eq!(error_code(&anonymous), "NOT_FOUND");

    let lowered = app.gql(Some(veli), UPDATE, json!({ "l": line, "q": 1 })).await;
    assert_eq!(lowered["data"]["updateCartLine"]["itemCount"], 1, "{lowered}");
    let removed = app.gql(Some(veli), UPDATE, json!({ "l": line, "q": 0 })).await;
    assert_eq!(removed["data"]["updateCartLine"]["lines"], json!([]), "0 removes the line");
});

db_test!(async fn one_client_cannot_open_guest_carts_without_end(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 10_000, 100).await;
    let mut refused = None;
    for i in 0..25 {
        let body = app.gql(None, "mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }", json!({ "p": mug })).await;
        if !body["errors"].is_null() {
            refused = Some((i, error_code(&body).to_owned()));
            break;
        }
    }
    assert_eq!(refused, Some((20, "RATE_LIMITED".to_owned())), "20 new carts an hour per client");
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM carts").await, 20);
});

//! Coupons: every rule refuses with its reason, limited coupons discount only their
//! lines, the public list and the coupon's products, and deleting a used coupon.

use serde_json::{Value, json};
use vitrin::clock::Clock;

use crate::db_test;
use crate::support::shop::{CART, add, customers, kurus, product, reason};
use crate::support::{TestApp, error_code};

const CREATE: &str = "mutation($i: CouponInput!) { createCoupon(input: $i) { id code usedCount } }";
const APPLY: &str = "mutation($c: String!) { applyCoupon(code: $c) { coupon { code applies discount { amount } } discount { amount } total { amount } } }";

async fn coupon(app: &TestApp, admin: &str, input: Value) -> String {
    let body = app.gql(Some(admin), CREATE, json!({ "i": input })).await;
    body["data"]["createCoupon"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

db_test!(async fn each_coupon_rule_refuses_with_its_reason(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 10_000, 50).await;
    let vase = product(&app, &admin, "Vazo", 30_000, 50).await;
    let now = app.clock.now();
    let day = chrono::Duration::days(1);
    coupon(&app, &admin, json!({ "code": "YARIN", "description": "Yarın", "kind": "PERCENT", "value": 10, "startsAt": now + day })).await;
    coupon(&app, &admin, json!({ "code": "DUN", "description": "Dün", "kind": "PERCENT", "value": 10, "endsAt": now - day })).await;
    coupon(&app, &admin, json!({ "code": "BUYUK", "description": "500 TL üstü", "kind": "FIXED", "value": 5000, "minSubtotal": 50_000 })).await;
    coupon(&app, &admin, json!({ "code": "VAZOYA", "description": "Vazolara", "kind": "PERCENT", "value": 20, "productIds": [vase] })).await;
    let once = coupon(&app, &admin, json!({ "code": "BIRKEZ", "description": "Bir kez", "kind": "FIXED", "value": 1000, "perCustomerLimit": 1 })).await;
    let gone = coupon(&app, &admin, json!({ "code": "TUKENDI", "description": "Tükendi", "kind": "FIXED", "value": 1000, "usageLimit": 1 })).await;
    let token = &customers(&app, "kupon", 1).await[0];

    assert_eq!(reason(&app.gql(Some(token), APPLY, json!({ "c": "BIRKEZ" })).await), "CART_EMPTY");
    add(&app, token, &mug, 2).await;
    // A used-up coupon, and one this customer already used (both as the database
    // records them after checkouts).
    app.exec_sql(&format!("UPDATE coupons SET used_count = 1 WHERE id = {gone}")).await;
    app.exec_sql("INSERT INTO order_numbers (year, last_number) VALUES (1999, 1)").await;
    let user: i64 = app.count_sql("SELECT id AS n FROM users WHERE email = 'kupon0@example.com'").await;
    app.exec_sql(&format!(
        "INSERT INTO orders (number, user_id, idempotency_key, status, payment_method, subtotal, discount, shipping, payment_fee, total, vat_included, coupon_id, email, locale, recipient_name, phone, shipping_address, search_text, created_at, updated_at) \
         VALUES ('VT-1999-000001', {user}, 'earlier-order', 'DELIVERED', 'BANK_TRANSFER', 0, 0, 0, 0, 0, 0, {once}, 'kupon0@example.com', 'tr', 'A', '+905321234567', 'x', 'x', 0, 0)"
    )).await;
    let order: i64 = app.count_sql("SELECT id AS n FROM orders").await;
    app.exec_sql(&format!("INSERT INTO coupon_redemptions (order_id, coupon_id, user_id, created_at) VALUES ({order}, {once}, {user}, 0)")).await;

    for (code, expected) in [
        ("YOKBOYLE", "COUPON_UNKNOWN"),
        ("yarin", "COUPON_NOT_YET_VALID"),
        ("DUN", "COUPON_EXPIRED"),
        ("buyuk", "COUPON_MINIMUM_NOT_REACHED"),
        ("VAZOYA", "COUPON_NOT_FOR_THESE_PRODUCTS"),
        ("TUKENDI", "COUPON_USED_UP"),
        ("BirKez", "COUPON_ALREADY_USED"),
    ] {
        let body = app.gql(Some(token), APPLY, json!({ "c": code })).await;
        assert_eq!(reason(&body), expected, "{code}: {body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "code");
    }
    let cart = app.gql(Some(token), "{ cart { coupon { code } } }", json!({})).await;
    assert_eq!(cart["data"]["cart"]["coupon"], Value::Null, "a refused coupon is not kept");

    // One client trying codes is stopped after 20 a minute (8 were tried above).
    let mut tried = 8;
    let refused = loop {
        tried += 1;
        let body = app.gql(Some(token), APPLY, json!({ "c": format!("TAHMIN{tried}") })).await;
        if error_code(&body) != "BAD_USER_INPUT" {
            break (tried, error_code(&body).to_owned());
        }
        assert!(tried < 30, "never limited");
    };
    assert_eq!(refused, (21, "RATE_LIMITED".to_owned()));
});

db_test!(async fn a_limited_coupon_discounts_only_its_lines_and_a_fixed_one_never_beyond_them(app) {
    let admin = app.admin_token().await;
    let category = app.gql(Some(&admin), "mutation { createCategory(input: { name: \"Seramik\" }) { id } }", json!({})).await["data"]["createCategory"]["id"].clone();
    let sub = app.gql(Some(&admin), "mutation($p: ID!) { createCategory(input: { name: \"Kupalar\", parentId: $p }) { id } }", json!({ "p": category })).await["data"]["createCategory"]["id"].clone();
    let mug = product(&app, &admin, "Kupa", 10_000, 50).await;
    let lamp = product(&app, &admin, "Lamba", 30_000, 50).await;
    app.gql(Some(&admin), "mutation($id: ID!, $c: [ID!]!) { setProductCategories(productId: $id, categoryIds: $c) { id } }", json!({ "id": mug, "c": [sub] })).await;
    coupon(&app, &admin, json!({ "code": "SERAMIK25", "description": "Seramiğe %25", "kind": "PERCENT", "value": 25, "categoryIds": [category], "public": true })).await;
    coupon(&app, &admin, json!({ "code": "KUPA500", "description": "Kupaya 500 TL", "kind": "FIXED", "value": 50_000, "productIds": [mug], "public": true })).await;
    coupon(&app, &admin, json!({ "code": "GIZLI", "description": "Gizli", "kind": "FREE_SHIPPING", "public": false })).await;
    coupon(&app, &admin, json!({ "code": "HERKESE", "description": "Ücretsiz kargo", "kind": "FREE_SHIPPING", "public": true })).await;
    let token = &customers(&app, "sinirli", 1).await[0];
    add(&app, token, &mug, 2).await;
    add(&app, token, &lamp, 1).await;

    let percent = app.gql(Some(token), APPLY, json!({ "c": "seramik25" })).await;
    assert_eq!(kurus(&percent["data"]["applyCoupon"]["discount"]), 5_000, "25 % of the mugs (a subcategory) only: {percent}");
    let fixed = app.gql(Some(token), APPLY, json!({ "c": "KUPA500" })).await;
    assert_eq!(kurus(&fixed["data"]["applyCoupon"]["discount"]), 20_000, "never more than the mugs cost");
    assert_eq!(fixed["data"]["applyCoupon"]["coupon"]["code"], "KUPA500", "one coupon per order: the new one replaces the old");
    let cart = app.gql(Some(token), &format!("{{ cart {{ {CART} }} }}"), json!({})).await;
    let cart = &cart["data"]["cart"];
    assert_eq!(kurus(&cart["total"]), 50_000 - 20_000 + kurus(&cart["shipping"]), "{cart}");

    let public = app.gql(None, "{ publicCoupons { totalCount edges { node { code kind limited minSubtotal { amount } } } } }", json!({})).await;
    let codes: Vec<&str> = public["data"]["publicCoupons"]["edges"].as_array().unwrap().iter().map(|c| c["node"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["HERKESE", "KUPA500", "SERAMIK25"], "the hidden coupon is not listed: {public}");
    let products = app.gql(None, "query($c: String!) { couponProducts(code: $c) { totalCount edges { node { name } } } }", json!({ "c": "seramik25" })).await;
    assert_eq!(products["data"]["couponProducts"]["edges"], json!([{ "node": { "name": "Kupa" } }]), "{products}");
    let everything = app.gql(None, "query($c: String!) { couponProducts(code: $c) { totalCount } }", json!({ "c": "HERKESE" })).await;
    assert_eq!(everything["data"]["couponProducts"]["totalCount"], 2, "an unlimited coupon reaches every product");
    let hidden = app.gql(None, "query($c: String!) { couponProducts(code: $c) { totalCount } }", json!({ "c": "GIZLI" })).await;
    assert_eq!(error_code(&hidden), "NOT_FOUND", "a private code is not confirmed");
    let unknown = app.gql(None, "query($c: String!) { couponProducts(code: $c) { totalCount } }", json!({ "c": "YOK" })).await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");

    // Its product deleted, a coupon limited to it applies to nothing, not to everything.
    app.gql(Some(&admin), "mutation($id: ID!) { deleteProduct(id: $id) { id } }", json!({ "id": mug })).await;
    let left = app.gql(None, "query($c: String!) { couponProducts(code: $c) { totalCount } }", json!({ "c": "KUPA500" })).await;
    assert_eq!(left["data"]["couponProducts"]["totalCount"], 0, "{left}");
    let refused = app.gql(Some(token), APPLY, json!({ "c": "KUPA500" })).await;
    assert_eq!(reason(&refused), "COUPON_NOT_FOR_THESE_PRODUCTS");
});

db_test!(async fn administrators_coupon_input_is_checked_and_a_used_coupon_is_deactivated_not_deleted(app) {
    let admin = app.admin_token().await;
    for (input, field) in [
        (json!({ "code": "x", "description": "d", "kind": "PERCENT", "value": 10 }), "input.code"),
        (json!({ "code": "YUZDE", "description": "d", "kind": "PERCENT", "value": 101 }), "input.value"),
        (json!({ "code": "SABIT", "description": "d", "kind": "FIXED", "value": 0 }), "input.value"),
        (json!({ "code": "TARIH", "description": "d", "kind": "FIXED", "value": 100, "startsAt": "2027-01-02T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z" }), "input.endsAt"),
        (json!({ "code": "URUN", "description": "d", "kind": "FIXED", "value": 100, "productIds": ["999999"] }), "input.productIds.0"),
    ] {
        let body = app.gql(Some(&admin), CREATE, json!({ "i": input })).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM coupons").await, 0, "nothing half-written");
    let first = coupon(&app, &admin, json!({ "code": "ILK", "description": "İlk", "kind": "FIXED", "value": 100 })).await;
    let taken = app.gql(Some(&admin), CREATE, json!({ "i": { "code": "ilk", "description": "Yine", "kind": "FIXED", "value": 100 } })).await;
    assert_eq!(taken["errors"][0]["extensions"]["field"], "input.code", "codes ignore case: {taken}");

    let delete = "mutation($id: ID!) { deleteCoupon(id: $id) }";
    let unused = coupon(&app, &admin, json!({ "code": "KULLANILMADI", "description": "d", "kind": "FIXED", "value": 100 })).await;
    assert_eq!(app.gql(Some(&admin), delete, json!({ "id": unused })).await["data"]["deleteCoupon"], "DELETED");
    app.exec_sql(&format!("UPDATE coupons SET used_count = 1 WHERE id = {first}")).await;
    assert_eq!(app.gql(Some(&admin), delete, json!({ "id": first })).await["data"]["deleteCoupon"], "DEACTIVATED");
    let listed = app.gql(Some(&admin), "{ coupons { totalCount edges { node { code active usedCount } } } }", json!({})).await;
    assert_eq!(listed["data"]["coupons"]["edges"], json!([{ "node": { "code": "ILK", "active": false, "usedCount": 1 } }]));
    let customer = &customers(&app, "yetkisiz", 1).await[0];
    assert_eq!(error_code(&app.gql(Some(customer), delete, json!({ "id": first })).await), "FORBIDDEN");
});

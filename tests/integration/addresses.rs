//! Customers' addresses: Turkish checks, ownership, the limit, and exactly one default
//! under concurrent changes.

use serde_json::{Value, json};

use crate::customers::verified_customer;
use crate::db_test;
use crate::support::{TestApp, error_code};

const CREATE: &str = "mutation($i: AddressInput!) { createAddress(input: $i) { id title phone city postalCode country isDefault } }";
const MINE: &str = "{ myAddresses { id title isDefault } }";
const SET_DEFAULT: &str = "mutation($id: ID!) { setDefaultAddress(id: $id) { id isDefault } }";

fn home() -> Value {
    json!({ "title": "Ev", "recipientName": "Ayşe Yılmaz", "phone": "0532 123 45 67", "line1": "Bağdat Cad. No: 5 D: 3", "district": "Kadıköy", "city": "istanbul", "postalCode": "34710" })
}

fn work() -> Value {
    json!({ "title": "İş", "recipientName": "Ayşe Yılmaz", "phone": "+90 (212) 555 12 34", "line1": "Büyükdere Cad. 100", "district": "Şişli", "city": "İSTANBUL", "postalCode": "34394" })
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(Some(token), CREATE, json!({ "i": input })).await
}

async fn defaults(app: &TestApp, token: &str) -> Vec<String> {
    let body = app.gql(Some(token), MINE, json!({})).await;
    body["data"]["myAddresses"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter(|a| a["isDefault"] == true)
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

db_test!(async fn two_addresses_the_first_default_until_another_is_made_it(app) {
    let token = verified_customer(&app, "ev@example.com").await;
    let first = create(&app, &token, home()).await;
    assert_eq!(first["data"]["createAddress"]["phone"], "+905321234567", "{first}");
    assert_eq!(first["data"]["createAddress"]["city"], "İstanbul");
    assert_eq!(first["data"]["createAddress"]["country"], "TR");
    assert_eq!(first["data"]["createAddress"]["isDefault"], true, "the first address is the default");
    let second = create(&app, &token, work()).await;
    assert_eq!(second["data"]["createAddress"]["isDefault"], false);
    let work_id = second["data"]["createAddress"]["id"].as_str().unwrap().to_owned();

    let made = app.gql(Some(&token), SET_DEFAULT, json!({ "id": work_id })).await;
    assert_eq!(made["data"]["setDefaultAddress"]["isDefault"], true);
    assert_eq!(defaults(&app, &token).await, vec![work_id.clone()]);
    let listed = app.gql(Some(&token), MINE, json!({})).await;
    assert_eq!(listed["data"]["myAddresses"][0]["title"], "İş", "the default comes first");

    // Deleting the default hands it to the one left.
    let delete = "mutation($id: ID!) { deleteAddress(id: $id) }";
    assert_eq!(app.gql(Some(&token), delete, json!({ "id": work_id })).await["data"]["deleteAddress"], true);
    let home_id = first["data"]["createAddress"]["id"].as_str().unwrap().to_owned();
    assert_eq!(defaults(&app, &token).await, vec![home_id]);
});

db_test!(async fn another_customers_address_answers_as_if_it_did_not_exist(app) {
    let ayse = verified_customer(&app, "ayse@example.com").await;
    let mehmet = verified_customer(&app, "mehmet@example.com").await;
    let id = create(&app, &ayse, home()).await["data"]["createAddress"]["id"].clone();
    assert_eq!(app.gql(Some(&mehmet), MINE, json!({})).await["data"]["myAddresses"], json!([]));
    let update = "mutation($id: ID!, $i: AddressInput!) { updateAddress(id: $id, input: $i) { id } }";
    for (document, variables) in [
        (update, json!({ "id": id, "i": work() })),
        ("mutation($id: ID!) { deleteAddress(id: $id) }", json!({ "id": id })),
        (SET_DEFAULT, json!({ "id": id })),
    ] {
        let body = app.gql(Some(&mehmet), document, variables.clone()).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
        let missing = app.gql(Some(&mehmet), document, json!({ "id": "999999", "i": work() })).await;
        assert_eq!(missing["errors"][0]["message"], body["errors"][0]["message"], "the same answer as a missing id");
    }
    let mine = app.gql(Some(&ayse), MINE, json!({})).await;
    assert_eq!(mine["data"]["myAddresses"][0]["title"], "Ev", "unchanged: {mine}");
    assert_eq!(error_code(&app.gql(None, MINE, json!({})).await), "UNAUTHENTICATED");
});

db_test!(async fn a_bad_address_is_refused_at_its_field(app) {
    let token = verified_customer(&app, "typo@example.com").await;
    for (field, value, path) in [
        ("phone", json!("0612 345 67 89"), "input.phone"),
        ("city", json!("Gotham"), "input.city"),
        ("postalCode", json!("3471"), "input.postalCode"),
        ("postalCode", json!("06100"), "input.postalCode"),
        ("country", json!("DE"), "input.country"),
        ("title", json!(""), "input.title"),
    ] {
        let mut input = home();
        input[field] = value;
        let body = create(&app, &token, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], path, "{body}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM addresses").await, 0);
});

db_test!(async fn at_most_twenty_addresses_even_when_added_at_once(app) {
    let token = verified_customer(&app, "many@example.com").await;
    for _ in 0..17 {
        assert!(create(&app, &token, home()).await["data"]["createAddress"]["id"].is_string());
    }
    let attempts = (0..6).map(|_| create(&app, &token, work()));
    let answers = futures_util::future::join_all(attempts).await;
    let made = answers.iter().filter(|a| a["data"]["createAddress"]["id"].is_string()).count();
    assert_eq!(made, 3, "{answers:?}");
    assert!(answers.iter().filter(|a| a["errors"].is_array()).all(|a| error_code(a) == "BAD_USER_INPUT"));
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM addresses").await, 20);
});

db_test!(async fn concurrent_default_changes_leave_exactly_one_default(app) {
    let token = verified_customer(&app, "busy@example.com").await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(create(&app, &token, work()).await["data"]["createAddress"]["id"].as_str().unwrap().to_owned());
    }
    for _ in 0..3 {
        let changes = ids.iter().map(|id| app.gql(Some(&token), SET_DEFAULT, json!({ "id": id })));
        let answers = futures_util::future::join_all(changes).await;
        assert!(answers.iter().all(|a| a["data"]["setDefaultAddress"]["isDefault"] == true), "{answers:?}");
        assert_eq!(defaults(&app, &token).await.len(), 1);
    }
});

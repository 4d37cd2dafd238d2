//! Checkout and orders: totals with VAT, idempotency, the e-mails, ownership, the
//! statuses, cancellation giving stock and the coupon's use back, and exact stock and
//! coupon counts under concurrency.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::db_test;
use crate::support::mail::{SmtpServer, read_folder, wait_for};
use crate::support::process::{Served, create_admin, free_port, vitrin};
use crate::support::shop::{add, checkout, customers, kurus, offer_bank_transfer, product, reason};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, error_code};

const STATUS: &str = "mutation($id: ID!, $s: OrderStatus!, $c: String, $t: String) { updateOrderStatus(id: $id, status: $s, carrier: $c, trackingNumber: $t) { status carrier trackingNumber history { status actor } } }";

fn order(body: &Value) -> &Value {
    let order = &body["data"]["checkout"];
    assert!(order.is_object(), "no order: {body}");
    order
}

async fn stock(app: &TestApp, product: &str) -> i64 {
    app.count_sql(&format!(
        "SELECT CAST(stock AS BIGINT) AS n FROM products WHERE id = {product}"
    ))
    .await
}

db_test!(async fn a_bank_transfer_order_is_placed_once_priced_with_vat_and_mailed(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 12_000, 10).await;
    let tokens = customers(&app, "alici", 2).await;
    let (buyer, stranger) = (&tokens[0], &tokens[1]);
    add(&app, buyer, &mug, 3).await;

    let placed = checkout(&app, buyer, "sepet-1-anahtar", "BANK_TRANSFER").await;
    let placed = order(&placed).clone();
    let number = placed["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("VT-20") && number.ends_with("-000001"), "{number}");
    assert_eq!(placed["status"], "AWAITING_PAYMENT");
    assert_eq!(kurus(&placed["subtotal"]), 36_000);
    assert_eq!(kurus(&placed["shipping"]), 4_990, "below the 500 ₺ threshold");
    assert_eq!(kurus(&placed["total"]), 40_990);
    assert_eq!(kurus(&placed["vatIncluded"]), 6_000 + 832, "20 % included in the goods and the shipping");
    assert_eq!(placed["lines"][0]["productName"], "Kupa");
    assert_eq!(placed["shippingAddress"]["phone"], "+905321234567");
    assert_eq!(placed["history"], json!([{ "status": "AWAITING_PAYMENT", "actor": "CUSTOMER" }]));
    assert_eq!(stock(&app, &mug).await, 7);
    let cart = app.gql(Some(buyer), "{ cart { itemCount } }", json!({})).await;
    assert_eq!(cart["data"]["cart"]["itemCount"], 0, "the cart is empty");

    // The same key (a double click) answers with the same order and takes nothing more.
    let again = checkout(&app, buyer, "sepet-1-anahtar", "BANK_TRANSFER").await;
    assert_eq!(order(&again)["number"], number.as_str());
    assert_eq!(stock(&app, &mug).await, 7);
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM orders").await, 1);

    let mail = wait_for(&app.outbox(), "alici0@example.com", &number).await;
    assert!(mail.text.contains("TR33 0006 1005 1978 6457 8413 26"), "the bank account is in the mail: {}", mail.text);
    assert!(mail.text.contains("409,90 ₺"));
    wait_for(&app.outbox(), ADMIN_EMAIL, "Yeni sipariş").await;

    // Only its owner sees it; another customer's answer is that of a missing order.
    let read = "query($n: String!) { order(number: $n) { number } }";
    assert_eq!(app.gql(Some(buyer), read, json!({ "n": number })).await["data"]["order"]["number"], number.as_str());
    let theirs = app.gql(Some(stranger), read, json!({ "n": number })).await;
    let missing = app.gql(Some(stranger), read, json!({ "n": "VT-2026-999999" })).await;
    assert_eq!(error_code(&theirs), "NOT_FOUND");
    assert_eq!(theirs["errors"][0]["message"], missing["errors"][0]["message"]);
    let mine = app.gql(Some(stranger), "{ myOrders { totalCount } }", json!({})).await;
    assert_eq!(mine["data"]["myOrders"]["totalCount"], 0);
    let cancel = app.gql(Some(stranger), "mutation($n: String!) { cancelMyOrder(number: $n) { status } }", json!({ "n": number })).await;
    assert_eq!(error_code(&cancel), "NOT_FOUND");

    // Three transfers may wait for payment at once; each holds its stock.
    for key in ["sepet-2-anahtar", "sepet-3-anahtar"] {
        add(&app, buyer, &mug, 1).await;
        assert!(checkout(&app, buyer, key, "BANK_TRANSFER").await["errors"].is_null());
    }
    add(&app, buyer, &mug, 1).await;
    assert_eq!(reason(&checkout(&app, buyer, "sepet-4-anahtar", "BANK_TRANSFER").await), "TOO_MANY_UNPAID_ORDERS");
});

db_test!(async fn checkout_is_refused_with_a_reason_and_leaves_everything_as_it_was(app) {
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Kupa", 12_000, 2).await;
    let buyer = &customers(&app, "red", 1).await[0];
    assert_eq!(reason(&checkout(&app, buyer, "bos-sepet-1", "CASH_ON_DELIVERY").await), "PAYMENT_METHOD_UNAVAILABLE");
    app.gql(Some(&admin), "mutation { updateShopSettings(input: { cashOnDelivery: true, cashOnDeliveryFee: 1500 }) { cashOnDelivery } }", json!({})).await;
    assert_eq!(reason(&checkout(&app, buyer, "bos-sepet-1", "CASH_ON_DELIVERY").await), "CART_EMPTY");
    add(&app, buyer, &mug, 2).await;
    app.exec_sql(&format!("UPDATE products SET stock = 1 WHERE id = {mug}")).await;
    assert_eq!(reason(&checkout(&app, buyer, "az-stok-1", "CASH_ON_DELIVERY").await), "CART_NEEDS_ATTENTION");
    let bad = app.gql(Some(buyer), "mutation($i: CheckoutInput!) { checkout(input: $i) { id } }", json!({ "i": { "idempotencyKey": "kotu-adres", "address": { "title": "Ev", "recipientName": "A", "phone": "12", "line1": "x", "district": "y", "city": "İstanbul", "postalCode": "34710" }, "paymentMethod": "CASH_ON_DELIVERY" } })).await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "input.address.phone", "{bad}");
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM orders").await, 0);
    assert_eq!(stock(&app, &mug).await, 1, "nothing was taken");

    // Unverified customers cannot order.
    app.exec_sql("UPDATE users SET email_verified_at = NULL WHERE email = 'red0@example.com'").await;
    app.exec_sql(&format!("UPDATE products SET stock = 5 WHERE id = {mug}")).await;
    assert_eq!(reason(&checkout(&app, buyer, "dogrulanmamis", "CASH_ON_DELIVERY").await), "EMAIL_NOT_VERIFIED");
    app.exec_sql("UPDATE users SET email_verified_at = 0 WHERE email = 'red0@example.com'").await;
    // The total the shopper saw must still be the total.
    let seen = "mutation($i: CheckoutInput!) { checkout(input: $i) { id } }";
    let stale = app.gql(Some(buyer), seen, json!({ "i": { "idempotencyKey": "gorulen-toplam", "address": crate::support::shop::address(), "paymentMethod": "CASH_ON_DELIVERY", "expectedTotal": "23000" } })).await;
    assert_eq!(reason(&stale), "PRICE_CHANGED");
    let placed = checkout(&app, buyer, "kapida-odeme", "CASH_ON_DELIVERY").await;
    assert_eq!(order(&placed)["status"], "PREPARING", "cash on delivery is prepared at once");
    assert_eq!(kurus(&order(&placed)["paymentFee"]), 1_500);
    assert_eq!(kurus(&order(&placed)["total"]), 24_000 + 1_500, "free shipping: the fee is 0 by default");
});

db_test!(async fn an_order_moves_only_as_allowed_and_a_cancellation_gives_stock_and_coupon_back(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 20_000, 10).await;
    app.gql(Some(&admin), "mutation { createCoupon(input: { code: \"ONLUK\", description: \"%10\", kind: PERCENT, value: 10, usageLimit: 5 }) { id } }", json!({})).await;
    let buyer = &customers(&app, "durum", 1).await[0];
    add(&app, buyer, &mug, 2).await;
    app.gql(Some(buyer), "mutation { applyCoupon(code: \"onluk\") { discount { amount } } }", json!({})).await;
    let first = checkout(&app, buyer, "siparis-bir", "BANK_TRANSFER").await;
    let first = order(&first).clone();
    assert_eq!(kurus(&first["discount"]), 4_000);
    assert_eq!(first["couponCode"], "ONLUK");
    let used = "SELECT CAST(used_count AS BIGINT) AS n FROM coupons";
    assert_eq!(app.count_sql(used).await, 1);
    let id = first["id"].clone();

    let skip = app.gql(Some(&admin), STATUS, json!({ "id": id, "s": "SHIPPED", "c": "Yurtiçi Kargo", "t": "123" })).await;
    assert_eq!(reason(&skip), "TRANSITION_NOT_ALLOWED", "not before it is paid: {skip}");
    app.gql(Some(&admin), STATUS, json!({ "id": id, "s": "PREPARING" })).await;
    let no_tracking = app.gql(Some(&admin), STATUS, json!({ "id": id, "s": "SHIPPED" })).await;
    assert_eq!(no_tracking["errors"][0]["extensions"]["field"], "carrier", "{no_tracking}");
    let shipped = app.gql(Some(&admin), STATUS, json!({ "id": id, "s": "SHIPPED", "c": "Yurtiçi Kargo", "t": "YK 123" })).await;
    assert_eq!(shipped["data"]["updateOrderStatus"]["trackingNumber"], "YK 123", "{shipped}");
    let number = first["number"].as_str().unwrap();
    let mail = wait_for(&app.outbox(), "durum0@example.com", "kargoya verildi").await;
    assert!(mail.text.contains("https://www.yurticikargo.com/tr/online-servisler/gonderi-sorgula?code=YK+123"), "{}", mail.text);
    let late = app.gql(Some(buyer), "mutation($n: String!) { cancelMyOrder(number: $n) { status } }", json!({ "n": number })).await;
    assert_eq!(reason(&late), "TRANSITION_NOT_ALLOWED");
    let delivered = app.gql(Some(&admin), STATUS, json!({ "id": id, "s": "DELIVERED" })).await;
    let history: Vec<&str> = delivered["data"]["updateOrderStatus"]["history"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(history, vec!["AWAITING_PAYMENT", "PREPARING", "SHIPPED", "DELIVERED"]);
    let mine = app.gql(Some(buyer), "query($n: String!) { order(number: $n) { status trackingNumber } }", json!({ "n": number })).await;
    assert_eq!(mine["data"]["order"], json!({ "status": "DELIVERED", "trackingNumber": "YK 123" }));

    // A second order, cancelled by its customer: the stock and the coupon's use come back.
    add(&app, buyer, &mug, 3).await;
    app.gql(Some(buyer), "mutation { applyCoupon(code: \"ONLUK\") { discount { amount } } }", json!({})).await;
    let second = checkout(&app, buyer, "siparis-iki", "BANK_TRANSFER").await;
    let second_number = order(&second)["number"].as_str().unwrap().to_owned();
    assert!(second_number.ends_with("-000002"), "numbers run on: {second_number}");
    assert_eq!((stock(&app, &mug).await, app.count_sql(used).await), (5, 2));
    let cancelled = app.gql(Some(buyer), "mutation($n: String!) { cancelMyOrder(number: $n) { status cancellable } }", json!({ "n": second_number })).await;
    assert_eq!(cancelled["data"]["cancelMyOrder"], json!({ "status": "CANCELLED", "cancellable": false }));
    assert_eq!((stock(&app, &mug).await, app.count_sql(used).await), (8, 1));
    let again = app.gql(Some(buyer), "mutation($n: String!) { cancelMyOrder(number: $n) { status } }", json!({ "n": second_number })).await;
    assert_eq!(reason(&again), "TRANSITION_NOT_ALLOWED");
    assert_eq!(stock(&app, &mug).await, 8, "cancelled once, given back once");
    wait_for(&app.outbox(), "durum0@example.com", "iptal edildi").await;

    let listed = app.gql(Some(&admin), "query($q: String) { orders(status: CANCELLED, search: $q) { totalCount edges { node { number } } } }", json!({ "q": "DURUM0" })).await;
    assert_eq!(listed["data"]["orders"]["edges"], json!([{ "node": { "number": second_number } }]), "{listed}");
    // An ordered product is archived, not deleted, so its orders keep their lines.
    let deleted = app.gql(Some(&admin), "mutation($id: ID!) { deleteProduct(id: $id) { id } }", json!({ "id": mug })).await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    assert_eq!(app.count_sql(&format!("SELECT count(*) AS n FROM products WHERE id = {mug} AND archived_at IS NOT NULL")).await, 1);
});

db_test!(async fn fifty_checkouts_of_ten_in_stock_make_ten_orders(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 10_000, 50).await;
    let tokens = customers(&app, "kalabalik", 50).await;
    for token in &tokens {
        add(&app, token, &mug, 1).await;
    }
    app.exec_sql(&format!("UPDATE products SET stock = 10 WHERE id = {mug}")).await;
    let app = Arc::new(app);
    let attempts = tokens.into_iter().enumerate().map(|(i, token)| {
        let app = app.clone();
        tokio::spawn(async move { checkout(&app, &token, &format!("kalabalik-{i}"), "BANK_TRANSFER").await })
    });
    let answers = futures_util::future::join_all(attempts).await;
    let placed = answers.iter().filter(|a| a.as_ref().unwrap()["data"]["checkout"].is_object()).count();
    for answer in answers.iter().map(|a| a.as_ref().unwrap()).filter(|a| a["data"].is_null()) {
        assert!(["NOT_ENOUGH_STOCK", "CART_NEEDS_ATTENTION"].contains(&reason(answer)), "{answer}");
    }
    assert_eq!(placed, 10);
    assert_eq!(stock(&app, &mug).await, 0);
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM orders").await, 10);
});

db_test!(async fn a_coupon_with_one_use_left_is_used_once_by_twenty_checkouts(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 10_000, 100).await;
    app.gql(Some(&admin), "mutation { createCoupon(input: { code: \"TEK\", description: \"Tek\", kind: FIXED, value: 1000, usageLimit: 1 }) { id } }", json!({})).await;
    let tokens = customers(&app, "kuponcu", 20).await;
    for token in &tokens {
        add(&app, token, &mug, 1).await;
        let applied = app.gql(Some(token), "mutation { applyCoupon(code: \"TEK\") { discount { amount } } }", json!({})).await;
        assert!(applied["errors"].is_null(), "{applied}");
    }
    let app = Arc::new(app);
    let attempts = tokens.into_iter().enumerate().map(|(i, token)| {
        let app = app.clone();
        tokio::spawn(async move { checkout(&app, &token, &format!("kupon-sirasi-{i}"), "BANK_TRANSFER").await })
    });
    let answers = futures_util::future::join_all(attempts).await;
    let placed = answers.iter().filter(|a| a.as_ref().unwrap()["data"]["checkout"].is_object()).count();
    assert_eq!(placed, 1, "the others are told the coupon is used up");
    for answer in answers.iter().map(|a| a.as_ref().unwrap()).filter(|a| a["data"].is_null()) {
        assert!(["COUPON_USED_UP", "CART_NEEDS_ATTENTION"].contains(&reason(answer)), "{answer}");
    }
    assert_eq!(app.count_sql("SELECT CAST(used_count AS BIGINT) AS n FROM coupons").await, 1);
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM coupon_redemptions").await, 1);
    assert_eq!(stock(&app, &mug).await, 99, "the refused checkouts took no stock");
});

db_test!(async fn the_same_key_sent_ten_times_at_once_makes_one_order(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 10_000, 10).await;
    let token = customers(&app, "cift", 1).await.remove(0);
    add(&app, &token, &mug, 2).await;
    let app = Arc::new(app);
    let attempts = (0..10).map(|_| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move { checkout(&app, &token, "cift-tiklama", "BANK_TRANSFER").await })
    });
    let answers = futures_util::future::join_all(attempts).await;
    let numbers: std::collections::HashSet<String> = answers
        .iter()
        .map(|a| order(a.as_ref().unwrap())["number"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(numbers.len(), 1, "every answer is the same order");
    assert_eq!(app.count_sql("SELECT count(*) AS n FROM orders").await, 1);
    assert_eq!(stock(&app, &mug).await, 8);
});

/// A GraphQL request to a served process.
async fn ask(server: &Served, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// `vitrin serve` on `dir`, mailing through `smtp_url` and retrying soon.
async fn serve(dir: &std::path::Path, port: u16, smtp_url: &str) -> Served {
    let mut command = vitrin(dir);
    command
        .env("VITRIN_SMTP_URL", smtp_url)
        .env("VITRIN_JOB_LEASE", "2s")
        .env("VITRIN_JOB_RETRY_DELAY", "200ms")
        .env("VITRIN_JOB_MAX_RETRY_DELAY", "500ms")
        .env("VITRIN_JOB_POLL_INTERVAL", "100ms");
    Served::start(command, port).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_mails_arrive_once_when_the_server_is_killed_right_after_the_order() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        create_admin(dir.path(), ADMIN_EMAIL, ADMIN_PASSWORD)
            .status
            .success()
    );
    let smtp = SmtpServer::on_free_port();
    // A mail server that accepts connections and never answers: nothing is sent.
    let silent = std::net::TcpListener::bind(("127.0.0.1", smtp.port)).unwrap();
    let port = free_port();
    let mut server = serve(dir.path(), port, &smtp.url()).await;
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let admin = ask(
        &server,
        None,
        login,
        json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
    )
    .await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let settings = ask(&server, Some(&admin), "mutation { updateShopSettings(input: { bankAccounts: [{ bank: \"Ziraat\", holder: \"Vitrin\", iban: \"TR330006100519786457841326\" }] }) { bankTransfer } }", json!({})).await;
    assert_eq!(
        settings["data"]["updateShopSettings"]["bankTransfer"], true,
        "{settings}"
    );
    let created = ask(&server, Some(&admin), "mutation { createProduct(input: { name: \"Kupa\", price: 12000, stock: 5, active: true }) { id } }", json!({})).await;
    let mug = created["data"]["createProduct"]["id"].clone();
    let email = "alici@example.com";
    ask(
        &server,
        None,
        crate::customers::REGISTER,
        json!({ "i": crate::customers::sign_up(email) }),
    )
    .await;
    let db = dir.path().join("data/vitrin.db");
    let mut conn =
        <diesel::SqliteConnection as diesel::Connection>::establish(&db.display().to_string())
            .unwrap();
    // The server writes at the same time (the sign-up's mail job): wait for its lock.
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "PRAGMA busy_timeout = 10000")
        .unwrap();
    diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE users SET email_verified_at = 0"),
        &mut conn,
    )
    .unwrap();
    let customer = ask(
        &server,
        None,
        login,
        json!({ "e": email, "p": crate::customers::CUSTOMER_PASSWORD }),
    )
    .await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    ask(
        &server,
        Some(&customer),
        "mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }",
        json!({ "p": mug }),
    )
    .await;
    let placed = ask(&server, Some(&customer), "mutation($i: CheckoutInput!) { checkout(input: $i) { number } }", json!({ "i": { "idempotencyKey": "yeniden-baslatma", "address": crate::support::shop::address(), "paymentMethod": "BANK_TRANSFER" } })).await;
    let number = placed["data"]["checkout"]["number"]
        .as_str()
        .unwrap_or_else(|| panic!("{placed}"))
        .to_owned();
    // Killed right after the order: nothing in memory survives.
    server.kill();
    drop(silent);
    let smtp = smtp.start();
    let mut server = serve(dir.path(), port, &smtp.url()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let count = |subject: &str| {
        read_folder(&smtp.inbox())
            .iter()
            .filter(|m| m.subject.contains(subject))
            .count()
    };
    while count(&number) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the order's mails did not arrive: {:?}",
            read_folder(&smtp.inbox())
                .iter()
                .map(|m| m.subject.clone())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Past another lease: a second send would have happened by now.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    server.kill();
    assert_eq!(
        count(&format!("Siparişiniz alındı ({number})")),
        1,
        "the customer's mail arrived once"
    );
    assert_eq!(
        count(&format!("Yeni sipariş {number}")),
        1,
        "the owner's mail arrived once"
    );
}

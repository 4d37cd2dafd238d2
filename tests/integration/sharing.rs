//! "Share with a friend" by e-mail: sent from the site with the sender named and the
//! note without links, limited per sender and per recipient (also under concurrency),
//! and never again to an address that opted out.

use serde_json::{Value, json};

use crate::db_test;
use crate::support::mail::wait_for;
use crate::support::shop::{customers, product, reason};
use crate::support::{TestApp, error_code};

const SHARE: &str = "mutation($p: ID!, $to: String!, $name: String, $m: String) { shareProductByEmail(productId: $p, friendEmail: $to, friendName: $name, message: $m) }";

async fn share(
    app: &TestApp,
    token: &str,
    product: &str,
    to: &str,
    message: Option<&str>,
) -> Value {
    app.gql(
        Some(token),
        SHARE,
        json!({ "p": product, "to": to, "name": "Zeynep", "m": message }),
    )
    .await
}

db_test!(async fn a_shared_product_comes_from_the_site_names_the_sender_and_carries_no_link_of_theirs(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "El yapımı kilim", 250_000, 3).await;
    let sender = customers(&app, "paylasan", 1).await.remove(0);
    let sent = share(&app, &sender, &id, "Arkadas@Example.com", Some("Şuna bak! https://kampanya.example/odul ve www.bedava.com\nÇok beğendim.")).await;
    assert_eq!(sent["data"]["shareProductByEmail"], true, "{sent}");
    let mail = wait_for(&app.outbox(), "arkadas@example.com", "El yapımı kilim").await;
    assert!(mail.subject.contains("Müşteri 0"), "names the sender: {}", mail.subject);
    assert!(mail.text.contains("Merhaba Zeynep,"));
    assert!(mail.text.contains("Şuna bak!") && mail.text.contains("Çok beğendim."));
    for link in ["kampanya.example", "bedava.com"] {
        assert!(!mail.text.contains(link) && !mail.html.contains(link), "the note's link {link} is removed");
    }
    assert!(mail.text.contains("/urun/el-yapimi-kilim?utm_source=email&utm_medium=share"), "{}", mail.text);
    assert!(mail.text.contains("/paylasim/durdur?t="), "the opt-out link: {}", mail.text);
    let guest = app.gql(None, SHARE, json!({ "p": id, "to": "a@example.com" })).await;
    assert_eq!(error_code(&guest), "UNAUTHENTICATED");
    let unverified = customers(&app, "dogrulanmamis", 1).await.remove(0);
    app.exec_sql("UPDATE users SET email_verified_at = NULL WHERE email = 'dogrulanmamis0@example.com'").await;
    assert_eq!(reason(&share(&app, &unverified, &id, "c@example.com", None).await), "EMAIL_NOT_VERIFIED");
    let bad = share(&app, &sender, &id, "not-an-address", None).await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "friendEmail", "{bad}");
    let long = share(&app, &sender, &id, "b@example.com", Some(&"a".repeat(501))).await;
    assert_eq!(long["errors"][0]["extensions"]["field"], "message", "{long}");
});

db_test!(async fn a_sender_may_send_ten_a_day_and_an_address_receive_three_even_at_once(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Bakır tava", 90_000, 3).await;
    let senders = customers(&app, "cok", 8).await;
    let at_once = senders.iter().map(|token| {
        let (app, id) = (&app, &id);
        async move { share(app, token, id, "hedef@example.com", None).await }
    });
    let answers = futures_util::future::join_all(at_once).await;
    let sent = answers.iter().filter(|a| a["data"]["shareProductByEmail"] == true).count();
    assert_eq!(sent, 3, "{answers:?}");
    assert!(answers.iter().filter(|a| a["errors"].is_array()).all(|a| reason(a) == "RECIPIENT_LIMIT"));
    // One of the three who got through: the nine below make its ten.
    let one = senders
        .iter()
        .zip(&answers)
        .find(|(_, a)| a["data"]["shareProductByEmail"] == true)
        .map(|(token, _)| token)
        .unwrap();
    for i in 0..9 {
        let answer = share(&app, one, &id, &format!("kisi{i}@example.com"), None).await;
        let expected_ok = i < 9;
        assert_eq!(answer["data"]["shareProductByEmail"] == true, expected_ok, "{answer}");
    }
    let over = share(&app, one, &id, "son@example.com", None).await;
    assert_eq!(reason(&over), "SHARE_LIMIT", "{over}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM product_shares").await, 3 + 9);
});

db_test!(async fn an_address_that_opted_out_receives_no_more_shared_products(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Ahşap kaşık", 5_000, 3).await;
    let sender = customers(&app, "israrci", 1).await.remove(0);
    share(&app, &sender, &id, "rahatsiz@example.com", None).await;
    let mail = wait_for(&app.outbox(), "rahatsiz@example.com", "Ahşap kaşık").await;
    let token = mail
        .text
        .split("/paylasim/durdur?t=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an opt-out link")
        .to_owned();
    let client = reqwest::Client::new();
    let page = client.get(app.url(&format!("/paylasim/durdur?t={token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("method=\"post\""), "opening the link asks first");
    assert_eq!(share(&app, &sender, &id, "rahatsiz@example.com", None).await["data"]["shareProductByEmail"], true, "a GET changed nothing");
    let stopped = client
        .post(app.url("/paylasim/durdur"))
        .form(&[("t", token.as_str())])
        .send()
        .await
        .unwrap();
    assert!(stopped.text().await.unwrap().contains("artık"), "the page confirms");
    let refused = share(&app, &sender, &id, "RAHATSIZ@example.com", None).await;
    assert_eq!(reason(&refused), "RECIPIENT_OPTED_OUT", "{refused}");
    let forged = client.post(app.url("/paylasim/durdur")).form(&[("t", "x".repeat(43))]).send().await.unwrap();
    assert!(forged.text().await.unwrap().contains("geçersiz"));
});

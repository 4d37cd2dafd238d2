//! The shop's storefront pages: the cart a browser holds, checkout for signed-in
//! customers only, an order page for its owner only, the coupons, and the product page's
//! buttons.

use serde_json::json;

use crate::support::TestApp;
use crate::support::shop::{Guest, checkout, customers, offer_bank_transfer, product};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = no_redirects().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_sees_its_own_cart_and_checkout_asks_it_to_sign_in() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    let admin = app.admin_token().await;
    let mug = product(&app, &admin, "Çini Kupa", 12_990, 5).await;
    let browser = Guest::new();
    browser.add(&app, &mug, 2).await;
    let empty = get(&app, "/sepet", None).await.text().await.unwrap();
    assert!(
        empty.contains("Sepetiniz boş"),
        "another browser's cart is empty"
    );

    // The guest's own cookie finds its cart.
    let cookie = {
        let answer = reqwest::Client::new()
            .post(app.url("/graphql"))
            .json(&json!({ "query": "mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }", "variables": { "p": mug } }))
            .send()
            .await
            .unwrap();
        answer.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    };
    let cart = no_redirects()
        .get(app.url("/sepet"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(cart.headers()["cache-control"], "private, no-store");
    let cart = cart.text().await.unwrap();
    assert!(
        cart.contains("Çini Kupa") && cart.contains("129,90 ₺"),
        "{cart}"
    );
    assert!(
        cart.contains("href=\"/odeme\""),
        "the cart can be checked out"
    );

    let checkout_page = no_redirects()
        .get(app.url("/odeme"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(checkout_page.status(), 303);
    assert_eq!(
        checkout_page.headers()["location"],
        "/hesap/giris?return=%2Fodeme"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_page_is_its_owners_and_the_coupons_are_listed() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    let mug = product(&app, &admin, "Kupa", 12_000, 5).await;
    app.gql(Some(&admin), "mutation { createCoupon(input: { code: \"HOSGELDIN\", description: \"Hoş geldin indirimi\", kind: PERCENT, value: 10, public: true, minSubtotal: 10000 }) { id } }", json!({})).await;
    let tokens = customers(&app, "sayfa", 2).await;
    let (buyer, stranger) = (&tokens[0], &tokens[1]);
    crate::support::shop::add(&app, buyer, &mug, 1).await;

    let checkout_page = get(&app, "/odeme", Some(buyer)).await.text().await.unwrap();
    assert!(
        checkout_page.contains("data-idempotency-key=") && checkout_page.contains("Havale / EFT"),
        "{checkout_page}"
    );
    let placed = checkout(&app, buyer, "sayfa-siparisi", "BANK_TRANSFER").await;
    let number = placed["data"]["checkout"]["number"]
        .as_str()
        .unwrap()
        .to_owned();

    let mine = get(&app, &format!("/siparis/{number}"), Some(buyer)).await;
    assert_eq!(mine.status(), 200);
    let mine = mine.text().await.unwrap();
    assert!(
        mine.contains("Ödeme bekleniyor") && mine.contains("TR33 0006 1005 1978 6457 8413 26"),
        "{mine}"
    );
    assert_eq!(
        get(&app, &format!("/siparis/{number}"), Some(stranger))
            .await
            .status(),
        404
    );
    assert_eq!(
        get(&app, &format!("/siparis/{number}"), None)
            .await
            .status(),
        303
    );
    let list = get(&app, "/hesap/siparisler", Some(buyer))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&number));

    let coupons = get(&app, "/kuponlar", None).await.text().await.unwrap();
    assert!(
        coupons.contains("HOSGELDIN")
            && coupons.contains("%10 indirim")
            && coupons.contains("En az 100,00 ₺"),
        "{coupons}"
    );
    let products = get(&app, "/kupon/hosgeldin", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(products.contains("Kupa"), "{products}");
    assert_eq!(get(&app, "/kupon/YOKBOYLE", None).await.status(), 404);

    let page = get(&app, "/urun/kupa", None).await.text().await.unwrap();
    assert!(
        page.contains(&format!("data-add-to-cart=\"{mug}\"")),
        "the product page has the button"
    );
}

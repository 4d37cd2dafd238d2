//! Signing in with Google and Facebook against local providers that speak the real
//! protocols: new accounts, the checks an ID token must pass, key rotation, no open
//! redirect, no automatic linking to an existing address, and the disconnect rules.

use serde_json::{Value, json};

use crate::customers::{CUSTOMER_PASSWORD, verified_customer};
use crate::support::mail::wait_for;
use crate::support::providers::{FakeFacebook, FakeGoogle, Person, Token};
use crate::support::{TestApp, error_code};

/// A browser: keeps cookies, follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location in a {} answer", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Starts a sign-in at `/auth/{provider}/start?return=…` (`&baglan=1` when the signed-in
/// customer connects it), lets the provider agree, and returns the callback's URL (for a
/// test to spoil).
async fn through_provider(
    app: &TestApp,
    browser: &reqwest::Client,
    provider: &str,
    back: &str,
    connect: bool,
) -> String {
    let mut query = vec![("return", back)];
    if connect {
        query.push(("baglan", "1"));
    }
    let start = browser
        .get(app.url(&format!("/auth/{provider}/start")))
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303, "start");
    let at_provider = browser.get(location(&start)).send().await.unwrap();
    assert!(
        at_provider.status().is_redirection(),
        "the provider answered {}",
        at_provider.status()
    );
    location(&at_provider)
}

/// Finishes at the callback and returns where the server sends the browser.
async fn callback(browser: &reqwest::Client, url: &str) -> String {
    let answer = browser.get(url).send().await.unwrap();
    assert_eq!(answer.status(), 303, "callback");
    location(&answer)
}

async fn sign_in(app: &TestApp, browser: &reqwest::Client, provider: &str, back: &str) -> String {
    let url = through_provider(app, browser, provider, back, false).await;
    callback(browser, &url).await
}

async fn connect(app: &TestApp, browser: &reqwest::Client, provider: &str) -> String {
    let url = through_provider(app, browser, provider, "/hesap", true).await;
    callback(browser, &url).await
}

/// A GraphQL request from `browser` (with its cookies).
async fn post(app: &TestApp, browser: &reqwest::Client, request: &Value) -> Value {
    browser
        .post(app.url("/graphql"))
        .json(request)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> Value {
    let query = json!({ "query": "{ me { id email name emailVerified hasPassword role } myIdentities { provider email } }" });
    post(app, browser, &query).await["data"].clone()
}

async fn with_google(google: &FakeGoogle, backend: vitrin::db::Backend) -> Option<TestApp> {
    TestApp::builder(backend).envs(google.env()).start().await
}

crate::backend_test!(async fn google_signs_up_a_new_customer_verified_and_signs_them_in(backend) {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, backend).await else { return };
    let browser = browser();
    assert_eq!(sign_in(&app, &browser, "google", "/urunler?sayfa=2").await, "/urunler?sayfa=2");
    let data = me(&app, &browser).await;
    assert_eq!(data["me"]["email"], "zeynep@example.com");
    assert_eq!(data["me"]["name"], "Zeynep Kaya");
    assert_eq!(data["me"]["emailVerified"], true, "Google vouched for the address");
    assert_eq!(data["me"]["hasPassword"], false);
    assert_eq!(data["me"]["role"], "CUSTOMER");
    assert_eq!(data["myIdentities"], json!([{ "provider": "GOOGLE", "email": "zeynep@example.com" }]));

    // Next time, the same identity signs in to the same account.
    let again = self::browser();
    sign_in(&app, &again, "google", "/").await;
    assert_eq!(me(&app, &again).await["me"]["id"], data["me"]["id"]);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users").await, 1);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_spoiled_id_token_is_refused_and_signs_nobody_in() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    for token in [
        Token::WrongNonce,
        Token::Expired,
        Token::WrongAudience,
        Token::WrongIssuer,
        Token::UnknownKey,
        Token::Unsigned,
    ] {
        google.token(token);
        let browser = browser();
        let landed = sign_in(&app, &browser, "google", "/hesap").await;
        assert_eq!(
            landed, "/hesap/giris?hata=dogrulanamadi&saglayici=google",
            "{token:?}"
        );
        assert_eq!(me(&app, &browser).await["me"], Value::Null, "{token:?}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_that_this_browser_did_not_start_is_refused() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    // The state in the address is not the one this browser's cookie holds.
    let browser = browser();
    let url = through_provider(&app, &browser, "google", "/", false).await;
    let spoiled = url.replace("state=", "state=x");
    assert_eq!(
        callback(&browser, &spoiled).await,
        "/hesap/giris?hata=oturum-eslesmedi&saglayici=google"
    );
    // A callback in another browser (no cookie: a login CSRF attempt) is refused too.
    let url = through_provider(&app, &browser, "google", "/", false).await;
    assert_eq!(
        callback(&self::browser(), &url).await,
        "/hesap/giris?hata=oturum-eslesmedi&saglayici=google"
    );
    // The person said no at the provider.
    let url = through_provider(&app, &browser, "google", "/", false).await;
    let state = url.split("state=").nth(1).unwrap().to_owned();
    let denied = app.url(&format!(
        "/auth/google/callback?error=access_denied&state={state}"
    ));
    assert_eq!(
        callback(&browser, &denied).await,
        "/hesap/giris?hata=vazgecildi&saglayici=google"
    );
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_fetched_once_and_accepted() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    sign_in(&app, &browser(), "google", "/").await;
    let reads = google.jwks_reads();
    // The provider starts signing with a new key and publishes it.
    google.publish(&["first", "second"]);
    google.token(Token::SecondKey);
    let browser = browser();
    assert_eq!(sign_in(&app, &browser, "google", "/").await, "/");
    assert_eq!(
        me(&app, &browser).await["me"]["email"],
        "zeynep@example.com"
    );
    assert_eq!(
        google.jwks_reads(),
        reads + 1,
        "the keys were fetched again once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_way_back_is_always_a_path_of_this_site() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    for (index, evil) in [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "/%09/evil.example",
    ]
    .into_iter()
    .enumerate()
    {
        google.person(Person::new(
            &format!("google-{index}"),
            &format!("p{index}@example.com"),
        ));
        let landed = sign_in(&app, &browser(), "google", evil).await;
        let expected = if evil.starts_with("/%") { evil } else { "/" };
        assert_eq!(landed, expected, "{evil}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_with_an_account_is_linked_only_after_its_password() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    let owner = verified_customer(&app, "zeynep@example.com").await;
    let stranger_browser = browser();
    let landed = sign_in(&app, &stranger_browser, "google", "/hesap").await;
    assert!(
        landed.starts_with(
            "/hesap/giris?baglan=google&eposta=zeynep%40example%2Ecom&return=%2Fhesap#baglanti="
        ),
        "{landed}"
    );
    assert_eq!(
        me(&app, &stranger_browser).await["me"],
        Value::Null,
        "not signed in on Google's word"
    );
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM identities").await,
        0
    );
    let token = landed.split("#baglanti=").nth(1).unwrap();

    // Another account cannot take the waiting identity.
    let other = verified_customer(&app, "someone@example.com").await;
    let connect = "mutation($t: String!) { connectPendingIdentity(token: $t) { provider email } }";
    assert_eq!(
        error_code(&app.gql(Some(&other), connect, json!({ "t": token })).await),
        "BAD_USER_INPUT"
    );

    // The owner signs in with the password; the identity is connected, once.
    let signed_in = app.login("zeynep@example.com", CUSTOMER_PASSWORD).await;
    let connected = app
        .gql(Some(&signed_in), connect, json!({ "t": token }))
        .await;
    assert_eq!(
        connected["data"]["connectPendingIdentity"],
        json!({ "provider": "GOOGLE", "email": "zeynep@example.com" }),
        "{connected}"
    );
    assert_eq!(
        error_code(&app.gql(Some(&owner), connect, json!({ "t": token })).await),
        "BAD_USER_INPUT"
    );
    let browser = browser();
    sign_in(&app, &browser, "google", "/").await;
    assert_eq!(
        me(&app, &browser).await["me"]["email"],
        "zeynep@example.com"
    );
}

crate::backend_test!(async fn the_only_way_to_sign_in_cannot_be_disconnected(backend) {
    let google = FakeGoogle::start().await;
    let facebook = FakeFacebook::start().await;
    let builder = TestApp::builder(backend).envs(google.env()).envs(facebook.env());
    let Some(app) = builder.start().await else {
        return;
    };
    let browser = browser();
    sign_in(&app, &browser, "google", "/").await;
    let disconnect = json!({ "query": "mutation($p: IdentityProvider!) { disconnectIdentity(provider: $p) }", "variables": { "p": "GOOGLE" } });
    let refused: Value = post(&app, &browser, &disconnect).await;
    assert_eq!(
        error_code(&refused),
        "BAD_USER_INPUT",
        "no password, no other provider: {refused}"
    );

    // Connecting Facebook while signed in (its profile names another address); the
    // owner is told by e-mail.
    facebook.person(Person::new("fb-7", "zeynep.fb@example.com"));
    assert_eq!(connect(&app, &browser, "facebook").await, "/hesap?baglandi=facebook");
    wait_for(&app.outbox(), "zeynep@example.com", "Facebook hesabı bağlandı").await;
    // Connecting another Facebook account to it is refused on the account page.
    facebook.person(Person::new("fb-8", "zeynep.other@example.com"));
    assert_eq!(connect(&app, &browser, "facebook").await, "/hesap?hata=zaten-bagli&saglayici=facebook");
    // A plain Facebook sign-in in this browser does not touch the account signed in: it
    // signs in to (here: makes) the Facebook account's own.
    let before = me(&app, &browser).await["me"]["id"].clone();
    assert_eq!(sign_in(&app, &browser, "facebook", "/").await, "/");
    assert_ne!(me(&app, &browser).await["me"]["id"], before);
    let browser = self::browser();
    sign_in(&app, &browser, "google", "/").await;
    let data = me(&app, &browser).await;
    assert_eq!(data["myIdentities"].as_array().unwrap().len(), 2, "{data}");
    let done: Value = post(&app, &browser, &disconnect).await;
    assert_eq!(done["data"]["disconnectIdentity"], true, "{done}");
    assert_eq!(
        me(&app, &browser).await["myIdentities"],
        json!([{ "provider": "FACEBOOK", "email": "zeynep.fb@example.com" }])
    );
    // Facebook now signs in to the same account.
    facebook.person(Person::new("fb-7", "zeynep.fb@example.com"));
    let fresh = self::browser();
    sign_in(&app, &fresh, "facebook", "/").await;
    assert_eq!(me(&app, &fresh).await["me"]["id"], data["me"]["id"]);
    assert_eq!(facebook.proofs_refused(), 0);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facebook_signs_up_a_new_customer_and_refuses_another_apps_token() {
    let facebook = FakeFacebook::start().await;
    let builder = TestApp::builder(vitrin::db::Backend::Sqlite).envs(facebook.env());
    let Some(app) = builder.start().await else {
        return;
    };
    let browser = browser();
    assert_eq!(
        sign_in(&app, &browser, "facebook", "/hesap").await,
        "/hesap"
    );
    let data = me(&app, &browser).await;
    assert_eq!(data["me"]["email"], "zeynep@example.com");
    assert_eq!(
        data["myIdentities"],
        json!([{ "provider": "FACEBOOK", "email": "zeynep@example.com" }])
    );

    facebook.person(Person::new("fb-2", "other@example.com"));
    facebook.tokens_for_another_app();
    let other = self::browser();
    assert_eq!(
        sign_in(&app, &other, "facebook", "/").await,
        "/hesap/giris?hata=dogrulanamadi&saglayici=facebook"
    );
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unconfigured_provider_answers_404() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    for path in [
        "/auth/google/start",
        "/auth/google/callback?code=x&state=y",
        "/auth/facebook/start",
        "/auth/twitter/start",
    ] {
        let answer = browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), 404, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_without_a_password_is_erased_only_soon_after_signing_in() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    let browser = browser();
    sign_in(&app, &browser, "google", "/").await;
    let delete = json!({ "query": "mutation { deleteMyAccount(currentPassword: \"\") }" });
    app.clock.advance(chrono::Duration::minutes(11));
    let late: Value = post(&app, &browser, &delete).await;
    assert_eq!(error_code(&late), "BAD_USER_INPUT", "{late}");

    let fresh = self::browser();
    sign_in(&app, &fresh, "google", "/").await;
    let done: Value = post(&app, &fresh, &delete).await;
    assert_eq!(done["data"]["deleteMyAccount"], true, "{done}");
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM identities").await,
        0
    );
    // The provider's identity is free again: signing in makes a new account.
    let again = self::browser();
    sign_in(&app, &again, "google", "/").await;
    assert_eq!(me(&app, &again).await["me"]["email"], "zeynep@example.com");
}

/// A browser holding the session cookie of `token`.
fn signed_in_browser(app: &TestApp, token: &str) -> reqwest::Client {
    let jar = reqwest::cookie::Jar::default();
    let site = reqwest::Url::parse(&app.url("/")).unwrap();
    jar.add_cookie_str(&format!("vitrin_session={token}; Path=/"), &site);
    reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::new(jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_a_provider_needs_a_recent_sign_in() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    let session = verified_customer(&app, "ayse@example.com").await;
    app.clock.advance(chrono::Duration::minutes(11));
    let browser = signed_in_browser(&app, &session);
    assert_eq!(
        connect(&app, &browser, "google").await,
        "/hesap?hata=yeniden-giris&saglayici=google"
    );
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM identities").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_sign_in_with_their_password_only() {
    let google = FakeGoogle::start().await;
    let Some(app) = with_google(&google, vitrin::db::Backend::Sqlite).await else {
        return;
    };
    app.create_admin("admin@example.com", "admin parolası uzun")
        .await;
    google.person(Person::new("google-admin", "admin@example.com"));
    assert_eq!(
        sign_in(&app, &browser(), "google", "/").await,
        "/hesap/giris?hata=yonetici-hesabi&saglayici=google"
    );
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM pending_identities")
            .await,
        0,
        "no link waits for an administrator"
    );
    // Signed in to the dashboard, connecting is refused too.
    let token = app.login("admin@example.com", "admin parolası uzun").await;
    google.person(Person::new("google-other", "other@example.com"));
    assert_eq!(
        connect(&app, &signed_in_browser(&app, &token), "google").await,
        "/hesap?hata=yonetici-hesabi&saglayici=google"
    );
    assert_eq!(
        app.count_sql("SELECT COUNT(*) AS n FROM identities").await,
        0
    );
}

//! Customer accounts: signing up without revealing who has an account, verifying the
//! address by an e-mailed link, customer sessions that last while used, recovery links
//! to the storefront, erasing an account, and the administrators' customer list.

use std::time::Duration;

use serde_json::{Value, json};

use crate::db_test;
use crate::support::mail::{read_folder, wait_for};
use crate::support::{TestApp, error_code};

pub const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) }";
const VERIFY: &str = "mutation($t: String!) { verifyEmail(token: $t) { token expiresAt user { email emailVerified role } } }";
const ME: &str = "{ me { email name emailVerified role phone marketingOptIn } }";
const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
pub const CUSTOMER_PASSWORD: &str = "kırmızı elma ağacı";
const VERIFY_SUBJECT: &str = "E-posta adresinizi doğrulayın";

pub fn sign_up(email: &str) -> Value {
    json!({ "email": email, "password": CUSTOMER_PASSWORD, "name": "Ayşe Yılmaz", "acceptTerms": true })
}

/// Signs a customer up, opens the e-mailed link and returns the session token.
pub async fn verified_customer(app: &TestApp, email: &str) -> String {
    let body = app
        .gql(None, REGISTER, json!({ "i": sign_up(email) }))
        .await;
    assert_eq!(body["data"]["register"], true, "{body}");
    let token = wait_for(&app.outbox(), email, VERIFY_SUBJECT).await.token();
    let body = app.gql(None, VERIFY, json!({ "t": token })).await;
    body["data"]["verifyEmail"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("verification failed: {body}"))
        .to_owned()
}

fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    read_folder(&app.outbox())
        .into_iter()
        .filter(|m| m.to == email)
        .map(|m| m.subject)
        .collect()
}

db_test!(async fn signing_up_mails_a_link_that_verifies_the_address_and_signs_in_once(app) {
    let email = "ayse@example.com";
    assert_eq!(app.gql(None, REGISTER, json!({ "i": sign_up("Ayse@Example.com") })).await, json!({ "data": { "register": true } }));
    let mail = wait_for(&app.outbox(), email, VERIFY_SUBJECT).await;
    assert!(mail.link().starts_with(&app.url("/hesap/dogrula#token=")), "{}", mail.link());

    // Before verifying, the customer can sign in, but is not verified.
    let early = app.login(email, CUSTOMER_PASSWORD).await;
    let me = app.gql(Some(&early), ME, json!({})).await;
    assert_eq!(me["data"]["me"], json!({ "email": email, "name": "Ayşe Yılmaz", "emailVerified": false, "role": "CUSTOMER", "phone": null, "marketingOptIn": false }));

    let verified = app.gql(None, VERIFY, json!({ "t": mail.token() })).await;
    assert_eq!(verified["data"]["verifyEmail"]["user"], json!({ "email": email, "emailVerified": true, "role": "CUSTOMER" }));
    let token = verified["data"]["verifyEmail"]["token"].as_str().unwrap();
    assert_eq!(app.gql(Some(token), ME, json!({})).await["data"]["me"]["emailVerified"], true);
    // The link works once.
    let again = app.gql(None, VERIFY, json!({ "t": mail.token() })).await;
    assert_eq!(error_code(&again), "BAD_USER_INPUT", "{again}");
});

db_test!(async fn signing_up_with_a_taken_address_answers_the_same_and_tells_its_owner_once(app) {
    let email = "taken@example.com";
    verified_customer(&app, email).await;
    let first = app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    assert_eq!(first, json!({ "data": { "register": true } }), "the same answer as for a new address");
    wait_for(&app.outbox(), email, "Bu adresle zaten bir hesabınız var").await;
    let second = app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    assert_eq!(second, json!({ "data": { "register": true } }));
    // The job of the second attempt runs and sends nothing more within the hour.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let notices = mails_to(&app, email).into_iter().filter(|s| s.contains("zaten bir hesabınız")).count();
    assert_eq!(notices, 1);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users WHERE email = 'taken@example.com'").await, 1);
});

db_test!(async fn a_bad_sign_up_is_refused_at_its_field_and_makes_no_account(app) {
    for (spoil, field) in [
        (json!({ "email": "not an address" }), "input.email"),
        (json!({ "password": "kısa" }), "input.password"),
        (json!({ "name": "  " }), "input.name"),
        (json!({ "acceptTerms": false }), "input.acceptTerms"),
    ] {
        let mut input = sign_up("bad@example.com");
        for (k, v) in spoil.as_object().unwrap() {
            input[k] = v.clone();
        }
        let body = app.gql(None, REGISTER, json!({ "i": input })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users").await, 0);
});

db_test!(async fn a_new_verification_link_voids_the_old_one_and_resending_is_limited(app) {
    let email = "late@example.com";
    app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    let old = wait_for(&app.outbox(), email, VERIFY_SUBJECT).await.token();
    let session = app.login(email, CUSTOMER_PASSWORD).await;
    let resend = "mutation { resendVerification }";
    assert_eq!(app.gql(Some(&session), resend, json!({})).await["data"]["resendVerification"], true);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let fresh = loop {
        let tokens: Vec<String> = read_folder(&app.outbox()).into_iter().filter(|m| m.subject.contains(VERIFY_SUBJECT)).map(|m| m.token()).collect();
        if let Some(t) = tokens.into_iter().find(|t| *t != old) {
            break t;
        }
        assert!(std::time::Instant::now() < deadline, "no second verification e-mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(error_code(&app.gql(None, VERIFY, json!({ "t": old })).await), "BAD_USER_INPUT");
    assert!(app.gql(None, VERIFY, json!({ "t": fresh })).await["data"]["verifyEmail"]["token"].is_string());
    // Verified now: nothing more to send.
    assert_eq!(error_code(&app.gql(Some(&session), resend, json!({})).await), "BAD_USER_INPUT");

    let other = "other@example.com";
    app.gql(None, REGISTER, json!({ "i": sign_up(other) })).await;
    let session = app.login(other, CUSTOMER_PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(app.gql(Some(&session), resend, json!({})).await["data"]["resendVerification"], true);
    }
    assert_eq!(error_code(&app.gql(Some(&session), resend, json!({})).await), "RATE_LIMITED");
});

fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn with_cookie(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/graphql"))
        .header("cookie", format!("vitrin_session={token}"))
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap()
}

db_test!(async fn a_customer_session_in_use_is_extended_at_most_once_a_day(app) {
    let token = verified_customer(&app, "daily@example.com").await;
    // Within its first day nothing is written and no cookie is sent again.
    assert_eq!(set_cookie(&with_cookie(&app, &token).await), None);
    let expiry = "SELECT expires_at AS n FROM sessions ORDER BY id DESC LIMIT 1";
    let before = app.count_sql(expiry).await;

    app.clock.advance(chrono::Duration::days(20));
    let response = with_cookie(&app, &token).await;
    let cookie = set_cookie(&response).expect("the renewed cookie");
    let max_age: i64 = cookie.split("Max-Age=").nth(1).and_then(|r| r.split(';').next()).unwrap().parse().unwrap();
    assert!((30 * 24 * 3600 - 5..=30 * 24 * 3600).contains(&max_age), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let moved = app.count_sql(expiry).await - before;
    assert!((20 * 24 * 3600 * 1000..20 * 24 * 3600 * 1000 + 1000).contains(&moved), "moved by {moved} ms");
    // The same day again: no write, no cookie.
    app.clock.advance(chrono::Duration::hours(3));
    assert_eq!(set_cookie(&with_cookie(&app, &token).await), None);

    // A month without use ends it.
    app.clock.advance(chrono::Duration::days(31));
    let body: Value = with_cookie(&app, &token).await.json().await.unwrap();
    assert_eq!(body["data"]["me"], Value::Null);
});

db_test!(async fn an_administrators_session_is_not_extended(app) {
    let token = app.admin_token().await;
    app.clock.advance(chrono::Duration::hours(11));
    assert_eq!(set_cookie(&with_cookie(&app, &token).await), None);
    app.clock.advance(chrono::Duration::hours(2));
    let body: Value = with_cookie(&app, &token).await.json().await.unwrap();
    assert_eq!(body["data"]["me"], Value::Null, "the 12-hour admin session ended");
});

db_test!(async fn a_customers_reset_link_opens_the_storefront_and_proves_the_address(app) {
    let email = "forgetful@example.com";
    app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    wait_for(&app.outbox(), email, VERIFY_SUBJECT).await;
    let earlier = app.login(email, CUSTOMER_PASSWORD).await;
    app.gql(None, "mutation($e: String!) { requestPasswordReset(email: $e) }", json!({ "e": email })).await;
    let mail = wait_for(&app.outbox(), email, "Parola sıfırlama").await;
    assert!(mail.link().starts_with(&app.url("/hesap/sifre-sifirla#token=")), "{}", mail.link());
    let reset = app
        .gql(None, "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }", json!({ "t": mail.token(), "p": "yeni ve uzun bir parola" }))
        .await;
    assert_eq!(reset["data"]["resetPassword"], true, "{reset}");
    assert_eq!(app.gql(Some(&earlier), ME, json!({})).await["data"]["me"], Value::Null, "the reset ended the earlier session");
    let session = app.login(email, "yeni ve uzun bir parola").await;
    assert_eq!(app.gql(Some(&session), ME, json!({})).await["data"]["me"]["emailVerified"], true);
});

db_test!(async fn deleting_ones_account_erases_it_and_ends_every_session(app) {
    let email = "leaving@example.com";
    let token = verified_customer(&app, email).await;
    let other_browser = app.login(email, CUSTOMER_PASSWORD).await;
    let profile = "mutation { updateProfile(input: { phone: \"0532 123 45 67\", marketingOptIn: true }) { phone marketingOptIn } }";
    assert_eq!(app.gql(Some(&token), profile, json!({})).await["data"]["updateProfile"], json!({ "phone": "+905321234567", "marketingOptIn": true }));
    let address = json!({ "title": "Ev", "recipientName": "Ayşe", "phone": "05321234567", "line1": "Bağdat Cad. 5", "district": "Kadıköy", "city": "İstanbul", "postalCode": "34710" });
    app.gql(Some(&token), "mutation($i: AddressInput!) { createAddress(input: $i) { id } }", json!({ "i": address })).await;

    let delete = "mutation($p: String!) { deleteMyAccount(currentPassword: $p) }";
    assert_eq!(error_code(&app.gql(Some(&token), delete, json!({ "p": "yanlış parola bu" })).await), "BAD_USER_INPUT");
    let response = app.post_gql(Some(&token), delete, json!({ "p": CUSTOMER_PASSWORD })).await;
    assert!(set_cookie(&response).is_some_and(|c| c.contains("Max-Age=0")));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["deleteMyAccount"], true, "{body}");

    for session in [&token, &other_browser] {
        assert_eq!(app.gql(Some(session), ME, json!({})).await["data"]["me"], Value::Null);
    }
    assert_eq!(error_code(&app.gql(None, LOGIN, json!({ "e": email, "p": CUSTOMER_PASSWORD })).await), "UNAUTHENTICATED");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users WHERE email = 'leaving@example.com' OR name <> '' OR phone IS NOT NULL").await, 0);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM addresses").await, 0);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NOT NULL").await, 1, "the row stays for the orders");
    wait_for(&app.outbox(), email, "Hesabınız silindi").await;
    // The address is free for a new account.
    app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users WHERE email = 'leaving@example.com' AND deleted_at IS NULL").await, 1);
});

db_test!(async fn an_erased_account_leaves_no_favourite_and_no_name_on_its_reviews(app) {
    let admin = app.admin_token().await;
    let product = crate::support::shop::product(&app, &admin, "Keten peçete", 7_000, 5).await;
    let token = verified_customer(&app, "gidiyor@example.com").await;
    app.gql(Some(&token), "mutation($p: ID!) { toggleFavorite(productId: $p) { id } }", json!({ "p": product })).await;
    let review = crate::support::shop::review(&app, &token, &product, json!({ "rating": 5, "comment": "Yumuşacık." })).await;
    assert!(review["data"]["submitProductReview"]["id"].is_string(), "{review}");
    let delete = "mutation($p: String!) { deleteMyAccount(currentPassword: $p) }";
    assert_eq!(app.gql(Some(&token), delete, json!({ "p": CUSTOMER_PASSWORD })).await["data"]["deleteMyAccount"], true);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM favorites").await, 0);
    assert_eq!(app.count_sql("SELECT favorite_count AS n FROM products").await, 0);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews WHERE author_name = 'Müşteri' AND email IS NULL").await, 1);
});

db_test!(async fn administrators_find_customers_and_disabling_one_ends_their_sessions(app) {
    let admin = app.admin_token().await;
    let ayse = verified_customer(&app, "ayse.yilmaz@example.com").await;
    let mut mehmet = sign_up("mehmet@example.com");
    mehmet["name"] = json!("Mehmet Öztürk");
    app.gql(None, REGISTER, json!({ "i": mehmet })).await;
    let list = "query($s: String, $v: Boolean) { customers(search: $s, verified: $v) { totalCount edges { node { id email emailVerified disabled } } } }";
    let all = app.gql(Some(&admin), list, json!({})).await;
    assert_eq!(all["data"]["customers"]["totalCount"], 2, "{all}");
    assert_eq!(all["data"]["customers"]["edges"][0]["node"]["email"], "mehmet@example.com", "newest first");
    // The name is searched with Turkish letters folded: "OZTURK" finds "Öztürk".
    let by_name = app.gql(Some(&admin), list, json!({ "s": "OZTURK" })).await;
    assert_eq!(by_name["data"]["customers"]["edges"][0]["node"]["email"], "mehmet@example.com", "{by_name}");
    let found = app.gql(Some(&admin), list, json!({ "s": "ayse.yilmaz@" })).await;
    assert_eq!(found["data"]["customers"]["totalCount"], 1);
    let unverified = app.gql(Some(&admin), list, json!({ "v": false })).await;
    assert_eq!(unverified["data"]["customers"]["edges"][0]["node"]["email"], "mehmet@example.com");
    // A customer cannot read the list.
    assert_eq!(error_code(&app.gql(Some(&ayse), list, json!({})).await), "FORBIDDEN");

    let id = found["data"]["customers"]["edges"][0]["node"]["id"].clone();
    let disable = "mutation($id: ID!, $d: Boolean!) { setCustomerDisabled(id: $id, disabled: $d) { disabled } }";
    assert_eq!(app.gql(Some(&admin), disable, json!({ "id": id, "d": true })).await["data"]["setCustomerDisabled"]["disabled"], true);
    assert_eq!(app.gql(Some(&ayse), ME, json!({})).await["data"]["me"], Value::Null);
    assert_eq!(error_code(&app.gql(None, LOGIN, json!({ "e": "ayse.yilmaz@example.com", "p": CUSTOMER_PASSWORD })).await), "UNAUTHENTICATED");
    app.gql(Some(&admin), disable, json!({ "id": id, "d": false })).await;
    app.login("ayse.yilmaz@example.com", CUSTOMER_PASSWORD).await;
    // Administrators are not customers: the mutation does not reach them.
    let me: Value = app.gql(Some(&admin), "{ me { id } }", json!({})).await;
    let body = app.gql(Some(&admin), disable, json!({ "id": me["data"]["me"]["id"], "d": true })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
});

db_test!(async fn ten_simultaneous_sign_ups_with_one_address_make_one_account(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    let attempts = (0..10).map(|i| {
        let app = &app;
        async move { app.gql_from(&format!("10.0.{i}.1"), None, REGISTER, json!({ "i": sign_up("twice@example.com") })).await }
    });
    let answers = futures_util::future::join_all(attempts).await;
    assert!(answers.iter().all(|a| a["data"]["register"] == true), "{answers:?}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM users WHERE email = 'twice@example.com'").await, 1);
});

db_test!(async fn a_verification_link_used_ten_times_at_once_signs_in_once(app) {
    let email = "once@example.com";
    app.gql(None, REGISTER, json!({ "i": sign_up(email) })).await;
    let token = wait_for(&app.outbox(), email, VERIFY_SUBJECT).await.token();
    let attempts = (0..10).map(|_| app.gql(None, VERIFY, json!({ "t": token })));
    let answers = futures_util::future::join_all(attempts).await;
    let sessions = answers.iter().filter(|a| a["data"]["verifyEmail"]["token"].is_string()).count();
    assert_eq!(sessions, 1, "{answers:?}");
    assert!(answers.iter().filter(|a| a["errors"].is_array()).all(|a| error_code(a) == "BAD_USER_INPUT"));
});

//! Sign-in, sessions, sign-out and throttling.

use serde_json::json;

use crate::db_test;
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, error_code};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email role } } }";
const ME: &str = "{ me { id email role locale } }";

db_test!(async fn login_returns_a_token_and_sets_an_http_only_session_cookie(app) {
    app.create_admin("Owner@Example.com", ADMIN_PASSWORD).await;
    let response = app.post_gql(None, LOGIN, json!({ "e": "OWNER@example.com ", "p": ADMIN_PASSWORD })).await;
    let cookie = response.headers().get("set-cookie").expect("cookie set").to_str().unwrap().to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    let token = body["data"]["login"]["token"].as_str().unwrap();
    assert!(token.len() >= 43, "at least 256 bits of token");
    assert_eq!(body["data"]["login"]["user"]["email"], "owner@example.com");
    assert!(cookie.starts_with(&format!("vitrin_session={token};")));
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "plain-http localhost cookies cannot be Secure");
});

db_test!(async fn session_cookie_is_secure_with_the_host_prefix_over_https(app) with |b| b.env("VITRIN_PUBLIC_URL", "https://vitrin.example"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let response = app.post_gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-vitrin_session="));
    assert!(cookie.contains("; Secure"));
    assert!(response.headers().get("strict-transport-security").is_some());
});

db_test!(async fn over_https_a_cookie_without_the_host_prefix_is_ignored(app) with |b| b.env("VITRIN_PUBLIC_URL", "https://vitrin.example"), {
    let token = app.admin_token().await;
    let me = |cookie: String| {
        let request = app.client.post(app.url("/graphql")).header("cookie", cookie).json(&json!({ "query": ME }));
        async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    assert_eq!(me(format!("__Host-vitrin_session={token}")).await["data"]["me"]["email"], ADMIN_EMAIL);
    assert_eq!(me(format!("vitrin_session={token}")).await["data"]["me"], json!(null), "a planted cookie signs nobody in");
    let planted_first = me(format!("vitrin_session=planted; __Host-vitrin_session={token}")).await;
    assert_eq!(planted_first["data"]["me"]["email"], ADMIN_EMAIL, "{planted_first}");
});

db_test!(async fn me_is_null_for_an_anonymous_caller(app) {
    let body = app.gql(None, ME, json!({})).await;
    assert_eq!(body, json!({ "data": { "me": null } }));
});

db_test!(async fn me_answers_from_a_bearer_token_and_from_the_cookie(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(body["data"]["me"]["email"], ADMIN_EMAIL);
    assert_eq!(body["data"]["me"]["role"], "ADMIN");
    let by_cookie: serde_json::Value = app
        .client
        .post(app.url("/graphql"))
        .header("cookie", format!("vitrin_session={token}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_cookie["data"]["me"]["email"], ADMIN_EMAIL);
});

db_test!(async fn wrong_password_and_unknown_email_get_the_same_answer(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let wrong = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": "not the password" })).await;
    let unknown = app.gql(None, LOGIN, json!({ "e": "nobody@example.com", "p": "not the password" })).await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert_eq!(wrong["errors"][0]["message"], unknown["errors"][0]["message"]);
    assert_eq!(wrong, unknown);
});

db_test!(async fn a_disabled_account_cannot_sign_in_and_loses_its_sessions(app) {
    let token = app.admin_token().await;
    app.exec_sql("UPDATE users SET disabled = TRUE").await;
    let body = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(app.gql(Some(&token), ME, json!({})).await["data"]["me"], json!(null));
});

db_test!(async fn logout_ends_the_session_on_the_server(app) {
    let token = app.admin_token().await;
    let response = app.post_gql(Some(&token), "mutation { logout }", json!({})).await;
    let cleared = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cleared.contains("Max-Age=0"));
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["data"]["logout"], true);
    assert_eq!(app.gql(Some(&token), ME, json!({})).await["data"]["me"], json!(null));
    let again = app.gql(Some(&token), "mutation { logout }", json!({})).await;
    assert_eq!(error_code(&again), "UNAUTHENTICATED");
    assert!(again["errors"][0]["message"].as_str().unwrap().contains("session has ended"));
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM sessions").await, 0);
});

db_test!(async fn an_admin_session_expires_after_twelve_hours(app) {
    let token = app.admin_token().await;
    app.clock.advance(chrono::Duration::hours(11) + chrono::Duration::minutes(59));
    assert_eq!(app.gql(Some(&token), ME, json!({})).await["data"]["me"]["email"], ADMIN_EMAIL);
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(app.gql(Some(&token), ME, json!({})).await["data"]["me"], json!(null));
    assert_eq!(error_code(&app.gql(Some(&token), "mutation { logout }", json!({})).await), "UNAUTHENTICATED");
});

db_test!(async fn sessions_store_only_token_hashes(app) {
    let token = app.admin_token().await;
    let raw = app.count_sql(&format!("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = '{token}'")).await;
    assert_eq!(raw, 0);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM sessions WHERE length(token_hash) = 64").await, 1);
});

db_test!(async fn five_failures_lock_the_account_for_that_address_with_a_retry_hint(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for _ in 0..5 {
        let body = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": "wrong password" })).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let body = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
    let retry = body["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap();
    assert!((850..=900).contains(&retry), "retry after {retry}s");
    app.clock.advance(chrono::Duration::minutes(15));
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
});

db_test!(async fn twenty_failures_from_one_address_block_every_account(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for i in 0..20 {
        let body = app.gql(None, LOGIN, json!({ "e": format!("guess{i}@example.com"), "p": "wrong password" })).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let body = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
});

db_test!(async fn forged_forwarded_for_headers_do_not_escape_throttling(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let attempt = |forged: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/graphql"))
                // The client forges the left part; our proxy appends the address it saw.
                .header("x-forwarded-for", format!("{forged}, 198.51.100.7"))
                .json(&json!({ "query": LOGIN, "variables": { "e": ADMIN_EMAIL, "p": "wrong password" } }))
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    for i in 0..5 {
        assert_eq!(error_code(&attempt(format!("10.9.{i}.{}", rand::random::<u8>())).await), "UNAUTHENTICATED");
    }
    assert_eq!(error_code(&attempt("203.0.113.200".to_owned()).await), "RATE_LIMITED");
});

/// 100 wrong sign-ins for the owner's address, each from a block of networks of its own.
async fn guess_from_rotating_addresses(app: &crate::support::TestApp) {
    let guesses = (0..100).map(|i| {
        let address = format!("198.51.{i}.1");
        async move {
            app.gql_from(
                &address,
                None,
                LOGIN,
                json!({ "e": ADMIN_EMAIL, "p": format!("guess {i}") }),
            )
            .await
        }
    });
    for answer in futures_util::future::join_all(guesses).await {
        assert_eq!(error_code(&answer), "UNAUTHENTICATED", "{answer}");
    }
}

db_test!(async fn other_peoples_failures_never_lock_the_owner_out(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    guess_from_rotating_addresses(&app).await;
    let owner = app.gql_from("203.0.113.50", None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    assert_eq!(owner["data"]["login"]["user"]["email"], ADMIN_EMAIL, "{owner}");
});

db_test!(async fn an_account_under_attack_gives_each_address_one_guess_an_hour(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    guess_from_rotating_addresses(&app).await;
    let guess = |p: &'static str| app.gql_from("203.0.113.77", None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": p }));
    assert_eq!(error_code(&guess("one more guess").await), "UNAUTHENTICATED");
    assert_eq!(error_code(&guess("and another one").await), "RATE_LIMITED");
    assert_eq!(error_code(&guess(ADMIN_PASSWORD).await), "RATE_LIMITED", "that address has had its guess");
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(error_code(&guess("an hour later").await), "UNAUTHENTICATED");
});

db_test!(async fn networks_of_one_block_share_a_few_addresses_worth_of_guesses(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // One customer's /48 holds 65,536 /64s: rotating through them buys four addresses' worth.
    let guess = |network: usize| {
        let app = &app;
        async move {
            let address = format!("2001:db8:1:{network:x}::1");
            app.gql_from(&address, None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": "a guess" })).await
        }
    };
    for network in 0..20 {
        assert_eq!(error_code(&guess(network).await), "UNAUTHENTICATED", "guess {network}");
    }
    assert_eq!(error_code(&guess(20).await), "RATE_LIMITED");
    let owner = app.gql_from("2001:db8:2::1", None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD })).await;
    assert_eq!(owner["data"]["login"]["user"]["email"], ADMIN_EMAIL, "{owner}");
});

db_test!(async fn xff_from_an_untrusted_peer_is_ignored(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for i in 0..5 {
        let body: serde_json::Value = app
            .client
            .post(app.url("/graphql"))
            .header("x-forwarded-for", format!("192.0.2.{i}"))
            .json(&json!({ "query": LOGIN, "variables": { "e": ADMIN_EMAIL, "p": "wrong password" } }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let body = app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": "wrong password" })).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
});

db_test!(async fn a_session_works_over_both_websocket_protocols(app) {
    let token = app.admin_token().await;
    for legacy in [false, true] {
        let url = format!("ws://{}/graphql/ws", app.addr);
        let mut ws = crate::support::ws::WsClient::connect(&url, legacy, json!({ "authorization": format!("Bearer {token}") })).await;
        ws.subscribe("1", "{ me { email } }").await;
        assert_eq!(ws.next_payload().await["data"]["me"]["email"], ADMIN_EMAIL);
    }
});

db_test!(async fn parallel_guesses_cannot_slip_past_the_limit(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let guesses = (0..30).map(|i| app.gql(None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": format!("guess number {i}") })));
    let answers = futures_util::future::join_all(guesses).await;
    let tried = answers.iter().filter(|a| error_code(a) == "UNAUTHENTICATED").count();
    assert!(tried <= 5, "{tried} guesses were checked");
    assert_eq!(answers.iter().filter(|a| error_code(a) == "RATE_LIMITED").count(), 30 - tried);
});

db_test!(async fn signing_out_ends_the_session_on_open_websockets_too(app) {
    let token = app.admin_token().await;
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut ws = crate::support::ws::WsClient::connect(&url, false, json!({ "authorization": format!("Bearer {token}") })).await;
    ws.subscribe("before", "{ me { email } }").await;
    assert_eq!(ws.next_payload().await["data"]["me"]["email"], ADMIN_EMAIL);
    ws.subscribe("storage", "subscription { storageUsageChanged { usedBytes } }").await;
    assert_eq!(ws.next_payload().await["data"]["storageUsageChanged"]["usedBytes"], "0");
    app.gql(Some(&token), "mutation { logout }", json!({})).await;
    ws.subscribe("after", "{ me { email } statSettings { foundedYear } }").await;
    let after = loop {
        let message = ws.next_message().await;
        if message["id"] == "after" && message["type"] == "next" {
            break message["payload"].clone();
        }
    };
    assert_eq!(after["data"]["me"], json!(null), "{after}");
    assert_eq!(after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    // Admin figures stop: the next change ends the storage stream instead of reaching it.
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.upload(&other, "small.webp", "OTHER").await;
    loop {
        let message = ws.next_message().await;
        if message["id"] == "storage" {
            assert_eq!(message["type"], "complete", "{message}");
            break;
        }
    }
});

const MY_SESSIONS: &str = "{ mySessions { id current } }";
const END_SESSION: &str = "mutation($id: ID!) { endSession(id: $id) }";

db_test!(async fn a_user_lists_and_ends_their_own_sessions(app) {
    let here = app.admin_token().await;
    let elsewhere = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let sessions = app.gql(Some(&here), MY_SESSIONS, json!({})).await["data"]["mySessions"].clone();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    assert_eq!(app.gql(Some(&here), END_SESSION, json!({ "id": other })).await["data"]["endSession"], true);
    assert_eq!(app.gql(Some(&elsewhere), ME, json!({})).await["data"]["me"], json!(null));
});

db_test!(async fn another_users_session_is_not_found(app) {
    let owner = app.admin_token().await;
    app.create_admin("second@example.com", ADMIN_PASSWORD).await;
    let second = app.login("second@example.com", ADMIN_PASSWORD).await;
    let theirs = app.gql(Some(&second), MY_SESSIONS, json!({})).await["data"]["mySessions"][0]["id"].clone();
    let attempt = app.gql(Some(&owner), END_SESSION, json!({ "id": theirs })).await;
    let missing = app.gql(Some(&owner), END_SESSION, json!({ "id": "999999" })).await;
    assert_eq!(error_code(&attempt), "NOT_FOUND");
    assert_eq!(attempt["errors"][0]["message"], missing["errors"][0]["message"], "someone else's row looks like a missing one");
    assert_eq!(app.gql(Some(&second), ME, json!({})).await["data"]["me"]["email"], "second@example.com");
});

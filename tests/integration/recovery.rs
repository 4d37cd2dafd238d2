//! Forgotten passwords: e-mailed single-use links, over real SMTP and the file outbox.

use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::db_test;
use crate::support::mail::{SmtpServer, read_folder, wait_for};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, error_code};

const REQUEST: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
const RESET: &str =
    "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const VALID: &str = "query($t: String!) { passwordResetTokenValid(token: $t) }";
const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
const NEW_PASSWORD: &str = "mavi deniz kenarında";

async fn request_reset(app: &TestApp, email: &str) -> Value {
    app.gql(None, REQUEST, json!({ "e": email })).await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Value {
    app.gql(None, RESET, json!({ "t": token, "p": password }))
        .await
}

async fn login_code(app: &TestApp, email: &str, password: &str) -> Option<String> {
    let body = app
        .gql(None, LOGIN, json!({ "e": email, "p": password }))
        .await;
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

/// Requests a reset for the admin and returns the token from the outbox e-mail.
async fn reset_token_from_outbox(app: &TestApp) -> String {
    request_reset(app, ADMIN_EMAIL).await;
    wait_for(&app.outbox(), ADMIN_EMAIL, "Parola sıfırlama")
        .await
        .token()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_end_to_end_over_real_smtp_on_sqlite() {
    forgot_password_over_smtp(vitrin::db::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_end_to_end_over_real_smtp_on_postgres() {
    forgot_password_over_smtp(vitrin::db::Backend::Postgres).await;
}

async fn forgot_password_over_smtp(backend: vitrin::db::Backend) {
    let smtp = SmtpServer::on_free_port().start();
    let Some(app) = TestApp::builder(backend)
        .env("VITRIN_SMTP_URL", &smtp.url())
        .env("VITRIN_MAIL_FROM", "Vitrin <noreply@vitrin.example>")
        .start()
        .await
    else {
        return;
    };
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let session = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    assert_eq!(
        request_reset(&app, ADMIN_EMAIL).await,
        json!({ "data": { "requestPasswordReset": true } })
    );
    let mail = wait_for(&smtp.inbox(), ADMIN_EMAIL, "Parola sıfırlama").await;
    let link = mail.link();
    assert!(
        link.starts_with(&app.url("/dashboard/reset-password#token=")),
        "{link}"
    );
    assert!(
        mail.html.contains(&link),
        "the HTML part carries the same link"
    );
    assert!(mail.text.contains("30 dakika"));

    let token = mail.token();
    assert_eq!(
        app.gql(None, VALID, json!({ "t": token })).await["data"]["passwordResetTokenValid"],
        true
    );
    assert_eq!(
        reset(&app, &token, NEW_PASSWORD).await,
        json!({ "data": { "resetPassword": true } })
    );

    assert_eq!(
        login_code(&app, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .as_deref(),
        Some("UNAUTHENTICATED")
    );
    app.login(ADMIN_EMAIL, NEW_PASSWORD).await;
    assert_eq!(
        app.gql(Some(&session), "{ me { id } }", json!({})).await["data"]["me"],
        json!(null)
    );
    let notice = wait_for(&smtp.inbox(), ADMIN_EMAIL, "Parolanız değiştirildi").await;
    assert!(!notice.text.contains(NEW_PASSWORD));
}

db_test!(async fn forgot_password_end_to_end_over_the_file_outbox(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await["data"]["resetPassword"], true);
    app.login(ADMIN_EMAIL, NEW_PASSWORD).await;
    wait_for(&app.outbox(), ADMIN_EMAIL, "Parolanız değiştirildi").await;
});

db_test!(async fn the_answer_is_the_same_for_known_unknown_and_disabled_accounts(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.create_admin("disabled@example.com", ADMIN_PASSWORD).await;
    app.exec_sql("UPDATE users SET disabled = TRUE WHERE email = 'disabled@example.com'").await;
    let mut answers = Vec::new();
    for email in ["nobody@example.com", "disabled@example.com", ADMIN_EMAIL, "not an address"] {
        let response = app.post_gql(None, REQUEST, json!({ "e": email })).await;
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    wait_for(&app.outbox(), ADMIN_EMAIL, "Parola").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(read_folder(&app.outbox()).len(), 1, "only the enabled account got mail");
});

db_test!(async fn a_link_expires_after_thirty_minutes(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(app.gql(None, VALID, json!({ "t": token })).await["data"]["passwordResetTokenValid"], false);
    let body = reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("invalid or has expired"));
});

db_test!(async fn a_link_works_only_once(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await["data"]["resetPassword"], true);
    let again = reset(&app, &token, "başka bir parola seçtim").await;
    assert_eq!(error_code(&again), "BAD_USER_INPUT");
    app.login(ADMIN_EMAIL, NEW_PASSWORD).await;
});

db_test!(async fn twenty_simultaneous_resets_with_one_token_succeed_exactly_once(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    let attempts = (0..20).map(|i| {
        let (app, token) = (&app, token.clone());
        async move { reset(app, &token, &format!("eşzamanlı deneme {i}")).await }
    });
    let results = futures_util::future::join_all(attempts).await;
    let winners: Vec<usize> = results.iter().enumerate().filter(|(_, r)| r["data"]["resetPassword"] == true).map(|(i, _)| i).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for (i, result) in results.iter().enumerate() {
        if i != winners[0] {
            assert_eq!(error_code(result), "BAD_USER_INPUT", "{result}");
        }
    }
    app.login(ADMIN_EMAIL, &format!("eşzamanlı deneme {}", winners[0])).await;
});

db_test!(async fn an_email_change_token_cannot_reset_a_password(app) {
    let session = app.admin_token().await;
    app.gql(
        Some(&session),
        "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }",
        json!({ "e": "new@example.com", "p": ADMIN_PASSWORD }),
    )
    .await;
    let token = wait_for(&app.outbox(), "new@example.com", "onaylayın").await.token();
    assert_eq!(app.gql(None, VALID, json!({ "t": token })).await["data"]["passwordResetTokenValid"], false);
    assert_eq!(error_code(&reset(&app, &token, NEW_PASSWORD).await), "BAD_USER_INPUT");
});

db_test!(async fn a_token_resets_only_its_own_account(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.create_admin("second@example.com", ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    reset(&app, &token, NEW_PASSWORD).await;
    app.login("second@example.com", ADMIN_PASSWORD).await;
    assert_eq!(login_code(&app, "second@example.com", NEW_PASSWORD).await.as_deref(), Some("UNAUTHENTICATED"));
});

db_test!(async fn a_new_request_replaces_the_earlier_link(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let first = reset_token_from_outbox(&app).await;
    app.clock.advance(chrono::Duration::minutes(16));
    request_reset(&app, ADMIN_EMAIL).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let second = loop {
        let tokens: Vec<String> = read_folder(&app.outbox()).iter().filter(|m| m.subject.contains("Parola sıfırlama")).map(|m| m.token()).collect();
        if let Some(t) = tokens.into_iter().find(|t| *t != first) {
            break t;
        }
        assert!(std::time::Instant::now() < deadline, "second e-mail never came");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(app.gql(None, VALID, json!({ "t": first })).await["data"]["passwordResetTokenValid"], false);
    assert_eq!(app.gql(None, VALID, json!({ "t": second })).await["data"]["passwordResetTokenValid"], true);
});

db_test!(async fn at_most_one_email_per_account_per_fifteen_minutes(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(request_reset(&app, ADMIN_EMAIL).await["data"]["requestPasswordReset"], true);
    }
    wait_for(&app.outbox(), ADMIN_EMAIL, "Parola").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(read_folder(&app.outbox()).len(), 1);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM one_time_tokens").await, 1);
});

db_test!(async fn more_than_five_requests_a_minute_from_one_address_send_nothing(app) {
    for i in 0..6 {
        app.create_admin(&format!("admin{i}@example.com"), ADMIN_PASSWORD).await;
    }
    for i in 0..6 {
        assert_eq!(request_reset(&app, &format!("admin{i}@example.com")).await["data"]["requestPasswordReset"], true);
    }
    wait_for(&app.outbox(), "admin4@example.com", "Parola").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(read_folder(&app.outbox()).len(), 5);
    assert!(!read_folder(&app.outbox()).iter().any(|m| m.to == "admin5@example.com"));
});

db_test!(async fn networks_of_one_block_share_four_addresses_worth_of_requests(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    for i in 0..21 {
        app.create_admin(&format!("admin{i}@example.com"), ADMIN_PASSWORD).await;
    }
    for i in 0..21 {
        let body = app.gql_from(&format!("2001:db8:3:{i:x}::1"), None, REQUEST, json!({ "e": format!("admin{i}@example.com") })).await;
        assert_eq!(body["data"]["requestPasswordReset"], true, "the answer is always the same");
    }
    wait_for(&app.outbox(), "admin19@example.com", "Parola").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = read_folder(&app.outbox());
    assert_eq!(sent.len(), 20);
    assert!(!sent.iter().any(|m| m.to == "admin20@example.com"));
});

db_test!(async fn reset_attempts_are_limited_to_twenty_a_minute_per_address(app) {
    for _ in 0..20 {
        assert_eq!(error_code(&reset(&app, &"A".repeat(43), NEW_PASSWORD).await), "BAD_USER_INPUT");
    }
    assert_eq!(error_code(&reset(&app, &"A".repeat(43), NEW_PASSWORD).await), "RATE_LIMITED");
});

db_test!(async fn the_link_comes_from_the_configured_public_url_not_the_host_header(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.client
        .post(app.url("/graphql"))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .json(&json!({ "query": REQUEST, "variables": { "e": ADMIN_EMAIL } }))
        .send()
        .await
        .unwrap();
    let mail = wait_for(&app.outbox(), ADMIN_EMAIL, "Parola").await;
    assert!(mail.link().starts_with(&app.url("/dashboard/reset-password#token=")));
    assert!(!mail.text.contains("evil.example") && !mail.html.contains("evil.example"));
});

db_test!(async fn the_database_holds_only_the_tokens_hash(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    assert_eq!(token.len(), 43, "32 random bytes in base64url");
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    assert_eq!(app.count_sql(&format!("SELECT COUNT(*) AS n FROM one_time_tokens WHERE token_hash = '{hash}'")).await, 1);
    assert_eq!(
        app.count_sql(&format!("SELECT COUNT(*) AS n FROM one_time_tokens WHERE token_hash = '{token}' OR new_email = '{token}'")).await,
        0
    );
});

db_test!(async fn malformed_tokens_get_one_clear_error_and_never_crash(app) {
    let long = "x".repeat(10_000);
    for token in ["", "a", "../../etc/passwd", "' OR 1=1 --", "ğüşiöç", long.as_str(), &"A".repeat(43)] {
        let body = reset(&app, token, NEW_PASSWORD).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{token}: {body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("invalid or has expired"));
        assert_eq!(app.gql(None, VALID, json!({ "t": token })).await["data"]["passwordResetTokenValid"], false);
    }
});

db_test!(async fn a_well_formed_bogus_token_costs_no_password_hash(app) {
    let hashes_before = app.app.auth.passwords().computed();
    for _ in 0..3 {
        let bogus = vitrin::auth::tokens::generate().raw;
        let body = reset(&app, &bogus, NEW_PASSWORD).await;
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("invalid or has expired"), "{body}");
    }
    assert_eq!(app.app.auth.passwords().computed(), hashes_before);
});

db_test!(async fn a_new_password_with_a_line_break_is_refused(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    let body = reset(&app, &token, "mavi deniz\nmavi deniz").await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("control characters"), "{body}");
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await["data"]["resetPassword"], true);
});

db_test!(async fn a_weak_new_password_is_refused_and_the_link_stays_usable(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = reset_token_from_outbox(&app).await;
    let body = reset(&app, &token, "12345678").await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("commonly used"));
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await["data"]["resetPassword"], true);
});

db_test!(async fn a_reset_lifts_the_sign_in_lock_for_the_account(app) {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for _ in 0..5 {
        login_code(&app, ADMIN_EMAIL, "wrong password").await;
    }
    assert_eq!(login_code(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.as_deref(), Some("RATE_LIMITED"));
    let token = reset_token_from_outbox(&app).await;
    reset(&app, &token, NEW_PASSWORD).await;
    app.login(ADMIN_EMAIL, NEW_PASSWORD).await;
});

db_test!(async fn a_reset_clears_every_throttle_of_the_account(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1"), {
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let from = |address: String, password: &'static str| {
        let app = &app;
        async move { login_code_from(app, &address, ADMIN_EMAIL, password).await }
    };
    for i in 0..100 {
        from(format!("198.51.{i}.1"), "wrong password").await;
    }
    from("203.0.113.9".to_owned(), "wrong password").await;
    assert_eq!(from("203.0.113.9".to_owned(), "wrong password").await.as_deref(), Some("RATE_LIMITED"));
    let token = reset_token_from_outbox(&app).await;
    reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(from("203.0.113.9".to_owned(), NEW_PASSWORD).await, None, "the address's lock went with the reset");
    for i in 0..5 {
        assert_eq!(from(format!("198.51.{i}.1"), "still wrong").await.as_deref(), Some("UNAUTHENTICATED"));
    }
});

async fn login_code_from(
    app: &TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> Option<String> {
    let body = app
        .gql_from(client, None, LOGIN, json!({ "e": email, "p": password }))
        .await;
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

db_test!(async fn an_english_speaking_user_gets_english_mail(app) {
    let session = app.admin_token().await;
    app.gql(Some(&session), "mutation { updateProfile(input: { locale: EN }) { locale } }", json!({})).await;
    request_reset(&app, ADMIN_EMAIL).await;
    let mail = wait_for(&app.outbox(), ADMIN_EMAIL, "Password reset").await;
    assert!(mail.text.contains("30 minutes"));
});

db_test!(async fn one_document_cannot_request_and_reset_together(app) {
    let body = app
        .gql(None, r#"mutation { requestPasswordReset(email: "a@example.com") resetPassword(token: "x", newPassword: "y") }"#, json!({}))
        .await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("Only one of"));
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_retried_until_the_smtp_server_answers_and_the_api_answer_is_unchanged() {
    let smtp = SmtpServer::on_free_port();
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite)
        .env("VITRIN_SMTP_URL", &smtp.url())
        .env("VITRIN_MAIL_RETRY_DELAY", "300ms")
        .env("VITRIN_MAIL_RETRIES", "6")
        .start()
        .await
    else {
        return;
    };
    app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        request_reset(&app, ADMIN_EMAIL).await,
        json!({ "data": { "requestPasswordReset": true } })
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let smtp = smtp.start();
    wait_for(&smtp.inbox(), ADMIN_EMAIL, "Parola sıfırlama").await;
}

//! The signed-in user's profile: name, language, password and e-mail changes.

use serde_json::json;

use crate::db_test;
use crate::support::mail::{read_folder, wait_for};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, error_code};

const CHANGE_PASSWORD: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
const REQUEST_EMAIL: &str =
    "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }";
const CONFIRM_EMAIL: &str = "mutation($t: String!) { confirmEmailChange(token: $t) { email } }";

db_test!(async fn update_profile_changes_only_the_given_fields(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), r#"mutation { updateProfile(input: { name: "  Ayşe Yılmaz " }) { name locale } }"#, json!({})).await;
    assert_eq!(body["data"]["updateProfile"], json!({ "name": "Ayşe Yılmaz", "locale": "TR" }));
    let body = app.gql(Some(&token), "mutation { updateProfile(input: { locale: EN }) { name locale } }", json!({})).await;
    assert_eq!(body["data"]["updateProfile"], json!({ "name": "Ayşe Yılmaz", "locale": "EN" }));
});

db_test!(async fn an_overlong_name_is_refused(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), "mutation($n: String) { updateProfile(input: { name: $n }) { name } }", json!({ "n": "a".repeat(101) })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
});

db_test!(async fn change_password_keeps_this_session_and_ends_the_others(app) {
    let current = app.admin_token().await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let body = app.gql(Some(&current), CHANGE_PASSWORD, json!({ "c": ADMIN_PASSWORD, "n": "yeni ve uzun parola" })).await;
    assert_eq!(body["data"]["changePassword"], true, "{body}");
    assert_eq!(app.gql(Some(&current), "{ me { email } }", json!({})).await["data"]["me"]["email"], ADMIN_EMAIL);
    assert_eq!(app.gql(Some(&other), "{ me { email } }", json!({})).await["data"]["me"], json!(null));
    app.login(ADMIN_EMAIL, "yeni ve uzun parola").await;
    let notice = wait_for(&app.outbox(), ADMIN_EMAIL, "Parolanız değiştirildi").await;
    assert!(!notice.text.contains("yeni ve uzun parola"));
});

db_test!(async fn change_password_refuses_a_wrong_current_password(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), CHANGE_PASSWORD, json!({ "c": "not it at all", "n": "yeni ve uzun parola" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
});

db_test!(async fn an_email_change_is_confirmed_from_the_new_address(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": "New@Example.com", "p": ADMIN_PASSWORD })).await;
    assert_eq!(body["data"]["requestEmailChange"], true, "{body}");
    wait_for(&app.outbox(), ADMIN_EMAIL, "değişikliği istendi").await;
    let confirmation = wait_for(&app.outbox(), "new@example.com", "onaylayın").await;
    assert!(confirmation.link().starts_with(&app.url("/dashboard/confirm-email#token=")));
    let body = app.gql(None, CONFIRM_EMAIL, json!({ "t": confirmation.token() })).await;
    assert_eq!(body["data"]["confirmEmailChange"]["email"], "new@example.com");
    app.login("new@example.com", ADMIN_PASSWORD).await;
    assert_eq!(error_code(&app.gql(None, CONFIRM_EMAIL, json!({ "t": confirmation.token() })).await), "BAD_USER_INPUT");
});

db_test!(async fn an_old_reset_link_dies_when_the_email_changes(app) {
    let token = app.admin_token().await;
    app.gql(None, "mutation { requestPasswordReset(email: \"owner@example.com\") }", json!({})).await;
    let reset_link = wait_for(&app.outbox(), ADMIN_EMAIL, "Parola sıfırlama").await;
    app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": "new@example.com", "p": ADMIN_PASSWORD })).await;
    let confirmation = wait_for(&app.outbox(), "new@example.com", "onaylayın").await;
    let body = app.gql(None, CONFIRM_EMAIL, json!({ "t": confirmation.token() })).await;
    assert_eq!(body["data"]["confirmEmailChange"]["email"], "new@example.com", "{body}");
    let reset = app
        .gql(None, "mutation($t: String!) { resetPassword(token: $t, newPassword: \"ele geçirilmiş parola\") }", json!({ "t": reset_link.token() }))
        .await;
    assert_eq!(error_code(&reset), "BAD_USER_INPUT", "{reset}");
    app.login("new@example.com", ADMIN_PASSWORD).await;
});

db_test!(async fn applying_an_email_change_ends_other_sessions_and_tells_the_old_address(app) {
    let here = app.admin_token().await;
    let elsewhere = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.gql(Some(&here), REQUEST_EMAIL, json!({ "e": "new@example.com", "p": ADMIN_PASSWORD })).await;
    let confirmation = wait_for(&app.outbox(), "new@example.com", "onaylayın").await;
    app.gql(Some(&here), CONFIRM_EMAIL, json!({ "t": confirmation.token() })).await;
    let me = "{ me { email } }";
    assert_eq!(app.gql(Some(&here), me, json!({})).await["data"]["me"]["email"], "new@example.com");
    assert_eq!(app.gql(Some(&elsewhere), me, json!({})).await["data"]["me"], json!(null));
    let notice = wait_for(&app.outbox(), ADMIN_EMAIL, "E-posta adresiniz değiştirildi").await;
    assert!(notice.text.contains("new@example.com"), "{}", notice.text);
});

db_test!(async fn an_address_in_use_gets_the_same_answer_and_no_confirmation(app) {
    let token = app.admin_token().await;
    app.create_admin("taken@example.com", ADMIN_PASSWORD).await;
    let taken = app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": "taken@example.com", "p": ADMIN_PASSWORD })).await;
    let free = app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": "free@example.com", "p": ADMIN_PASSWORD })).await;
    assert_eq!(taken, free);
    wait_for(&app.outbox(), "free@example.com", "onaylayın").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!read_folder(&app.outbox()).iter().any(|m| m.to == "taken@example.com"));
});

db_test!(async fn an_address_the_mailer_cannot_send_to_is_refused(app) {
    let token = app.admin_token().await;
    for address in ["x@[127.0.0.1]", "\"a b\"@example.com"] {
        let body = app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": address, "p": ADMIN_PASSWORD })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{address}: {body}");
    }
    let contact = app
        .gql(None, "mutation($e: String!) { submitContactMessage(input: { name: \"Ayşe\", email: $e, message: \"Merhaba\" }) }", json!({ "e": "x@[127.0.0.1]" }))
        .await;
    assert_eq!(error_code(&contact), "BAD_USER_INPUT", "{contact}");
});

db_test!(async fn an_email_change_needs_the_current_password(app) {
    let token = app.admin_token().await;
    let body = app.gql(Some(&token), REQUEST_EMAIL, json!({ "e": "new@example.com", "p": "not the password" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
});

db_test!(async fn mistyping_the_current_password_is_limited_but_never_locks_sign_in(app) {
    let token = app.admin_token().await;
    for _ in 0..5 {
        let body = app.gql(Some(&token), CHANGE_PASSWORD, json!({ "c": "yanlış parola", "n": "yeni ve uzun parola" })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
    }
    let body = app.gql(Some(&token), CHANGE_PASSWORD, json!({ "c": ADMIN_PASSWORD, "n": "yeni ve uzun parola" })).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
});

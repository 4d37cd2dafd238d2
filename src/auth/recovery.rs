//! Forgotten passwords: e-mailed one-time links (OWASP Forgot Password cheat sheet).
//! Requests answer the same whatever the account; the work happens in the background.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Role, User, clear_account_throttles, normalize_email, passwords, tokens};
use crate::app::{App, AppState};
use crate::db::tokens::NewToken;
use crate::db::{Conn, sessions, tokens as token_rows, users};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::throttle::{Limit, too_many_attempts};

/// Reset requests per client address.
pub const RESET_REQUESTS_PER_ADDRESS: Limit = Limit::per(5, Duration::from_secs(60));
/// Reset (and link check) attempts per client address.
pub const RESET_ATTEMPTS_PER_ADDRESS: Limit = Limit::per(20, Duration::from_secs(60));
/// At most one reset e-mail per account in this window.
pub const RESET_MAIL_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The purpose stored with password reset tokens.
pub const PASSWORD_RESET: &str = "PASSWORD_RESET";
/// The purpose stored with e-mail change tokens.
pub const EMAIL_CHANGE: &str = "EMAIL_CHANGE";

/// The one answer for every unusable link.
pub const INVALID_LINK: &str = "This link is invalid or has expired. Ask for a new one.";

/// Starts a password reset for `email` if it names an enabled account. Returns at once,
/// the same way whatever happens; over-limit requests are logged and do nothing.
pub fn request_password_reset(app: &AppState, email: &str, client: IpAddr) {
    if app
        .throttle
        .hit(
            &crate::throttle::client_key("reset-request", client),
            RESET_REQUESTS_PER_ADDRESS,
        )
        .is_err()
    {
        tracing::warn!(%client, "password reset requests over the per-address limit; nothing sent");
        return;
    }
    let Some(email) = normalize_email(email) else {
        tracing::info!(%client, "password reset requested for a malformed address; nothing sent");
        return;
    };
    let app = app.clone();
    tokio::spawn(async move {
        if let Err(e) = issue_reset(&app, &email).await {
            tracing::error!(error = ?e, "issuing a password reset failed");
        }
    });
}

async fn issue_reset(app: &App, email: &str) -> AppResult<()> {
    let now = app.clock.now();
    let ttl = chrono::Duration::from_std(app.config.reset_token_ttl).map_err(AppError::internal)?;
    let mut tx = app.db.begin().await?;
    let result = create_reset_token(&mut tx.conn(), email, now, now + ttl).await;
    let Some((user, raw)) = tx.finish(result).await? else {
        return Ok(());
    };
    let link = reset_link(app, user.role, &raw);
    if app.mailer.outbox().is_some() {
        tracing::info!(%link, "password reset link (written to the outbox)");
    }
    let minutes = app.config.reset_token_ttl.as_secs() / 60;
    app.mailer.send(templates::password_reset(
        user.locale,
        &app.config.site_name,
        &user.email,
        &link,
        minutes,
    ));
    Ok(())
}

async fn create_reset_token(
    conn: &mut Conn<'_>,
    email: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> AppResult<Option<(User, String)>> {
    let Some(row) = users::find_by_email(conn, email).await? else {
        tracing::info!("password reset requested for an unknown address; nothing sent");
        return Ok(None);
    };
    if row.disabled {
        tracing::info!(
            user = row.id,
            "password reset requested for a disabled account; nothing sent"
        );
        return Ok(None);
    }
    let now_ms = now.timestamp_millis();
    let window_start = now_ms - i64::try_from(RESET_MAIL_WINDOW.as_millis()).unwrap_or(i64::MAX);
    if !users::claim_reset_mail(conn, row.id, now_ms, window_start).await? {
        tracing::warn!(
            user = row.id,
            "a reset e-mail was already sent within 15 minutes; nothing sent"
        );
        return Ok(None);
    }
    token_rows::delete_unused(conn, row.id, Some(PASSWORD_RESET)).await?;
    let secret = tokens::generate();
    token_rows::insert(
        conn,
        &NewToken {
            token_hash: &secret.hash,
            user_id: row.id,
            purpose: PASSWORD_RESET,
            new_email: None,
            created_at: now_ms,
            expires_at: expires_at.timestamp_millis(),
        },
    )
    .await?;
    Ok(Some((row.into(), secret.raw)))
}

/// The page that opens a reset link: the token rides in the fragment, which browsers
/// never send to servers or in `Referer`.
fn reset_link(app: &App, role: Role, raw: &str) -> String {
    let page = match role {
        Role::Admin => "/dashboard/reset-password",
        Role::Customer => "/account/reset-password",
    };
    app.config.public_link(&format!("{page}#token={raw}"))
}

/// Counts one use of a reset link (checked or submitted) against the address's budget.
fn count_reset_attempt(app: &App, client: IpAddr) -> AppResult<()> {
    app.throttle
        .hit(
            &crate::throttle::client_key("reset-attempt", client),
            RESET_ATTEMPTS_PER_ADDRESS,
        )
        .map_err(too_many_attempts)
}

/// Whether a reset link can still be used (for the page to check before showing its form).
pub async fn reset_token_usable(app: &App, token: &str, client: IpAddr) -> AppResult<bool> {
    count_reset_attempt(app, client)?;
    if !tokens::well_formed(token) {
        return Ok(false);
    }
    let now = app.clock.now().timestamp_millis();
    Ok(token_rows::is_usable(
        &mut app.db.read().await?.conn(),
        &tokens::hash(token),
        PASSWORD_RESET,
        now,
    )
    .await?)
}

/// Sets a new password through a reset link: consumes the link, ends every session,
/// voids the user's other links, clears sign-in throttling, and sends a notice.
pub async fn reset_password(
    app: &App,
    token: &str,
    new_password: &str,
    client: IpAddr,
) -> AppResult<()> {
    count_reset_attempt(app, client)?;
    if !tokens::well_formed(token) {
        return Err(AppError::bad_input(INVALID_LINK));
    }
    passwords::check_policy(new_password).map_err(AppError::bad_input)?;
    // A link that cannot work costs a lookup, not a password hash; the transaction
    // below still consumes it conditionally.
    let token_hash = tokens::hash(token);
    let usable = token_rows::is_usable(
        &mut app.db.read().await?.conn(),
        &token_hash,
        PASSWORD_RESET,
        app.clock.now().timestamp_millis(),
    )
    .await?;
    if !usable {
        return Err(AppError::bad_input(INVALID_LINK));
    }
    let hash = app.passwords.hash(new_password).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let result = apply_reset(&mut tx.conn(), &token_hash, &hash, now.timestamp_millis()).await;
    let user = tx.finish(result).await?;
    clear_account_throttles(app, &user);
    tracing::info!(user = user.id, "password reset through an e-mailed link");
    super::notify_password_changed(app, &user, now);
    Ok(())
}

async fn apply_reset(
    conn: &mut Conn<'_>,
    token_hash: &str,
    password_hash: &str,
    now: i64,
) -> AppResult<User> {
    let Some((user_id, _)) = token_rows::consume(conn, token_hash, PASSWORD_RESET, now).await?
    else {
        return Err(AppError::bad_input(INVALID_LINK));
    };
    let user = match users::find(conn, user_id).await? {
        Some(row) if !row.disabled => User::from(row),
        _ => return Err(AppError::bad_input(INVALID_LINK)),
    };
    users::update_password(conn, user.id, password_hash, now).await?;
    sessions::delete_for_user(conn, user.id, None).await?;
    token_rows::delete_unused(conn, user.id, None).await?;
    Ok(user)
}

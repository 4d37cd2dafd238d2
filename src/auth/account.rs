//! A signed-in user's own account: profile, password change, e-mail change.

use std::net::IpAddr;
use std::time::Duration;

use super::recovery::{EMAIL_CHANGE, INVALID_LINK, RESET_ATTEMPTS_PER_ADDRESS};
use super::{LOGIN_FAILURES_PER_ACCOUNT, Locale, User, normalize_email, passwords, tokens};
use crate::app::App;
use crate::db::tokens::NewToken;
use crate::db::users::ProfileChanges;
use crate::db::{self, Conn, sessions, tokens as token_rows, users};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::throttle::{Limit, too_many_attempts};

/// E-mail change requests per account.
pub const EMAIL_CHANGES_PER_ACCOUNT: Limit = Limit::per(5, Duration::from_secs(3600));
/// Longest display name.
pub const MAX_NAME_LENGTH: usize = 100;

/// Changes the name and/or language; fields left `None` stay as they are.
pub async fn update_profile(
    app: &App,
    user: &User,
    name: Option<&str>,
    locale: Option<Locale>,
) -> AppResult<User> {
    let name = name.map(str::trim);
    if let Some(name) = name {
        if name.chars().count() > MAX_NAME_LENGTH {
            return Err(AppError::bad_input(format!(
                "The name must be at most {MAX_NAME_LENGTH} characters long."
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(AppError::bad_input(
                "The name cannot contain control characters.",
            ));
        }
    }
    let changes = ProfileChanges {
        name,
        locale: locale.map(Locale::as_code),
        updated_at: app.clock.now().timestamp_millis(),
    };
    let row = users::update_profile(&mut app.db.write().await?.conn(), user.id, &changes).await?;
    Ok(row.into())
}

/// Checks the current password (5 failures per 15 minutes per account).
async fn verify_current_password(app: &App, user: &User, password: &str) -> AppResult<()> {
    // Its own budget: a typo on the profile page never locks the owner out of signing in,
    // and a stolen session still cannot guess the password quickly.
    let key = format!("{}password-check", super::user_throttle_prefix(user.id));
    app.throttle
        .hit(&key, LOGIN_FAILURES_PER_ACCOUNT)
        .map_err(too_many_attempts)?;
    let row = users::find(&mut app.db.read().await?.conn(), user.id).await?;
    let hash = row.as_ref().map(|r| r.password_hash.as_str());
    if !app.passwords.verify(password, hash).await? {
        return Err(AppError::bad_input("The current password is wrong."));
    }
    app.throttle.undo(&key);
    Ok(())
}

/// Changes the password: keeps the current session, ends the others, voids outstanding
/// links, and sends a notice.
pub async fn change_password(
    app: &App,
    session_id: i64,
    user: &User,
    current: &str,
    new: &str,
) -> AppResult<()> {
    verify_current_password(app, user, current).await?;
    passwords::check_policy(new).map_err(AppError::bad_input)?;
    if current == new {
        return Err(AppError::bad_input(
            "The new password must differ from the current one.",
        ));
    }
    let hash = app.passwords.hash(new).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let result = store_new_password(
        &mut tx.conn(),
        user.id,
        session_id,
        &hash,
        now.timestamp_millis(),
    )
    .await;
    tx.finish(result).await?;
    super::notify_password_changed(app, user, now);
    Ok(())
}

async fn store_new_password(
    conn: &mut Conn<'_>,
    user_id: i64,
    keep_session: i64,
    hash: &str,
    now: i64,
) -> AppResult<()> {
    users::update_password(conn, user_id, hash, now).await?;
    sessions::delete_for_user(conn, user_id, Some(keep_session)).await?;
    token_rows::delete_unused(conn, user_id, None).await?;
    Ok(())
}

/// Starts an e-mail change: a confirmation link to the new address, a notice to the
/// current one. An address already in use looks the same from outside.
pub async fn request_email_change(
    app: &App,
    user: &User,
    new_email: &str,
    current_password: &str,
) -> AppResult<()> {
    let new_email = normalize_email(new_email)
        .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address."))?;
    if new_email == user.email {
        return Err(AppError::bad_input("That is already your e-mail address."));
    }
    verify_current_password(app, user, current_password).await?;
    app.throttle
        .hit(
            &format!("{}email-change", super::user_throttle_prefix(user.id)),
            EMAIL_CHANGES_PER_ACCOUNT,
        )
        .map_err(too_many_attempts)?;
    let site = &app.config.site_name;
    let taken = users::find_by_email(&mut app.db.read().await?.conn(), &new_email)
        .await?
        .is_some();
    if taken {
        tracing::info!(
            user = user.id,
            "e-mail change requested to an address in use; no confirmation sent"
        );
    } else {
        let now = app.clock.now();
        let ttl = chrono::Duration::from_std(app.config.email_change_token_ttl)
            .map_err(AppError::internal)?;
        let secret = tokens::generate();
        let mut tx = app.db.begin().await?;
        let result = replace_email_token(
            &mut tx.conn(),
            user.id,
            &new_email,
            &secret.hash,
            now.timestamp_millis(),
            (now + ttl).timestamp_millis(),
        )
        .await;
        tx.finish(result).await?;
        let link = app
            .config
            .public_link(&format!("/dashboard/confirm-email#token={}", secret.raw));
        if app.mailer.outbox().is_some() {
            tracing::info!(%link, "e-mail change link (written to the outbox)");
        }
        app.mailer.send(templates::email_change_confirmation(
            user.locale,
            site,
            &new_email,
            &link,
        ));
    }
    app.mailer.send(templates::email_change_requested(
        user.locale,
        site,
        &user.email,
    ));
    Ok(())
}

async fn replace_email_token(
    conn: &mut Conn<'_>,
    user_id: i64,
    new_email: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> AppResult<()> {
    token_rows::delete_unused(conn, user_id, Some(EMAIL_CHANGE)).await?;
    token_rows::insert(
        conn,
        &NewToken {
            token_hash,
            user_id,
            purpose: EMAIL_CHANGE,
            new_email: Some(new_email),
            created_at: now,
            expires_at,
        },
    )
    .await?;
    Ok(())
}

/// Applies an e-mail change through its confirmation link: every unused link of the
/// user is voided (a reset link sent to the old mailbox must not work any more), the
/// user's other sessions end (`keep_session` is the confirming browser's own, when it is
/// signed in as that user), and the old address is told.
pub async fn confirm_email_change(
    app: &App,
    token: &str,
    client: IpAddr,
    keep_session: Option<(i64, &User)>,
) -> AppResult<User> {
    app.throttle
        .hit(
            &crate::throttle::client_key("email-confirm", client),
            RESET_ATTEMPTS_PER_ADDRESS,
        )
        .map_err(too_many_attempts)?;
    if !tokens::well_formed(token) {
        return Err(AppError::bad_input(INVALID_LINK));
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let result = apply_email_change(
        &mut tx.conn(),
        &tokens::hash(token),
        now.timestamp_millis(),
        keep_session,
    )
    .await;
    let (old, user) = tx.finish(result).await?;
    tracing::info!(user = user.id, "e-mail address changed");
    app.mailer.send(templates::email_changed(
        user.locale,
        &app.config.site_name,
        &old.email,
        &user.email,
        now,
    ));
    Ok(user)
}

/// Answers the user as it was and as it is now.
async fn apply_email_change(
    conn: &mut Conn<'_>,
    token_hash: &str,
    now: i64,
    keep_session: Option<(i64, &User)>,
) -> AppResult<(User, User)> {
    let Some((user_id, Some(new_email))) =
        token_rows::consume(conn, token_hash, EMAIL_CHANGE, now).await?
    else {
        return Err(AppError::bad_input(INVALID_LINK));
    };
    let old = match users::find(conn, user_id).await? {
        Some(row) if !row.disabled => User::from(row),
        _ => return Err(AppError::bad_input(INVALID_LINK)),
    };
    let updated = match users::update_email(conn, user_id, &new_email, now).await {
        Ok(row) => User::from(row),
        Err(e) if db::is_unique_violation(&e) => {
            return Err(AppError::bad_input(
                "This e-mail address is now used by another account.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    token_rows::delete_unused(conn, user_id, None).await?;
    let keep = keep_session
        .filter(|(_, viewer)| viewer.id == user_id)
        .map(|(session, _)| session);
    sessions::delete_for_user(conn, user_id, keep).await?;
    Ok((old, updated))
}

//! Accounts, sign-in and sessions: the rules, independent of GraphQL.

pub mod account;
pub mod passwords;
pub mod recovery;
pub mod tokens;

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::db::users::{NewUser, UserRow};
use crate::db::{self, sessions, users};
use crate::error::{AppError, AppResult};
use crate::throttle::{Limit, client_key, too_many_attempts};

/// Failed sign-ins allowed per account and client address.
pub const LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit::per(5, Duration::from_secs(15 * 60));
/// Failed sign-ins of an account from all addresses together past which it counts as
/// under attack (ASVS: ≤ 100 an hour).
pub const LOGIN_FAILURES_PER_ACCOUNT_TOTAL: Limit = Limit::per(100, Duration::from_secs(3600));
/// Failed sign-ins allowed per account and client address while the account is under
/// attack: every guesser's address gets one guess an hour, and the owner, signing in
/// from an address that has not failed, is never refused for other people's failures.
pub const LOGIN_FAILURES_PER_ACCOUNT_UNDER_ATTACK: Limit = Limit::per(1, Duration::from_secs(3600));
/// Failed sign-ins allowed per client address, whatever the account.
pub const LOGIN_FAILURES_PER_ADDRESS: Limit = Limit::per(20, Duration::from_secs(15 * 60));

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Customer,
}

impl Role {
    fn as_db(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Customer => "CUSTOMER",
        }
    }
}

/// The language of a user's e-mails and dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Tr,
    En,
}

impl Locale {
    /// The stored code (`tr`, `en`).
    pub fn as_code(self) -> &'static str {
        match self {
            Locale::Tr => "tr",
            Locale::En => "en",
        }
    }

    fn from_code(code: &str) -> Self {
        if code == "en" { Locale::En } else { Locale::Tr }
    }
}

/// An account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            role: if row.role == "ADMIN" {
                Role::Admin
            } else {
                Role::Customer
            },
            locale: Locale::from_code(&row.locale),
            disabled: row.disabled,
            created_at: from_millis(row.created_at),
            updated_at: from_millis(row.updated_at),
        }
    }
}

/// Converts a stored Unix-millisecond timestamp.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Who is making a request.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// No credentials were presented.
    Anonymous,
    /// Credentials were presented but name no live session (expired, signed out, forged).
    SessionEnded,
    /// A live session.
    SignedIn { session_id: i64, user: User },
}

impl Viewer {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        match self {
            Viewer::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }
}

/// Lower-cases and trims an e-mail address; `None` when it cannot be one. Accepted are
/// exactly the plain addresses the mailer can send to (its own parser decides), with a
/// dotted domain name: no display names, quoted local parts or `[1.2.3.4]` literals.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with(['.', '['])
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@');
    let sendable = email
        .parse::<lettre::message::Mailbox>()
        .is_ok_and(|mailbox| mailbox.name.is_none() && mailbox.email.to_string() == email);
    (plausible && sendable).then_some(email)
}

/// A signed-in session: the token goes to the client, only its hash is kept.
pub struct NewSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// Checks credentials and opens a session. Unknown e-mail, wrong password and a
/// disabled account answer the same, after the same work. Every attempt counts against
/// the limits before the password is checked, so parallel guesses cannot slip past
/// them; a successful one is taken back. Failures from many addresses slow each of
/// those addresses down ([`LOGIN_FAILURES_PER_ACCOUNT_UNDER_ATTACK`]) but never refuse
/// the account's owner at an address of their own.
pub async fn login(
    app: &App,
    email: &str,
    password: &str,
    client: IpAddr,
) -> AppResult<NewSession> {
    let email = normalize_email(email).unwrap_or_else(|| "(not an address)".to_owned());
    let keys = LoginKeys::new(&email, client);
    let total = LOGIN_FAILURES_PER_ACCOUNT_TOTAL;
    let per_address_of_account =
        if app.throttle.count(&keys.account_total, total.window) >= total.max {
            LOGIN_FAILURES_PER_ACCOUNT_UNDER_ATTACK
        } else {
            LOGIN_FAILURES_PER_ACCOUNT
        };
    app.throttle
        .hit_all(&[
            (&keys.account_address, per_address_of_account),
            (&keys.address, LOGIN_FAILURES_PER_ADDRESS),
        ])
        .map_err(too_many_attempts)?;
    app.throttle.record(&keys.account_total);
    let row = users::find_by_email(&mut app.db.read().await?.conn(), &email).await?;
    let matches = app
        .passwords
        .verify(password, row.as_ref().map(|r| r.password_hash.as_str()))
        .await?;
    let user = match row {
        Some(row) if matches && !row.disabled => User::from(row),
        _ => {
            return Err(AppError::unauthenticated(
                "The e-mail address or the password is wrong.",
            ));
        }
    };
    app.throttle.undo(&keys.address);
    app.throttle.undo(&keys.account_total);
    // The owner's own typos at this address are forgiven; other addresses' are not.
    app.throttle.clear_prefix(&keys.account_address);
    open_session(app, user).await
}

/// The throttling keys of one sign-in attempt.
struct LoginKeys {
    /// This account from this client address.
    account_address: String,
    /// This account from anywhere.
    account_total: String,
    /// This client address, whatever the account.
    address: String,
}

impl LoginKeys {
    fn new(email: &str, client: IpAddr) -> Self {
        let account = account_throttle_prefix(email);
        LoginKeys {
            account_address: client_key(&format!("{account}login"), client),
            account_total: format!("{account}login-total"),
            address: client_key("login-ip", client),
        }
    }
}

/// The prefix of every throttling key of the account with this address (sign-in).
fn account_throttle_prefix(email: &str) -> String {
    format!("account:{email}:")
}

/// The prefix of every throttling key of the user with this id (profile checks).
pub(crate) fn user_throttle_prefix(user_id: i64) -> String {
    format!("user:{user_id}:")
}

/// Forgets every throttle of an account: after a password reset, its owner starts clean.
pub fn clear_account_throttles(app: &App, user: &User) {
    app.throttle
        .clear_prefix(&account_throttle_prefix(&user.email));
    app.throttle.clear_prefix(&user_throttle_prefix(user.id));
}

/// Opens a session for an authenticated user.
pub async fn open_session(app: &App, user: User) -> AppResult<NewSession> {
    let secret = tokens::generate();
    let now = app.clock.now();
    let ttl = match user.role {
        Role::Admin => app.config.admin_session_ttl,
        Role::Customer => app.config.customer_session_ttl,
    };
    let expires_at = now + chrono::Duration::from_std(ttl).map_err(AppError::internal)?;
    sessions::insert(
        &mut app.db.write().await?.conn(),
        &secret.hash,
        user.id,
        now.timestamp_millis(),
        expires_at.timestamp_millis(),
    )
    .await?;
    Ok(NewSession {
        token: secret.raw,
        expires_at,
        user,
    })
}

/// Finds who holds `token` (from the cookie or a Bearer header).
pub async fn resolve_session(app: &App, token: &str) -> AppResult<Viewer> {
    if !tokens::well_formed(token) {
        return Ok(Viewer::SessionEnded);
    }
    let now = app.clock.now().timestamp_millis();
    let found =
        sessions::find_live(&mut app.db.read().await?.conn(), &tokens::hash(token), now).await?;
    Ok(match found {
        Some((session, user)) if !user.disabled => Viewer::SignedIn {
            session_id: session.id,
            user: user.into(),
        },
        _ => Viewer::SessionEnded,
    })
}

/// Ends a session server-side.
pub async fn logout(app: &App, session_id: i64) -> AppResult<()> {
    sessions::delete(&mut app.db.write().await?.conn(), session_id).await?;
    Ok(())
}

/// Tells a user their password changed (never including it).
pub fn notify_password_changed(app: &App, user: &User, at: DateTime<Utc>) {
    app.mailer.send(crate::mail::templates::password_changed(
        user.locale,
        &app.config.site_name,
        &user.email,
        at,
    ));
}

/// Creates an administrator (the `create-admin` command).
pub async fn create_admin(app: &App, email: &str, password: &str) -> AppResult<User> {
    let email = normalize_email(email)
        .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address."))?;
    passwords::check_policy(password).map_err(AppError::bad_input)?;
    let hash = app.passwords.hash(password).await?;
    let now = app.clock.now().timestamp_millis();
    let new = NewUser {
        email: &email,
        name: "",
        password_hash: &hash,
        role: Role::Admin.as_db(),
        locale: Locale::Tr.as_code(),
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    match users::insert(&mut app.db.write().await?.conn(), &new).await {
        Ok(row) => Ok(row.into()),
        Err(e) if db::is_unique_violation(&e) => Err(AppError::conflict(format!(
            "An account with the e-mail address {email} already exists."
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Removes expired sessions (run periodically).
pub async fn sweep_expired_sessions(app: &App) -> AppResult<usize> {
    let now = app.clock.now().timestamp_millis();
    Ok(sessions::delete_expired(&mut app.db.write().await?.conn(), now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Owner@Example.COM ").as_deref(),
            Some("owner@example.com")
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        assert_eq!(normalize_email("a b@example.com"), None);
        assert_eq!(normalize_email("a..b@example.com"), None);
    }

    #[test]
    fn only_addresses_the_mailer_can_send_to_are_accepted() {
        for refused in [
            "x@[127.0.0.1]",
            "\"a b\"@example.com",
            "Evil<x@example.com>",
        ] {
            assert_eq!(normalize_email(refused), None, "{refused}");
        }
        for accepted in ["x@example.com", "ayşe@örnek.com.tr"] {
            let email = normalize_email(accepted).unwrap();
            assert!(email.parse::<lettre::message::Mailbox>().is_ok(), "{email}");
        }
    }
}

//! Accounts, sign-in and sessions: the rules, independent of GraphQL.

pub mod account;
pub mod cookies;
pub mod customers;
pub mod identities;
pub mod passwords;
pub mod providers;
pub mod recovery;
pub mod registration;
pub mod tokens;

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use crate::db::users::Role;
use crate::db::users::{NewUser, UserRow};
use crate::db::{self, sessions, users};
use crate::error::{AppError, AppResult};
pub use crate::locale::Locale;
use crate::mail::Mailer;
use crate::services::Services;
use crate::text::normalize_email;
use crate::throttle::{Limit, block_key, client_key, too_many_attempts};

use self::passwords::Passwords;
use self::providers::Providers;

/// Failed sign-ins allowed per account and client address (and [`Limit::for_block`]
/// per account and block of networks, here and below).
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

/// An account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub disabled: bool,
    /// When the owner proved the mailbox; `None` until then (no checkout before).
    pub email_verified_at: Option<DateTime<Utc>>,
    pub phone: Option<String>,
    pub marketing_opt_in: bool,
    /// Whether the account has a password (one made by Google or Facebook may not).
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role,
            locale: row.locale,
            disabled: row.disabled,
            email_verified_at: row.email_verified_at.map(Into::into),
            phone: row.phone,
            marketing_opt_in: row.marketing_opt_in,
            has_password: !row.password_hash.is_empty(),
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
        }
    }
}

/// Who is making a request.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// No credentials were presented.
    Anonymous,
    /// Credentials were presented but name no live session (expired, signed out, forged).
    SessionEnded,
    /// A live session; `renewed_until` when this request extended it (the cookie
    /// holding it must be extended too).
    SignedIn {
        session_id: i64,
        user: User,
        renewed_until: Option<DateTime<Utc>>,
    },
}

impl Viewer {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        match self {
            Viewer::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The new end of a session this request extended.
    pub fn renewed_until(&self) -> Option<DateTime<Utc>> {
        match self {
            Viewer::SignedIn { renewed_until, .. } => *renewed_until,
            _ => None,
        }
    }
}

/// A signed-in session: the token goes to the client, only its hash is kept.
pub struct NewSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// One of a user's sessions (a signed-in browser or script).
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Accounts, sessions, password recovery and profile changes.
#[derive(Clone)]
pub struct Auth {
    svc: Services,
    passwords: Passwords,
    mailer: Mailer,
    providers: Providers,
}

impl Auth {
    /// The accounts domain; its e-mails with one-time links go out through `mailer`.
    pub fn new(svc: Services, passwords: Passwords, mailer: Mailer, providers: Providers) -> Self {
        let auth = Auth {
            svc,
            passwords,
            mailer,
            providers,
        };
        auth.register_jobs();
        auth
    }

    /// Google and Facebook, as configured.
    pub fn providers(&self) -> &Providers {
        &self.providers
    }

    /// The password hasher (its counters feed `/metrics`).
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// Checks credentials and opens a session. Unknown e-mail, wrong password and a
    /// disabled account answer the same, after the same work. Every attempt counts
    /// against the limits before the password is checked, so parallel guesses cannot
    /// slip past them; a successful one is taken back. Failures from many addresses slow
    /// each of those addresses down ([`LOGIN_FAILURES_PER_ACCOUNT_UNDER_ATTACK`]) but
    /// never refuse the account's owner at an address of their own.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: IpAddr,
    ) -> AppResult<NewSession> {
        let throttle = &self.svc.throttle;
        let email = normalize_email(email).unwrap_or_else(|| "(not an address)".to_owned());
        let keys = LoginKeys::new(&email, client);
        let total = LOGIN_FAILURES_PER_ACCOUNT_TOTAL;
        let per_address_of_account =
            if throttle.count(&keys.account_total, total.window).await? >= total.max {
                LOGIN_FAILURES_PER_ACCOUNT_UNDER_ATTACK
            } else {
                LOGIN_FAILURES_PER_ACCOUNT
            };
        throttle
            .hit_all(&[
                (&keys.account_address, per_address_of_account),
                (&keys.account_block, per_address_of_account.for_block()),
                (&keys.address, LOGIN_FAILURES_PER_ADDRESS),
                (&keys.block, LOGIN_FAILURES_PER_ADDRESS.for_block()),
                (&keys.account_total, Limit::UNLIMITED),
            ])
            .await?
            .map_err(too_many_attempts)?;
        let row = users::find_by_email(&mut self.svc.db.read().await?.conn(), &email).await?;
        let matches = self
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
        throttle
            .undo(&[
                &keys.address,
                &keys.block,
                &keys.account_block,
                &keys.account_total,
            ])
            .await?;
        // The owner's own typos at this address are forgiven; other addresses' are not.
        throttle.forget(&[&keys.account_address]).await?;
        self.open_session(user).await
    }

    /// Opens a session for an authenticated user.
    pub async fn open_session(&self, user: User) -> AppResult<NewSession> {
        let secret = tokens::generate();
        let now = self.svc.clock.now();
        let expires_at = now + self.session_ttl(user.role)?;
        sessions::insert(
            &mut self.svc.db.write().await?.conn(),
            &secret.hash,
            user.id,
            now.into(),
            expires_at.into(),
        )
        .await?;
        Ok(NewSession {
            token: secret.raw,
            expires_at,
            user,
        })
    }

    /// How long a session of a user with `role` lasts.
    fn session_ttl(&self, role: Role) -> AppResult<chrono::Duration> {
        let config = &self.svc.config;
        let ttl = match role {
            Role::Admin => config.admin_session_ttl,
            Role::Customer => config.customer_session_ttl,
        };
        chrono::Duration::from_std(ttl).map_err(AppError::internal)
    }

    /// Finds who holds `token` (from the cookie or a Bearer header). A customer's
    /// session in use is extended to a full lifetime again, at most once a day (one
    /// write per session and day); an administrator's ends when it was set to.
    pub async fn resolve_session(&self, token: &str) -> AppResult<Viewer> {
        if !tokens::well_formed(token) {
            return Ok(Viewer::SessionEnded);
        }
        let now = self.svc.clock.now();
        let found = sessions::find_live(
            &mut self.svc.db.read().await?.conn(),
            &tokens::hash(token),
            now.into(),
        )
        .await?;
        let (session, user) = match found {
            Some((session, user)) if !user.disabled => (session, User::from(user)),
            _ => return Ok(Viewer::SessionEnded),
        };
        let mut renewed_until = None;
        if user.role == Role::Customer {
            let ttl = self.session_ttl(user.role)?;
            let due_before = now + ttl - chrono::Duration::days(1);
            if DateTime::<Utc>::from(session.expires_at) < due_before {
                let until = now + ttl;
                let extended = sessions::extend(
                    &mut self.svc.db.write().await?.conn(),
                    session.id,
                    due_before.into(),
                    until.into(),
                )
                .await?;
                renewed_until = extended.then_some(until);
            }
        }
        Ok(Viewer::SignedIn {
            session_id: session.id,
            user,
            renewed_until,
        })
    }

    /// Whether the session began within [`account::RECENT_SIGN_IN`]: what confirms the
    /// acts a stolen session must not do alone (connecting a provider, erasing an
    /// account without a password).
    pub async fn signed_in_recently(&self, session_id: i64) -> AppResult<bool> {
        let began = sessions::created_at(&mut self.svc.db.read().await?.conn(), session_id)
            .await?
            .map(DateTime::<Utc>::from);
        let recent =
            chrono::Duration::from_std(account::RECENT_SIGN_IN).map_err(AppError::internal)?;
        Ok(began.is_some_and(|began| began >= self.svc.clock.now() - recent))
    }

    /// Ends a session server-side.
    pub async fn logout(&self, session_id: i64) -> AppResult<()> {
        sessions::delete(&mut self.svc.db.write().await?.conn(), session_id).await?;
        Ok(())
    }

    /// The viewer's own live sessions, newest first.
    pub async fn sessions_of(&self, viewer: &User) -> AppResult<Vec<SessionInfo>> {
        let now = self.svc.clock.now().into();
        let rows =
            sessions::live_for_user(&mut self.svc.db.read().await?.conn(), viewer.id, now).await?;
        Ok(rows
            .into_iter()
            .map(|row| SessionInfo {
                id: row.id,
                created_at: row.created_at.into(),
                expires_at: row.expires_at.into(),
            })
            .collect())
    }

    /// Ends one of the viewer's sessions. The ownership rule every per-user row follows:
    /// the viewer's id is part of the query, and someone else's row answers exactly as
    /// a missing one does (NOT_FOUND), so ids reveal nothing.
    pub async fn end_session(&self, viewer: &User, id: i64) -> AppResult<()> {
        let ended =
            sessions::delete_owned(&mut self.svc.db.write().await?.conn(), id, viewer.id).await?;
        if !ended {
            return Err(AppError::not_found(
                "There is no session of yours with this id.",
            ));
        }
        Ok(())
    }

    /// Creates an administrator (the `create-admin` command).
    pub async fn create_admin(&self, email: &str, password: &str) -> AppResult<User> {
        let email = normalize_email(email)
            .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address."))?;
        passwords::check_policy(password).map_err(AppError::bad_input)?;
        let hash = self.passwords.hash(password).await?;
        let now = self.svc.clock.now().into();
        let new = NewUser {
            email: &email,
            name: "",
            password_hash: &hash,
            role: Role::Admin,
            locale: Locale::Tr,
            disabled: false,
            created_at: now,
            updated_at: now,
            // The operator made the account with this address.
            email_verified_at: Some(now),
            marketing_opt_in: false,
            terms_accepted_at: None,
            search_text: search_text(&email, ""),
        };
        match users::insert(&mut self.svc.db.write().await?.conn(), &new).await {
            Ok(row) => Ok(row.into()),
            Err(e) if db::is_unique_violation(&e) => Err(AppError::conflict(format!(
                "An account with the e-mail address {email} already exists."
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes expired sessions and identity links nobody confirmed (run periodically).
    pub async fn sweep_expired_sessions(&self) -> AppResult<usize> {
        let now = self.svc.clock.now().into();
        let mut conn = self.svc.db.write().await?;
        db::identities::delete_expired_pending(&mut conn.conn(), now).await?;
        Ok(sessions::delete_expired(&mut conn.conn(), now).await?)
    }

    /// Forgets every throttle of an account: after a password reset, its owner starts clean.
    async fn clear_account_throttles(&self, user: &User) -> AppResult<()> {
        let throttle = &self.svc.throttle;
        throttle
            .clear_prefix(&account_throttle_prefix(&user.email))
            .await?;
        throttle.clear_prefix(&user_throttle_prefix(user.id)).await
    }

    fn register_jobs(&self) {
        self.register_recovery_jobs();
        self.register_account_jobs();
        self.register_registration_jobs();
    }
}

/// The throttling keys of one sign-in attempt.
struct LoginKeys {
    /// This account from this client address.
    account_address: String,
    /// This account from this client's block of networks.
    account_block: String,
    /// This account from anywhere.
    account_total: String,
    /// This client address, whatever the account.
    address: String,
    /// This client's block of networks, whatever the account.
    block: String,
}

impl LoginKeys {
    fn new(email: &str, client: IpAddr) -> Self {
        let account = format!("{}login", account_throttle_prefix(email));
        LoginKeys {
            account_address: client_key(&account, client),
            account_block: block_key(&account, client),
            account_total: format!("{account}-total"),
            address: client_key("login-ip", client),
            block: block_key("login-ip", client),
        }
    }
}

/// What the customers' list searches: the address and the name, folded.
fn search_text(email: &str, name: &str) -> String {
    crate::text::fold(&format!("{email} {name}"))
}

/// The prefix of every throttling key of the account with this address (sign-in).
fn account_throttle_prefix(email: &str) -> String {
    format!("account:{email}:")
}

/// The prefix of every throttling key of the user with this id (profile checks).
fn user_throttle_prefix(user_id: i64) -> String {
    format!("user:{user_id}:")
}

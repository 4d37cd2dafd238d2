//! Forgotten passwords: e-mailed one-time links (OWASP Forgot Password cheat sheet).
//! A request answers the same whatever the account: all it does is enqueue a job, which
//! looks the account up and sends at most one link per account per window. The link's
//! token is made when the mail is sent, so no usable token ever waits in the queue.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Auth, Role, User, passwords, tokens};
use crate::db::tokens::{NewToken, TokenPurpose};
use crate::db::{Conn, sessions, tokens as token_rows, users};
use crate::error::{AppError, AppResult};
use crate::jobs::{JobError, JobKind};
use crate::mail::{self, templates};
use crate::text::normalize_email;
use crate::throttle::{Limit, PublicLimits, too_many_attempts};
use crate::time::Timestamp;

/// Reset requests per client address, per block of networks and from everyone together
/// (each one queues a job: the total bounds what a botnet can write).
pub const RESET_REQUEST_LIMITS: PublicLimits = PublicLimits {
    per_network: Limit::per(5, Duration::from_secs(60)),
    per_block: Limit::per(5, Duration::from_secs(60)).for_block(),
    total: Limit::per(120, Duration::from_secs(60)),
};
/// Reset (and link check) attempts per client address ([`Limit::for_block`] per block).
pub const RESET_ATTEMPTS_PER_ADDRESS: Limit = Limit::per(20, Duration::from_secs(60));
/// At most one reset e-mail per account in this window.
pub const RESET_MAIL_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The one answer for every unusable link.
pub const INVALID_LINK: &str = "This link is invalid or has expired. Ask for a new one.";

/// Someone asked for a reset link for this address.
#[derive(Debug, Serialize, Deserialize)]
struct ResetRequested {
    email: String,
}

/// A reset link is due to this user, unless their links were voided since (a password
/// change or reset, an e-mail change: `auth_version` moved).
#[derive(Debug, Serialize, Deserialize)]
struct ResetLink {
    user_id: i64,
    auth_version: i64,
}

const RESET_REQUESTED: JobKind<ResetRequested> = JobKind::new("auth.reset-requested");
const RESET_LINK: JobKind<ResetLink> = JobKind::new("auth.reset-link");

impl Auth {
    /// Starts a password reset for `email`. Answers the same way, after the same work,
    /// whatever the address names; over-limit requests are logged and do nothing.
    pub async fn request_password_reset(&self, email: &str, client: IpAddr) -> AppResult<()> {
        if self
            .svc
            .throttle
            .hit_public("reset-request", client, &RESET_REQUEST_LIMITS)
            .await?
            .is_err()
        {
            tracing::warn!(%client, "password reset requests over the per-address limit; nothing sent");
            return Ok(());
        }
        let Some(email) = normalize_email(email) else {
            tracing::info!(%client, "password reset requested for a malformed address; nothing sent");
            return Ok(());
        };
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                let request = ResetRequested { email };
                jobs.enqueue(tx, &RESET_REQUESTED, &request, "password reset requested")
                    .await
            })
            .await?;
        Ok(())
    }

    pub(super) fn register_recovery_jobs(&self) {
        let auth = self.clone();
        self.svc
            .jobs
            .register(&RESET_REQUESTED, move |request: ResetRequested, _| {
                let auth = auth.clone();
                async move { auth.answer_reset_request(&request.email).await }
            });
        let auth = self.clone();
        self.svc
            .jobs
            .register(&RESET_LINK, move |link: ResetLink, _| {
                let auth = auth.clone();
                async move { auth.send_reset_link(link).await }
            });
    }

    /// Decides whether a link goes out: only to an enabled account, at most once per
    /// [`RESET_MAIL_WINDOW`] (claimed in the same transaction that queues the link).
    async fn answer_reset_request(&self, email: &str) -> Result<(), JobError> {
        let now = self.svc.clock.now();
        let window = chrono::Duration::from_std(RESET_MAIL_WINDOW).unwrap_or_default();
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                let Some(row) = users::find_by_email(&mut tx.conn(), email).await? else {
                    tracing::info!("password reset requested for an unknown address; nothing sent");
                    return Ok(());
                };
                if row.disabled {
                    tracing::info!(
                        user = row.id,
                        "password reset requested for a disabled account; nothing sent"
                    );
                    return Ok(());
                }
                let claimed = users::claim_reset_mail(
                    &mut tx.conn(),
                    row.id,
                    now.into(),
                    (now - window).into(),
                )
                .await?;
                if !claimed {
                    tracing::warn!(
                        user = row.id,
                        "a reset e-mail was already sent within 15 minutes; nothing sent"
                    );
                    return Ok(());
                }
                let summary = format!("password reset link for user {}", row.id);
                let link = ResetLink {
                    user_id: row.id,
                    auth_version: row.auth_version,
                };
                jobs.enqueue(tx, &RESET_LINK, &link, &summary).await?;
                Ok::<_, JobError>(())
            })
            .await
    }

    /// Makes a fresh reset token (voiding the user's earlier one) and mails its link. A
    /// retry makes another: only the link in the last mail works. Nothing is sent once
    /// the user's links were voided after the request.
    async fn send_reset_link(&self, link: ResetLink) -> Result<(), JobError> {
        let user_id = link.user_id;
        let now = self.svc.clock.now();
        let ttl = chrono::Duration::from_std(self.svc.config.reset_token_ttl)
            .map_err(|e| JobError::Permanent(e.into()))?;
        let secret = tokens::generate();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let user = match users::find(&mut tx.conn(), user_id).await? {
                    Some(row) if !row.disabled && row.auth_version == link.auth_version => {
                        User::from(row)
                    }
                    _ => return Ok(None),
                };
                replace_token(
                    &mut tx.conn(),
                    &user,
                    TokenPurpose::PasswordReset,
                    None,
                    &secret.hash,
                    now.into(),
                    (now + ttl).into(),
                )
                .await?;
                Ok::<_, JobError>(Some(user))
            })
            .await?;
        let Some(user) = user else {
            tracing::info!(
                user = user_id,
                "the account went away before its reset link was sent"
            );
            return Ok(());
        };
        let link = self.link_for(TokenPurpose::PasswordReset, user.role, &secret.raw);
        let minutes = self.svc.config.reset_token_ttl.as_secs() / 60;
        let mail = templates::password_reset(
            user.locale,
            &self.svc.config.site_name,
            &user.email,
            &link,
            minutes,
        );
        self.mailer.send(&mail, None).await
    }

    /// Counts one use of a reset link (checked or submitted) against the address's budget.
    async fn count_reset_attempt(&self, client: IpAddr) -> AppResult<()> {
        self.svc
            .throttle
            .hit_client("reset-attempt", client, RESET_ATTEMPTS_PER_ADDRESS)
            .await?
            .map_err(too_many_attempts)
    }

    /// Whether a reset link can still be used (for the page to check before showing its form).
    pub async fn reset_token_usable(&self, token: &str, client: IpAddr) -> AppResult<bool> {
        self.count_reset_attempt(client).await?;
        if !tokens::well_formed(token) {
            return Ok(false);
        }
        let now = self.svc.clock.now().into();
        Ok(token_rows::is_usable(
            &mut self.svc.db.read().await?.conn(),
            &tokens::hash(token),
            TokenPurpose::PasswordReset,
            now,
        )
        .await?)
    }

    /// Sets a new password through a reset link: consumes the link, ends every session,
    /// voids the user's other links, clears every throttle of the account, and tells
    /// the user (the notice commits with the change).
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        client: IpAddr,
    ) -> AppResult<()> {
        self.count_reset_attempt(client).await?;
        if !tokens::well_formed(token) {
            return Err(AppError::bad_input(INVALID_LINK));
        }
        passwords::check_policy(new_password).map_err(AppError::bad_input)?;
        // A link that cannot work costs a lookup, not a password hash; the transaction
        // below still consumes it conditionally.
        let token_hash = tokens::hash(token);
        let usable = token_rows::is_usable(
            &mut self.svc.db.read().await?.conn(),
            &token_hash,
            TokenPurpose::PasswordReset,
            self.svc.clock.now().into(),
        )
        .await?;
        if !usable {
            return Err(AppError::bad_input(INVALID_LINK));
        }
        let hash = self.passwords.hash(new_password).await?;
        let now = self.svc.clock.now();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let (user, _) = redeem(
                    &mut tx.conn(),
                    &token_hash,
                    TokenPurpose::PasswordReset,
                    now.into(),
                )
                .await?;
                users::update_password(&mut tx.conn(), user.id, &hash, now.into()).await?;
                // The link was opened from the mailbox: the address is proven.
                users::mark_verified(&mut tx.conn(), user.id, now.into()).await?;
                sessions::delete_for_user(&mut tx.conn(), user.id, None).await?;
                token_rows::delete_unused(&mut tx.conn(), user.id, None).await?;
                self.enqueue_password_changed(tx, &user, now).await?;
                Ok::<_, AppError>(user)
            })
            .await?;
        // The password is reset either way; a throttle left behind runs out by itself.
        if let Err(e) = self.clear_account_throttles(&user).await {
            tracing::warn!(user = user.id, error = ?e, "clearing the account's throttles failed");
        }
        tracing::info!(user = user.id, "password reset through an e-mailed link");
        Ok(())
    }

    /// Queues the notice that the password changed (never containing it).
    pub(super) async fn enqueue_password_changed(
        &self,
        tx: &mut crate::db::Tx,
        user: &User,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), crate::db::DbError> {
        let notice =
            templates::password_changed(user.locale, &self.svc.config.site_name, &user.email, at);
        mail::enqueue(&self.svc.jobs, tx, &notice).await
    }
}

/// Uses up an e-mailed link's token of `purpose`: its enabled user and (for e-mail
/// changes) the new address, or [`INVALID_LINK`] for anything else.
pub(super) async fn redeem(
    conn: &mut Conn<'_>,
    token_hash: &str,
    purpose: TokenPurpose,
    now: Timestamp,
) -> AppResult<(User, Option<String>)> {
    let Some((user_id, new_email)) = token_rows::consume(conn, token_hash, purpose, now).await?
    else {
        return Err(AppError::bad_input(INVALID_LINK));
    };
    match users::find(conn, user_id).await? {
        Some(row) if !row.disabled => Ok((User::from(row), new_email)),
        _ => Err(AppError::bad_input(INVALID_LINK)),
    }
}

/// Replaces the user's unused tokens of `purpose` with a new one.
pub(super) async fn replace_token(
    conn: &mut Conn<'_>,
    user: &User,
    purpose: TokenPurpose,
    new_email: Option<&str>,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), crate::db::DbError> {
    token_rows::delete_unused(conn, user.id, Some(purpose)).await?;
    token_rows::insert(
        conn,
        &NewToken {
            token_hash,
            user_id: user.id,
            purpose,
            new_email,
            created_at: now,
            expires_at,
        },
    )
    .await?;
    Ok(())
}

/// The page that opens an e-mailed link of `purpose` for a user with `role`.
fn link_page(purpose: TokenPurpose, role: Role) -> &'static str {
    match (purpose, role) {
        (TokenPurpose::PasswordReset, Role::Admin) => "/dashboard/reset-password",
        (TokenPurpose::PasswordReset, Role::Customer) => "/hesap/sifre-sifirla",
        (TokenPurpose::EmailChange, Role::Admin) => "/dashboard/confirm-email",
        (TokenPurpose::EmailChange, Role::Customer) => "/hesap/eposta-onayla",
        (TokenPurpose::EmailVerification, _) => "/hesap/dogrula",
    }
}

impl Auth {
    /// The address of an e-mailed link: the token rides in the fragment, which browsers
    /// never send to servers or in `Referer`. With the file outbox (no SMTP) it is also
    /// logged, so that a developer can follow it.
    pub(super) fn link_for(&self, purpose: TokenPurpose, role: Role, raw: &str) -> String {
        let page = link_page(purpose, role);
        let link = self.svc.config.public_link(&format!("{page}#token={raw}"));
        if self.mailer.outbox().is_some() {
            tracing::info!(%link, purpose = purpose.as_db(), "e-mailed link (written to the outbox)");
        }
        link
    }
}

//! A signed-in user's own account: profile, password change, e-mail change.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::recovery::{INVALID_LINK, RESET_ATTEMPTS_PER_ADDRESS, redeem, replace_token};
use super::{
    Auth, LOGIN_FAILURES_PER_ACCOUNT, Locale, Role, User, passwords, tokens, user_throttle_prefix,
};
use crate::db::tokens::TokenPurpose;
use crate::db::users::ProfileChanges;
use crate::db::{
    self, addresses, favorites, identities, product_shares, reviews, sessions,
    tokens as token_rows, users,
};
use crate::error::{AppError, AppResult};
use crate::jobs::{JobError, JobKind};
use crate::mail::{self, templates};
use crate::phone::normalize_turkish;
use crate::text::normalize_email;
use crate::throttle::{Limit, too_many_attempts};

/// E-mail change requests per account.
pub const EMAIL_CHANGES_PER_ACCOUNT: Limit = Limit::per(5, Duration::from_secs(3600));
/// How recent a sign-in must be to confirm erasing an account without a password.
pub const RECENT_SIGN_IN: Duration = Duration::from_secs(10 * 60);
/// Longest display name.
pub const MAX_NAME_LENGTH: usize = 100;

/// Profile changes; `None` leaves a field as it is (`phone: Some(None)` clears it).
#[derive(Debug, Default)]
pub struct ProfileUpdate<'a> {
    pub name: Option<&'a str>,
    pub locale: Option<Locale>,
    pub phone: Option<Option<&'a str>>,
    pub marketing_opt_in: Option<bool>,
}

/// A display name as people type it: trimmed, at most [`MAX_NAME_LENGTH`] characters,
/// no control characters.
pub fn display_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(format!(
            "The name must be at most {MAX_NAME_LENGTH} characters long."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("The name cannot contain control characters.".to_owned());
    }
    Ok(name)
}

/// A confirmation link is due to the new address of this user, unless their links were
/// voided since (`auth_version` moved) or a later change was asked for.
#[derive(Debug, Serialize, Deserialize)]
struct EmailChangeLink {
    user_id: i64,
    new_email: String,
    auth_version: i64,
    requested_at: DateTime<Utc>,
}

const EMAIL_CHANGE_LINK: JobKind<EmailChangeLink> = JobKind::new("auth.email-change-link");

impl Auth {
    /// Changes the profile; fields left `None` stay as they are.
    pub async fn update_profile(&self, user: &User, update: &ProfileUpdate<'_>) -> AppResult<User> {
        let name = update
            .name
            .map(display_name)
            .transpose()
            .map_err(|m| AppError::invalid("name", m))?;
        let phone = match update.phone {
            Some(Some(raw)) if !raw.trim().is_empty() => Some(Some(
                normalize_turkish(raw).map_err(|m| AppError::invalid("phone", m))?,
            )),
            Some(_) => Some(None),
            None => None,
        };
        let changes = ProfileChanges {
            name,
            locale: update.locale,
            phone: phone.as_ref().map(Option::as_deref),
            marketing_opt_in: update.marketing_opt_in,
            search_text: name.map(|name| super::search_text(&user.email, name)),
            updated_at: self.svc.clock.now().into(),
        };
        let row = users::update_profile(&mut self.svc.db.write().await?.conn(), user.id, &changes)
            .await?;
        Ok(row.into())
    }

    /// Erases the customer's account at their request (KVKK): the profile, phone,
    /// addresses and links go, the address and password are replaced so nobody can sign
    /// in as them, every session ends, their favourites go and their reviews lose their
    /// name; the row stays, anonymised, for the orders that refer to it. A notice goes to the address the account had. The request is
    /// confirmed with the password, or — for an account without one (made by Google or
    /// Facebook) — by a session begun within [`RECENT_SIGN_IN`].
    pub async fn delete_account(
        &self,
        session_id: i64,
        user: &User,
        current_password: &str,
    ) -> AppResult<()> {
        if user.role != Role::Customer {
            return Err(AppError::forbidden(
                "Administrator accounts are removed by the site's operator.",
            ));
        }
        if user.has_password {
            self.verify_current_password(user, current_password).await?;
        } else if !self.signed_in_recently(session_id).await? {
            return Err(AppError::bad_input(
                "Sign in again with Google or Facebook, then delete the account within 10 minutes.",
            ));
        }
        let now = self.svc.clock.now();
        let site = &self.svc.config.site_name;
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), user.id).await?;
                let notice = templates::account_deleted(user.locale, site, &user.email, now);
                mail::enqueue(jobs, tx, &notice).await?;
                addresses::delete_all(&mut tx.conn(), user.id).await?;
                identities::delete_all(&mut tx.conn(), user.id).await?;
                token_rows::delete_all(&mut tx.conn(), user.id).await?;
                sessions::delete_for_user(&mut tx.conn(), user.id, None).await?;
                for product in favorites::delete_all(&mut tx.conn(), user.id).await? {
                    favorites::bump_count(&mut tx.conn(), product, -1).await?;
                }
                product_shares::forget_sender(&mut tx.conn(), user.id).await?;
                reviews::forget_author(&mut tx.conn(), user.id).await?;
                users::erase(&mut tx.conn(), user.id, now.into()).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        if let Err(e) = self.clear_account_throttles(user).await {
            tracing::warn!(user = user.id, error = ?e, "clearing the account's throttles failed");
        }
        tracing::info!(user = user.id, "account erased at its owner's request");
        Ok(())
    }

    /// Checks the current password (5 failures per 15 minutes per account).
    async fn verify_current_password(&self, user: &User, password: &str) -> AppResult<()> {
        // Its own budget: a typo on the profile page never locks the owner out of signing
        // in, and a stolen session still cannot guess the password quickly.
        let key = format!("{}password-check", user_throttle_prefix(user.id));
        let throttle = &self.svc.throttle;
        throttle
            .hit(&key, LOGIN_FAILURES_PER_ACCOUNT)
            .await?
            .map_err(too_many_attempts)?;
        let row = users::find(&mut self.svc.db.read().await?.conn(), user.id).await?;
        let hash = row.as_ref().map(|r| r.password_hash.as_str());
        if !self.passwords.verify(password, hash).await? {
            return Err(AppError::bad_input("The current password is wrong."));
        }
        throttle.undo(&[&key]).await
    }

    /// Changes the password: keeps the current session, ends the others, voids
    /// outstanding links, and tells the user.
    pub async fn change_password(
        &self,
        session_id: i64,
        user: &User,
        current: &str,
        new: &str,
    ) -> AppResult<()> {
        self.verify_current_password(user, current).await?;
        passwords::check_policy(new).map_err(AppError::bad_input)?;
        if current == new {
            return Err(AppError::bad_input(
                "The new password must differ from the current one.",
            ));
        }
        let hash = self.passwords.hash(new).await?;
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                users::update_password(&mut tx.conn(), user.id, &hash, now.into()).await?;
                sessions::delete_for_user(&mut tx.conn(), user.id, Some(session_id)).await?;
                token_rows::delete_unused(&mut tx.conn(), user.id, None).await?;
                self.enqueue_password_changed(tx, user, now).await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Starts an e-mail change: a confirmation link to the new address, a notice to the
    /// current one. An address already in use looks the same from outside.
    pub async fn request_email_change(
        &self,
        user: &User,
        new_email: &str,
        current_password: &str,
    ) -> AppResult<()> {
        let new_email = normalize_email(new_email)
            .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address."))?;
        if new_email == user.email {
            return Err(AppError::bad_input("That is already your e-mail address."));
        }
        self.verify_current_password(user, current_password).await?;
        self.svc
            .throttle
            .hit(
                &format!("{}email-change", user_throttle_prefix(user.id)),
                EMAIL_CHANGES_PER_ACCOUNT,
            )
            .await?
            .map_err(too_many_attempts)?;
        let site = &self.svc.config.site_name;
        let jobs = &self.svc.jobs;
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                let taken = users::find_by_email(&mut tx.conn(), &new_email)
                    .await?
                    .is_some();
                if taken {
                    tracing::info!(
                        user = user.id,
                        "e-mail change requested to an address in use; no confirmation sent"
                    );
                } else {
                    // The link is due only while nothing voids the user's links meanwhile.
                    let auth_version = users::find(&mut tx.conn(), user.id)
                        .await?
                        .map(|row| row.auth_version)
                        .ok_or_else(|| AppError::not_found("That account no longer exists."))?;
                    let link = EmailChangeLink {
                        user_id: user.id,
                        new_email: new_email.clone(),
                        auth_version,
                        requested_at: now,
                    };
                    let summary = format!("e-mail change link for user {}", user.id);
                    jobs.enqueue(tx, &EMAIL_CHANGE_LINK, &link, &summary)
                        .await?;
                }
                let notice = templates::email_change_requested(user.locale, site, &user.email);
                mail::enqueue(jobs, tx, &notice).await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    pub(super) fn register_account_jobs(&self) {
        let auth = self.clone();
        self.svc
            .jobs
            .register(&EMAIL_CHANGE_LINK, move |link: EmailChangeLink, _| {
                let auth = auth.clone();
                async move { auth.send_email_change_link(link).await }
            });
    }

    /// Makes a fresh confirmation token (voiding an earlier one) and mails its link;
    /// nothing when the user's links were voided or a later change was asked for since.
    async fn send_email_change_link(&self, link: EmailChangeLink) -> Result<(), JobError> {
        let now = self.svc.clock.now();
        let ttl = chrono::Duration::from_std(self.svc.config.email_change_token_ttl)
            .map_err(|e| JobError::Permanent(e.into()))?;
        let secret = tokens::generate();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let user = match users::find(&mut tx.conn(), link.user_id).await? {
                    Some(row) if !row.disabled && row.auth_version == link.auth_version => {
                        User::from(row)
                    }
                    _ => return Ok(None),
                };
                let requested_at = link.requested_at.into();
                let superseded = token_rows::exists_later(
                    &mut tx.conn(),
                    user.id,
                    TokenPurpose::EmailChange,
                    requested_at,
                )
                .await?;
                if superseded {
                    return Ok(None);
                }
                // The token carries the request's time: a later request's token is "later"
                // whichever mail happens to go out first.
                replace_token(
                    &mut tx.conn(),
                    &user,
                    TokenPurpose::EmailChange,
                    Some(&link.new_email),
                    &secret.hash,
                    requested_at,
                    (now + ttl).into(),
                )
                .await?;
                Ok::<_, JobError>(Some(user))
            })
            .await?;
        let Some(user) = user else {
            tracing::info!(
                user = link.user_id,
                "an e-mail change link was superseded or voided before it was sent"
            );
            return Ok(());
        };
        let url = self.link_for(TokenPurpose::EmailChange, user.role, &secret.raw);
        let mail = templates::email_change_confirmation(
            user.locale,
            &self.svc.config.site_name,
            &link.new_email,
            &url,
        );
        self.mailer.send(&mail, None).await
    }

    /// Applies an e-mail change through its confirmation link: every unused link of the
    /// user is voided (a reset link sent to the old mailbox must not work any more), the
    /// user's other sessions end (`keep_session` is the confirming browser's own, when it
    /// is signed in as that user), and the old address is told.
    pub async fn confirm_email_change(
        &self,
        token: &str,
        client: IpAddr,
        keep_session: Option<(i64, &User)>,
    ) -> AppResult<User> {
        self.svc
            .throttle
            .hit_client("email-confirm", client, RESET_ATTEMPTS_PER_ADDRESS)
            .await?
            .map_err(too_many_attempts)?;
        if !tokens::well_formed(token) {
            return Err(AppError::bad_input(INVALID_LINK));
        }
        let now = self.svc.clock.now();
        let token_hash = tokens::hash(token);
        let site = &self.svc.config.site_name;
        let jobs = &self.svc.jobs;
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let (old, new_email) = redeem(
                    &mut tx.conn(),
                    &token_hash,
                    TokenPurpose::EmailChange,
                    now.into(),
                )
                .await?;
                let (user_id, Some(new_email)) = (old.id, new_email) else {
                    return Err(AppError::bad_input(INVALID_LINK));
                };
                let updated = match users::update_email(
                    &mut tx.conn(),
                    user_id,
                    &new_email,
                    &super::search_text(&new_email, &old.name),
                    now.into(),
                )
                .await
                {
                    Ok(row) => User::from(row),
                    Err(e) if db::is_unique_violation(&e) => {
                        return Err(AppError::bad_input(
                            "This e-mail address is now used by another account.",
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                token_rows::delete_unused(&mut tx.conn(), user_id, None).await?;
                let keep = keep_session
                    .filter(|(_, viewer)| viewer.id == user_id)
                    .map(|(session, _)| session);
                sessions::delete_for_user(&mut tx.conn(), user_id, keep).await?;
                let notice =
                    templates::email_changed(old.locale, site, &old.email, &updated.email, now);
                mail::enqueue(jobs, tx, &notice).await?;
                Ok(updated)
            })
            .await?;
        tracing::info!(user = user.id, "e-mail address changed");
        Ok(user)
    }
}

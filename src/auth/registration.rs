//! Customers signing up: a new account, its e-mail verification link, and the notice to
//! an address that already has an account. A sign-up answers the same, after the same
//! work, whether or not the address is taken: the hash is always made and one job is
//! always queued; what the job sends is the only difference, and it goes to the mailbox.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::account::display_name;
use super::recovery::{INVALID_LINK, RESET_ATTEMPTS_PER_ADDRESS, redeem, replace_token};
use super::{Auth, Locale, NewSession, Role, User, account_throttle_prefix, passwords, tokens};
use crate::db::tokens::TokenPurpose;
use crate::db::users;
use crate::db::users::NewUser;
use crate::error::{AppError, AppResult};
use crate::jobs::{JobError, JobKind};
use crate::text::normalize_email;
use crate::throttle::{Limit, PublicLimits, too_many_attempts};

/// Sign-ups per client address, per block of networks and from everyone together.
pub const SIGN_UP_LIMITS: PublicLimits = PublicLimits {
    per_network: Limit::per(5, Duration::from_secs(60)),
    per_block: Limit::per(5, Duration::from_secs(60)).for_block(),
    total: Limit::per(120, Duration::from_secs(60)),
};
/// Verification e-mails a signed-in customer may ask for again.
pub const VERIFICATION_RESENDS_PER_ACCOUNT: Limit = Limit::per(3, Duration::from_secs(3600));
/// At most one "you already have an account" notice per address in this window: a
/// stranger cannot use sign-ups to flood a mailbox.
pub const SIGN_UP_NOTICE_WINDOW: Duration = Duration::from_secs(3600);
/// How long a verification link works.
pub const VERIFICATION_TOKEN_TTL: Duration = Duration::from_secs(24 * 3600);

/// What a shopper fills in to sign up.
pub struct SignUp<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub accept_terms: bool,
    pub marketing_opt_in: bool,
    pub locale: Locale,
}

/// A verification link is due to this user, unless their links were voided since.
#[derive(Debug, Serialize, Deserialize)]
struct VerificationLink {
    user_id: i64,
    auth_version: i64,
}

/// Someone signed up with an address that already has an account.
#[derive(Debug, Serialize, Deserialize)]
struct SignUpAttempted {
    email: String,
}

const VERIFICATION_LINK: JobKind<VerificationLink> = JobKind::new("auth.verification-link");
const SIGN_UP_ATTEMPTED: JobKind<SignUpAttempted> = JobKind::new("auth.sign-up-attempted");

impl Auth {
    /// Signs a shopper up. Bad input is refused field by field; a well-formed sign-up
    /// answers the same whether or not the address already has an account.
    pub async fn register(&self, form: SignUp<'_>, client: IpAddr) -> AppResult<()> {
        self.svc
            .throttle
            .hit_public("sign-up", client, &SIGN_UP_LIMITS)
            .await?
            .map_err(too_many_attempts)?;
        let email = normalize_email(form.email)
            .ok_or_else(|| AppError::invalid("email", "That is not a valid e-mail address."))?;
        let name = display_name(form.name).map_err(|m| AppError::invalid("name", m))?;
        if name.is_empty() {
            return Err(AppError::invalid("name", "Enter your name."));
        }
        passwords::check_policy(form.password).map_err(|m| AppError::invalid("password", m))?;
        if !form.accept_terms {
            return Err(AppError::invalid(
                "acceptTerms",
                "Accept the terms of use to sign up.",
            ));
        }
        let hash = self.passwords.hash(form.password).await?;
        let now = self.svc.clock.now().into();
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                let new = NewUser {
                    email: &email,
                    name,
                    password_hash: &hash,
                    role: Role::Customer,
                    locale: form.locale,
                    disabled: false,
                    created_at: now,
                    updated_at: now,
                    email_verified_at: None,
                    marketing_opt_in: form.marketing_opt_in,
                    terms_accepted_at: Some(now),
                    search_text: super::search_text(&email, name),
                };
                match users::insert_if_absent(&mut tx.conn(), &new).await? {
                    Some(row) => {
                        let link = VerificationLink {
                            user_id: row.id,
                            auth_version: row.auth_version,
                        };
                        let summary = format!("verification link for user {}", row.id);
                        jobs.enqueue(tx, &VERIFICATION_LINK, &link, &summary).await
                    }
                    None => {
                        let attempt = SignUpAttempted {
                            email: email.clone(),
                        };
                        jobs.enqueue(
                            tx,
                            &SIGN_UP_ATTEMPTED,
                            &attempt,
                            "sign-up with a taken address",
                        )
                        .await
                    }
                }
            })
            .await?;
        Ok(())
    }

    /// Sends the signed-in customer's verification link again.
    pub async fn resend_verification(&self, user: &User) -> AppResult<()> {
        if user.email_verified_at.is_some() {
            return Err(AppError::bad_input(
                "Your e-mail address is already verified.",
            ));
        }
        self.svc
            .throttle
            .hit(
                &format!(
                    "{}verification-resend",
                    super::user_throttle_prefix(user.id)
                ),
                VERIFICATION_RESENDS_PER_ACCOUNT,
            )
            .await?
            .map_err(too_many_attempts)?;
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                let row = users::find(&mut tx.conn(), user.id)
                    .await?
                    .ok_or_else(|| AppError::not_found("That account no longer exists."))?;
                let link = VerificationLink {
                    user_id: row.id,
                    auth_version: row.auth_version,
                };
                let summary = format!("verification link for user {}", row.id);
                jobs.enqueue(tx, &VERIFICATION_LINK, &link, &summary)
                    .await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Verifies the address with a link's token and signs its owner in. The link works
    /// once; a disabled account's does not work at all.
    pub async fn verify_email(&self, token: &str, client: IpAddr) -> AppResult<NewSession> {
        self.svc
            .throttle
            .hit_client("email-verify", client, RESET_ATTEMPTS_PER_ADDRESS)
            .await?
            .map_err(too_many_attempts)?;
        if !tokens::well_formed(token) {
            return Err(AppError::bad_input(INVALID_LINK));
        }
        let token_hash = tokens::hash(token);
        let now = self.svc.clock.now();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let (mut user, _) = redeem(
                    &mut tx.conn(),
                    &token_hash,
                    TokenPurpose::EmailVerification,
                    now.into(),
                )
                .await?;
                users::mark_verified(&mut tx.conn(), user.id, now.into()).await?;
                user.email_verified_at.get_or_insert(now);
                Ok::<_, AppError>(user)
            })
            .await?;
        tracing::info!(user = user.id, "e-mail address verified");
        self.open_session(user).await
    }

    pub(super) fn register_registration_jobs(&self) {
        let auth = self.clone();
        self.svc
            .jobs
            .register(&VERIFICATION_LINK, move |link: VerificationLink, _| {
                let auth = auth.clone();
                async move { auth.send_verification_link(link).await }
            });
        let auth = self.clone();
        self.svc
            .jobs
            .register(&SIGN_UP_ATTEMPTED, move |attempt: SignUpAttempted, _| {
                let auth = auth.clone();
                async move { auth.answer_sign_up_attempt(&attempt.email).await }
            });
    }

    /// Makes a fresh verification token (voiding an earlier one) and mails its link;
    /// nothing once the address is verified or the user's links were voided.
    async fn send_verification_link(&self, link: VerificationLink) -> Result<(), JobError> {
        let now = self.svc.clock.now();
        let ttl = chrono::Duration::from_std(VERIFICATION_TOKEN_TTL)
            .map_err(|e| JobError::Permanent(e.into()))?;
        let secret = tokens::generate();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let user = match users::find(&mut tx.conn(), link.user_id).await? {
                    Some(row)
                        if !row.disabled
                            && row.email_verified_at.is_none()
                            && row.auth_version == link.auth_version =>
                    {
                        User::from(row)
                    }
                    _ => return Ok(None),
                };
                replace_token(
                    &mut tx.conn(),
                    &user,
                    TokenPurpose::EmailVerification,
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
                user = link.user_id,
                "the account was verified or voided before its verification link was sent"
            );
            return Ok(());
        };
        let url = self.link_for(TokenPurpose::EmailVerification, user.role, &secret.raw);
        let hours = VERIFICATION_TOKEN_TTL.as_secs() / 3600;
        let mail = crate::mail::templates::email_verification(
            user.locale,
            &self.svc.config.site_name,
            &user.email,
            &url,
            hours,
        );
        self.mailer.send(&mail, None).await
    }

    /// Tells the owner of a taken address that someone tried to sign up with it, at most
    /// once per [`SIGN_UP_NOTICE_WINDOW`].
    async fn answer_sign_up_attempt(&self, email: &str) -> Result<(), JobError> {
        let row = users::find_by_email(&mut self.svc.db.read().await?.conn(), email).await?;
        let Some(row) = row.filter(|row| !row.disabled) else {
            return Ok(());
        };
        let window = Limit::per(1, SIGN_UP_NOTICE_WINDOW);
        let key = format!("{}sign-up-notice", account_throttle_prefix(email));
        if self.svc.throttle.hit(&key, window).await?.is_err() {
            tracing::info!(
                user = row.id,
                "a sign-up notice was sent within the hour; nothing sent"
            );
            return Ok(());
        }
        let user = User::from(row);
        let sign_in = self.svc.config.public_link(match user.role {
            Role::Admin => "/dashboard/",
            Role::Customer => "/hesap/giris",
        });
        let mail = crate::mail::templates::sign_up_attempted(
            user.locale,
            &self.svc.config.site_name,
            &user.email,
            &sign_in,
        );
        let sent = self.mailer.send(&mail, None).await;
        if sent.is_err() {
            // The retry must not find the window taken by the attempt that failed.
            self.svc.throttle.undo(&[&key]).await?;
        }
        sent
    }
}

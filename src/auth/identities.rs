//! Accounts and the Google or Facebook identities that sign them in. An identity is
//! linked to an account when its owner, signed in, connects it; or when it makes a new
//! account for an address nobody has. An identity whose address already has an account
//! is never linked on the provider's word alone (that would hand the account to whoever
//! controls the provider account): it waits until the owner signs in with the password.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::providers::{Provider, ProviderProfile, SignInFailure};
use super::{Auth, Locale, NewSession, Role, User, tokens};
use crate::db::identities::{self as rows, PendingRow};
use crate::db::users::NewUser;
use crate::db::{self, users};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::mail::{self, templates};

const TAKEN: &str = "This identity is already connected to an account.";

/// How long an identity waits for its account owner's password.
pub const PENDING_TTL: Duration = Duration::from_secs(15 * 60);

/// What a sign-in with a provider led to.
pub enum SignInOutcome {
    /// A session for the identity's account (made now if the address was new).
    SignedIn(NewSession),
    /// The identity was linked to the signed-in account.
    Connected,
    /// The address has an account: its owner signs in with the password to link the
    /// identity (`token` goes with that sign-in, `email` is shown).
    NeedsPassword { token: String, email: String },
}

/// An identity linked to an account.
#[derive(Debug, Clone)]
pub struct Identity {
    pub provider: Provider,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Auth {
    /// Signs in (or up, or connects) with what a provider vouched for. `connecting` is
    /// the session (and its user) that asked to connect this provider, if one did; a
    /// plain sign-in never touches the account signed in in the browser.
    pub async fn sign_in_with(
        &self,
        profile: ProviderProfile,
        connecting: Option<(i64, &User)>,
    ) -> AppResult<Result<SignInOutcome, SignInFailure>> {
        let now = self.svc.clock.now();
        let owner = rows::owner(
            &mut self.svc.db.read().await?.conn(),
            profile.provider,
            &profile.subject,
        )
        .await?;
        match (owner, connecting) {
            (Some(owner), _) if owner.role != Role::Customer => {
                Ok(Err(SignInFailure::NotForAdmins))
            }
            (_, Some((_, viewer))) if viewer.role != Role::Customer => {
                Ok(Err(SignInFailure::NotForAdmins))
            }
            (Some(owner), Some((_, viewer))) if owner.id == viewer.id => {
                Ok(Ok(SignInOutcome::Connected))
            }
            (Some(_), Some(_)) => Ok(Err(SignInFailure::IdentityTaken)),
            (Some(owner), None) if owner.disabled => Ok(Err(SignInFailure::AccountDisabled)),
            (Some(owner), None) => Ok(Ok(SignInOutcome::SignedIn(
                self.open_session(User::from(owner)).await?,
            ))),
            (None, Some((session_id, viewer))) => {
                if !self.signed_in_recently(session_id).await? {
                    return Ok(Err(SignInFailure::SignInAgain));
                }
                self.connect(viewer, &profile, now).await
            }
            (None, None) => self.sign_up_with(profile, now).await,
        }
    }

    async fn connect(
        &self,
        viewer: &User,
        profile: &ProviderProfile,
        now: DateTime<Utc>,
    ) -> AppResult<Result<SignInOutcome, SignInFailure>> {
        let linked = self
            .svc
            .db
            .transaction(async |tx| {
                let linked = rows::insert(
                    &mut tx.conn(),
                    viewer.id,
                    profile.provider,
                    &profile.subject,
                    profile.email.as_deref(),
                    now.into(),
                )
                .await;
                match linked {
                    Ok(_) => {}
                    Err(e) if db::is_unique_violation(&e) => return Ok(false),
                    Err(e) => return Err(AppError::from(e)),
                }
                self.enqueue_identity_notice(tx, viewer, profile.provider, true, now)
                    .await?;
                Ok(true)
            })
            .await?;
        if !linked {
            return Ok(Err(SignInFailure::AlreadyConnected));
        }
        tracing::info!(
            user = viewer.id,
            provider = profile.provider.as_db(),
            "identity connected"
        );
        Ok(Ok(SignInOutcome::Connected))
    }

    /// Tells the account's owner that a provider was connected or disconnected.
    async fn enqueue_identity_notice(
        &self,
        tx: &mut crate::db::Tx,
        user: &User,
        provider: Provider,
        connected: bool,
        at: DateTime<Utc>,
    ) -> Result<(), crate::db::DbError> {
        let name = match provider {
            Provider::Google => "Google",
            Provider::Facebook => "Facebook",
        };
        let notice = templates::identity_changed(
            user.locale,
            &self.svc.config.site_name,
            &user.email,
            name,
            connected,
            at,
        );
        mail::enqueue(&self.svc.jobs, tx, &notice).await
    }

    /// A new verified customer for an address nobody has; for an address somebody has, a
    /// link waiting for that owner's password.
    async fn sign_up_with(
        &self,
        profile: ProviderProfile,
        now: DateTime<Utc>,
    ) -> AppResult<Result<SignInOutcome, SignInFailure>> {
        let Some(email) = profile.email.clone() else {
            return Ok(Err(SignInFailure::NoEmail));
        };
        let holder = users::find_by_email(&mut self.svc.db.read().await?.conn(), &email).await?;
        if holder.is_some_and(|row| row.role != Role::Customer) {
            return Ok(Err(SignInFailure::NotForAdmins));
        }
        let name = profile
            .name
            .as_deref()
            .and_then(|n| super::account::display_name(n).ok())
            .unwrap_or("")
            .to_owned();
        let pending = tokens::generate();
        let ttl = chrono::Duration::from_std(PENDING_TTL).map_err(AppError::internal)?;
        let made = self
            .svc
            .db
            .transaction(async |tx| {
                let at = now.into();
                let new = NewUser {
                    email: &email,
                    name: &name,
                    // No password: this account signs in through its provider (or sets
                    // one with "forgot password").
                    password_hash: "",
                    role: Role::Customer,
                    locale: Locale::Tr,
                    disabled: false,
                    created_at: at,
                    updated_at: at,
                    email_verified_at: Some(at),
                    marketing_opt_in: false,
                    terms_accepted_at: Some(at),
                    search_text: super::search_text(&email, &name),
                };
                match users::insert_if_absent(&mut tx.conn(), &new).await? {
                    Some(row) => {
                        let linked = rows::insert(
                            &mut tx.conn(),
                            row.id,
                            profile.provider,
                            &profile.subject,
                            Some(&email),
                            at,
                        )
                        .await;
                        match linked {
                            Ok(_) => Ok::<_, AppError>(Some(User::from(row))),
                            // The same identity signing up twice at once: the other made it.
                            Err(e) if db::is_unique_violation(&e) => Err(AppError::conflict(TAKEN)),
                            Err(e) => Err(e.into()),
                        }
                    }
                    None => {
                        let waiting = PendingRow {
                            provider: profile.provider,
                            subject: profile.subject.clone(),
                            email: email.clone(),
                        };
                        rows::insert_pending(
                            &mut tx.conn(),
                            &pending.hash,
                            &waiting,
                            at,
                            (now + ttl).into(),
                        )
                        .await?;
                        Ok(None)
                    }
                }
            })
            .await;
        match made {
            Ok(Some(user)) => {
                tracing::info!(
                    user = user.id,
                    provider = profile.provider.as_db(),
                    "account made by a provider's sign-in"
                );
                Ok(Ok(SignInOutcome::SignedIn(self.open_session(user).await?)))
            }
            Ok(None) => Ok(Ok(SignInOutcome::NeedsPassword {
                token: pending.raw,
                email,
            })),
            Err(e) if e.code() == ErrorCode::Conflict => Ok(Err(SignInFailure::IdentityTaken)),
            Err(e) => Err(e),
        }
    }

    /// Links the identity waiting under `token` to the signed-in account, if it was
    /// waiting for this account's address.
    pub async fn connect_pending(&self, viewer: &User, token: &str) -> AppResult<Identity> {
        let refused = || {
            AppError::bad_input(
                "This connection has expired or belongs to another account; sign in with Google or Facebook again.",
            )
        };
        if !tokens::well_formed(token) {
            return Err(refused());
        }
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                let Some(pending) = rows::take_pending(&mut tx.conn(), &tokens::hash(token), now.into()).await? else {
                    return Err(refused());
                };
                if pending.email != viewer.email {
                    return Err(refused());
                }
                match rows::insert(&mut tx.conn(), viewer.id, pending.provider, &pending.subject, Some(&pending.email), now.into()).await {
                    Ok(row) => {
                        self.enqueue_identity_notice(tx, viewer, row.provider, true, now).await?;
                        Ok(Identity {
                            provider: row.provider,
                            email: row.email,
                            created_at: row.created_at.into(),
                        })
                    }
                    Err(e) if db::is_unique_violation(&e) => Err(AppError::conflict(
                        "This account already has a connection of that provider, or the identity is connected to another account.",
                    )),
                    Err(e) => Err(e.into()),
                }
            })
            .await
    }

    /// The identities linked to the account.
    pub async fn identities_of(&self, user: &User) -> AppResult<Vec<Identity>> {
        let found = rows::of_user(&mut self.svc.db.read().await?.conn(), user.id).await?;
        Ok(found
            .into_iter()
            .map(|row| Identity {
                provider: row.provider,
                email: row.email,
                created_at: row.created_at.into(),
            })
            .collect())
    }

    /// Unlinks the account's identity of `provider`; refused when it is the account's
    /// last way to sign in (no password, no other identity).
    pub async fn disconnect_identity(&self, user: &User, provider: Provider) -> AppResult<()> {
        self.svc
            .db
            .transaction(async |tx| {
                // Two disconnects at once must not both see the other way in.
                users::lock(&mut tx.conn(), user.id).await?;
                let linked = rows::of_user(&mut tx.conn(), user.id).await?;
                if !linked.iter().any(|row| row.provider == provider) {
                    return Err(AppError::not_found("That provider is not connected to your account."));
                }
                let has_password = users::find(&mut tx.conn(), user.id)
                    .await?
                    .is_some_and(|row| !row.password_hash.is_empty());
                if !has_password && linked.len() == 1 {
                    return Err(AppError::bad_input(
                        "This is your only way to sign in: set a password (\"forgot password\") or connect another provider first.",
                    ));
                }
                rows::delete(&mut tx.conn(), user.id, provider).await?;
                self.enqueue_identity_notice(tx, user, provider, false, self.svc.clock.now())
                    .await?;
                Ok(())
            })
            .await
    }
}

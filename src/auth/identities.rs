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
    /// Signs in (or up, or connects) with what a provider vouched for. `viewer` is the
    /// account signed in in this browser, if any: the identity is then connected to it.
    pub async fn sign_in_with(
        &self,
        profile: ProviderProfile,
        viewer: Option<&User>,
    ) -> AppResult<Result<SignInOutcome, SignInFailure>> {
        let now = self.svc.clock.now();
        let owner = rows::owner(
            &mut self.svc.db.read().await?.conn(),
            profile.provider,
            &profile.subject,
        )
        .await?;
        match (owner, viewer) {
            (Some(owner), Some(viewer)) if owner.id == viewer.id => {
                Ok(Ok(SignInOutcome::Connected))
            }
            (Some(_), Some(_)) => Ok(Err(SignInFailure::IdentityTaken)),
            (Some(owner), None) if owner.disabled => Ok(Err(SignInFailure::AccountDisabled)),
            (Some(owner), None) => Ok(Ok(SignInOutcome::SignedIn(
                self.open_session(User::from(owner)).await?,
            ))),
            (None, Some(viewer)) => self.connect(viewer, &profile, now).await,
            (None, None) => self.sign_up_with(profile, now).await,
        }
    }

    async fn connect(
        &self,
        viewer: &User,
        profile: &ProviderProfile,
        now: DateTime<Utc>,
    ) -> AppResult<Result<SignInOutcome, SignInFailure>> {
        let linked = rows::insert(
            &mut self.svc.db.write().await?.conn(),
            viewer.id,
            profile.provider,
            &profile.subject,
            profile.email.as_deref(),
            now.into(),
        )
        .await;
        match linked {
            Ok(_) => {
                tracing::info!(
                    user = viewer.id,
                    provider = profile.provider.as_db(),
                    "identity connected"
                );
                Ok(Ok(SignInOutcome::Connected))
            }
            Err(e) if db::is_unique_violation(&e) => Ok(Err(SignInFailure::AlreadyConnected)),
            Err(e) => Err(e.into()),
        }
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
                    Ok(row) => Ok(Identity {
                        provider: row.provider,
                        email: row.email,
                        created_at: row.created_at.into(),
                    }),
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
                Ok(())
            })
            .await
    }
}

//! Password recovery and the signed-in user's own profile.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result};

use super::auth::{LocaleGql, UserGql};
use crate::auth::account::ProfileUpdate;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;

/// Profile changes; omitted fields stay as they are.
#[derive(InputObject)]
pub struct ProfileInput {
    /// Display name (up to 100 characters).
    name: Option<String>,
    /// Language of e-mails and the dashboard.
    locale: Option<LocaleGql>,
    /// A Turkish phone number (stored as `+90…`); `null` clears it.
    phone: MaybeUndefined<String>,
    /// Whether to receive campaign e-mails.
    marketing_opt_in: Option<bool>,
}

/// Queries about recovery links.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// Whether a password reset link can still be used.
    async fn password_reset_token_valid(&self, ctx: &Context<'_>, token: String) -> Result<bool> {
        Ok(ctx
            .app()
            .auth
            .reset_token_usable(&token, ctx.request().client_ip)
            .await?)
    }
}

/// Password recovery and profile changes.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// E-mails a reset link if the address names an account. Always answers `true`.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> Result<bool> {
        ctx.app()
            .auth
            .request_password_reset(&email, ctx.request().client_ip)
            .await?;
        Ok(true)
    }

    /// Sets a new password with a reset link's token. Does not sign in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> Result<bool> {
        ctx.app()
            .auth
            .reset_password(&token, &new_password, ctx.request().client_ip)
            .await?;
        Ok(true)
    }

    /// Changes the signed-in user's name, language, phone and campaign consent.
    #[graphql(guard = "SignedIn")]
    async fn update_profile(&self, ctx: &Context<'_>, input: ProfileInput) -> Result<UserGql> {
        let user = ctx.user()?;
        let update = ProfileUpdate {
            name: input.name.as_deref(),
            locale: input.locale.map(Into::into),
            phone: match &input.phone {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(phone) => Some(Some(phone.as_str())),
            },
            marketing_opt_in: input.marketing_opt_in,
        };
        let updated = ctx
            .app()
            .auth
            .update_profile(user, &update)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(UserGql(updated))
    }

    /// Changes the password; other sessions end, this one stays.
    #[graphql(guard = "SignedIn")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<bool> {
        let (session_id, user) = ctx.session()?;
        ctx.app()
            .auth
            .change_password(session_id, user, &current_password, &new_password)
            .await?;
        Ok(true)
    }

    /// Sends a confirmation link to a new e-mail address (and a notice to the current one).
    #[graphql(guard = "SignedIn")]
    async fn request_email_change(
        &self,
        ctx: &Context<'_>,
        new_email: String,
        current_password: String,
    ) -> Result<bool> {
        let user = ctx.user()?;
        ctx.app()
            .auth
            .request_email_change(user, &new_email, &current_password)
            .await?;
        Ok(true)
    }

    /// Applies an e-mail change with the token from the confirmation link. The user's
    /// other sessions end and unused links die; a browser signed in as that user stays.
    async fn confirm_email_change(&self, ctx: &Context<'_>, token: String) -> Result<UserGql> {
        let keep = ctx.session().ok();
        Ok(UserGql(
            ctx.app()
                .auth
                .confirm_email_change(&token, ctx.request().client_ip, keep)
                .await?,
        ))
    }
}

//! Password recovery and the signed-in user's own profile.

use async_graphql::{Context, InputObject, Object, Result};

use super::auth::{LocaleGql, UserGql};
use crate::auth::{account, recovery};
use crate::schema::context::ContextExt;
use crate::schema::guards::SignedIn;

/// Profile changes; omitted fields stay as they are.
#[derive(InputObject)]
pub struct ProfileInput {
    /// Display name (up to 100 characters).
    name: Option<String>,
    /// Language of e-mails and the dashboard.
    locale: Option<LocaleGql>,
}

/// Queries about recovery links.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// Whether a password reset link can still be used.
    async fn password_reset_token_valid(&self, ctx: &Context<'_>, token: String) -> Result<bool> {
        Ok(recovery::reset_token_usable(ctx.app(), &token, ctx.request().client_ip).await?)
    }
}

/// Password recovery and profile changes.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// E-mails a reset link if the address names an account. Always answers `true`.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> bool {
        recovery::request_password_reset(ctx.app(), &email, ctx.request().client_ip);
        true
    }

    /// Sets a new password with a reset link's token. Does not sign in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> Result<bool> {
        recovery::reset_password(ctx.app(), &token, &new_password, ctx.request().client_ip).await?;
        Ok(true)
    }

    /// Changes the signed-in user's name and language.
    #[graphql(guard = "SignedIn")]
    async fn update_profile(&self, ctx: &Context<'_>, input: ProfileInput) -> Result<UserGql> {
        let user = ctx.user()?;
        let updated = account::update_profile(
            ctx.app(),
            user,
            input.name.as_deref(),
            input.locale.map(Into::into),
        )
        .await?;
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
        account::change_password(
            ctx.app(),
            session_id,
            user,
            &current_password,
            &new_password,
        )
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
        account::request_email_change(ctx.app(), user, &new_email, &current_password).await?;
        Ok(true)
    }

    /// Applies an e-mail change with the token from the confirmation link. The user's
    /// other sessions end and unused links die; a browser signed in as that user stays.
    async fn confirm_email_change(&self, ctx: &Context<'_>, token: String) -> Result<UserGql> {
        let keep = ctx.session().ok();
        Ok(UserGql(
            account::confirm_email_change(ctx.app(), &token, ctx.request().client_ip, keep).await?,
        ))
    }
}

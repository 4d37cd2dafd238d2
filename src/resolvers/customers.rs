//! Customers: signing up, verifying the address, erasing one's account; and the
//! customers' list administrators see.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use super::auth::{AuthPayload, LocaleGql, UserGql, signed_in};
use crate::auth::cookies;
use crate::auth::identities::Identity;
use crate::auth::registration::SignUp;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{AdminOnly, SignedIn};
use crate::graphql::pagination::{Listing, id_cursor, id_page, listing};
use crate::graphql::scalars::parse_id;
use crate::locale::Locale;

/// What a shopper fills in to sign up.
#[derive(InputObject)]
pub struct RegisterInput {
    email: String,
    /// 8 to 128 characters, not among the most common passwords.
    password: String,
    name: String,
    /// The terms of use must be accepted.
    accept_terms: bool,
    /// Campaign e-mails (off unless asked for).
    marketing_opt_in: Option<bool>,
    /// The language of e-mails (Turkish unless given).
    locale: Option<LocaleGql>,
}

/// Who vouches for a connected identity.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "IdentityProvider", remote = "crate::auth::providers::Provider")]
pub enum ProviderGql {
    Google,
    Facebook,
}

/// A Google or Facebook account connected to the user's account.
pub struct IdentityGql(Identity);

#[Object(name = "Identity")]
impl IdentityGql {
    async fn provider(&self) -> ProviderGql {
        self.0.provider.into()
    }
    /// The address the provider gave, if any.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// When it was connected.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The customers' list of the dashboard.
#[derive(Default)]
pub struct CustomersQuery;

#[Object]
impl CustomersQuery {
    /// Customers, newest first: `search` matches a piece of the e-mail address or name.
    #[graphql(guard = "AdminOnly")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        verified: Option<bool>,
        disabled: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<UserGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (users, total) = app
            .auth
            .customers(search.as_deref(), verified, disabled, page)
            .await?;
        Ok(listing(
            users,
            page.limit,
            total,
            |u| id_cursor(u.id),
            UserGql,
        ))
    }

    /// The Google and Facebook accounts connected to the signed-in user's account.
    #[graphql(guard = "SignedIn")]
    async fn my_identities(&self, ctx: &Context<'_>) -> Result<Vec<IdentityGql>> {
        let user = ctx.user()?;
        let identities = ctx.app().auth.identities_of(user).await?;
        Ok(identities.into_iter().map(IdentityGql).collect())
    }
}

/// Signing up and leaving; administrators disabling customers.
#[derive(Default)]
pub struct CustomersMutation;

#[Object]
impl CustomersMutation {
    /// Signs a shopper up and e-mails a verification link. Answers `true` the same way
    /// whether or not the address already has an account (that owner gets a notice).
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<bool> {
        let form = SignUp {
            email: &input.email,
            password: &input.password,
            name: &input.name,
            accept_terms: input.accept_terms,
            marketing_opt_in: input.marketing_opt_in.unwrap_or(false),
            locale: input.locale.map_or(Locale::Tr, Into::into),
        };
        ctx.app()
            .auth
            .register(form, ctx.request().client_ip)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(true)
    }

    /// Verifies the e-mail address with the link's token and signs its owner in.
    async fn verify_email(&self, ctx: &Context<'_>, token: String) -> Result<AuthPayload> {
        let session = ctx
            .app()
            .auth
            .verify_email(&token, ctx.request().client_ip)
            .await?;
        Ok(signed_in(ctx, session))
    }

    /// E-mails the signed-in user's verification link again (3 an hour).
    #[graphql(guard = "SignedIn")]
    async fn resend_verification(&self, ctx: &Context<'_>) -> Result<bool> {
        let user = ctx.user()?;
        ctx.app().auth.resend_verification(user).await?;
        Ok(true)
    }

    /// Erases the signed-in customer's account and personal data (KVKK); every session
    /// ends and the cookie is cleared. An account without a password (made by Google or
    /// Facebook) confirms with a sign-in of the last 10 minutes instead (send "").
    #[graphql(guard = "SignedIn")]
    async fn delete_my_account(&self, ctx: &Context<'_>, current_password: String) -> Result<bool> {
        let (session_id, user) = ctx.session()?;
        ctx.app()
            .auth
            .delete_account(session_id, user, &current_password)
            .await?;
        ctx.append_http_header("set-cookie", cookies::session(ctx.app().config(), "", 0));
        Ok(true)
    }

    /// Connects the Google or Facebook account that waited for this sign-in (the token
    /// from the sign-in page's address, after "sign in with your password to connect").
    #[graphql(guard = "SignedIn")]
    async fn connect_pending_identity(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> Result<IdentityGql> {
        let user = ctx.user()?;
        Ok(IdentityGql(
            ctx.app().auth.connect_pending(user, &token).await?,
        ))
    }

    /// Disconnects a provider; refused when it is the account's only way to sign in.
    #[graphql(guard = "SignedIn")]
    async fn disconnect_identity(&self, ctx: &Context<'_>, provider: ProviderGql) -> Result<bool> {
        let user = ctx.user()?;
        ctx.app()
            .auth
            .disconnect_identity(user, provider.into())
            .await?;
        Ok(true)
    }

    /// Disables a customer (their sessions end, sign-in is refused) or enables them.
    #[graphql(guard = "AdminOnly")]
    async fn set_customer_disabled(
        &self,
        ctx: &Context<'_>,
        id: ID,
        disabled: bool,
    ) -> Result<UserGql> {
        let id = parse_id(&id)?;
        Ok(UserGql(
            ctx.app().auth.set_customer_disabled(id, disabled).await?,
        ))
    }
}

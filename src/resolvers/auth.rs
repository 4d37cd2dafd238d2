//! Sign-in, sign-out and the current user.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::auth::{User, cookies};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;

/// What a user may do.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Role", remote = "crate::auth::Role")]
pub enum RoleGql {
    /// Manages the site in the dashboard.
    Admin,
    /// Shops in the storefront.
    Customer,
}

/// The language of e-mails and the dashboard.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Locale", remote = "crate::auth::Locale")]
pub enum LocaleGql {
    /// Türkçe.
    Tr,
    /// English.
    En,
}

/// An account.
pub struct UserGql(pub User);

#[Object(name = "User")]
impl UserGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> RoleGql {
        self.0.role.into()
    }
    async fn locale(&self) -> LocaleGql {
        self.0.locale.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A new session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// The session token, for `Authorization: Bearer` (browsers get it as a cookie too).
    token: String,
    /// When the session ends, whatever happens.
    expires_at: DateTime<Utc>,
    user: UserGql,
}

/// Queries about the current user.
#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in user, or null.
    async fn me(&self, ctx: &Context<'_>) -> Option<UserGql> {
        ctx.request().viewer.user().cloned().map(UserGql)
    }
}

/// Signing in and out.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in with e-mail and password; also sets the session cookie.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let app = ctx.app();
        let session = app
            .auth
            .login(&email, &password, ctx.request().client_ip)
            .await?;
        let max_age = (session.expires_at - app.services.clock.now()).num_seconds();
        ctx.append_http_header(
            "set-cookie",
            cookies::session(app.config(), &session.token, max_age),
        );
        Ok(AuthPayload {
            token: session.token,
            expires_at: session.expires_at,
            user: UserGql(session.user),
        })
    }

    /// Ends the current session on the server and clears the cookie.
    #[graphql(guard = "SignedIn")]
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let (session_id, _) = ctx.session()?;
        ctx.app().auth.logout(session_id).await?;
        ctx.append_http_header("set-cookie", cookies::session(ctx.app().config(), "", 0));
        Ok(true)
    }
}

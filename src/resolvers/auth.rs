//! Sign-in, sign-out and the current user.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::auth::{NewSession, SessionInfo, User, cookies};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;
use crate::graphql::scalars::parse_id;

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
    /// Whether the owner proved the mailbox (needed to check out).
    async fn email_verified(&self) -> bool {
        self.0.email_verified_at.is_some()
    }
    /// When the owner proved the mailbox.
    async fn email_verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.email_verified_at
    }
    /// Phone number (`+90…`).
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Whether the user agreed to receive campaign e-mails.
    async fn marketing_opt_in(&self) -> bool {
        self.0.marketing_opt_in
    }
    /// Whether the account has a password (one made by Google or Facebook may not).
    async fn has_password(&self) -> bool {
        self.0.has_password
    }
    /// Whether the account is disabled (it cannot sign in).
    async fn disabled(&self) -> bool {
        self.0.disabled
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

/// The answer to a sign-in: the session's cookie is set and its token returned.
pub fn signed_in(ctx: &Context<'_>, session: NewSession) -> AuthPayload {
    let app = ctx.app();
    let max_age = (session.expires_at - app.services.clock.now()).num_seconds();
    ctx.append_http_header(
        "set-cookie",
        cookies::session(app.config(), &session.token, max_age),
    );
    AuthPayload {
        token: session.token,
        expires_at: session.expires_at,
        user: UserGql(session.user),
    }
}

/// A signed-in browser or script of the current user.
pub struct SessionGql {
    info: SessionInfo,
    current: bool,
}

#[Object(name = "Session")]
impl SessionGql {
    async fn id(&self) -> ID {
        ID(self.info.id.to_string())
    }
    /// When it signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.info.created_at
    }
    /// When it ends, whatever happens.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.info.expires_at
    }
    /// Whether it is the session asking.
    async fn current(&self) -> bool {
        self.current
    }
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

    /// The signed-in user's live sessions, newest first.
    #[graphql(guard = "SignedIn")]
    async fn my_sessions(&self, ctx: &Context<'_>) -> Result<Vec<SessionGql>> {
        let (current, user) = ctx.session()?;
        let sessions = ctx.app().auth.sessions_of(user).await?;
        Ok(sessions
            .into_iter()
            .map(|info| SessionGql {
                current: info.id == current,
                info,
            })
            .collect())
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
        let session = ctx
            .app()
            .auth
            .login(&email, &password, ctx.request().client_ip)
            .await?;
        Ok(signed_in(ctx, session))
    }

    /// Ends one of the signed-in user's sessions (signs out another browser).
    #[graphql(guard = "SignedIn")]
    async fn end_session(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let user = ctx.user()?;
        let id = parse_id(&id)?;
        ctx.app().auth.end_session(user, id).await?;
        Ok(true)
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

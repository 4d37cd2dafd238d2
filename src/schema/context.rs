//! What a resolver knows about its request, and short ways to reach it.

use std::net::IpAddr;

use async_graphql::Context;

use crate::app::AppState;
use crate::auth::{User, Viewer};
use crate::error::{AppError, AppResult};

/// Per-request data the HTTP or websocket layer hands to the schema.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub viewer: Viewer,
    /// The client's address (the socket peer, or the forwarded one from a trusted proxy).
    pub client_ip: IpAddr,
}

/// Short access to the application and the request from a resolver.
pub trait ContextExt {
    /// The application.
    fn app(&self) -> &AppState;
    /// The request's context.
    fn request(&self) -> &RequestContext;
    /// The signed-in user, or UNAUTHENTICATED.
    fn user(&self) -> AppResult<&User>;
    /// The signed-in session id and user, or UNAUTHENTICATED.
    fn session(&self) -> AppResult<(i64, &User)>;
}

impl ContextExt for Context<'_> {
    fn app(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }

    fn user(&self) -> AppResult<&User> {
        self.session().map(|(_, user)| user)
    }

    fn session(&self) -> AppResult<(i64, &User)> {
        match &self.request().viewer {
            Viewer::SignedIn { session_id, user } => Ok((*session_id, user)),
            Viewer::SessionEnded => Err(AppError::unauthenticated(
                "Your session has ended. Sign in again.",
            )),
            Viewer::Anonymous => Err(AppError::unauthenticated("Sign in to do this.")),
        }
    }
}

//! What a resolver knows about its request, and short ways to reach it.

use std::net::IpAddr;

use async_graphql::{Context, Data};

use crate::app::AppState;
use crate::auth::{Role, User, Viewer};
use crate::error::{AppError, AppResult};

/// The data every request carries, over HTTP and the websocket alike: who asks, from
/// where, and the request's DataLoaders.
pub fn request_data(app: &AppState, viewer: Viewer, client_ip: IpAddr) -> Data {
    let mut data = Data::default();
    data.insert(RequestContext { viewer, client_ip });
    data.insert(super::loaders::variants(app));
    let (product_media, product_categories, category_tree) = super::loaders::catalog(app);
    data.insert(product_media);
    data.insert(product_categories);
    data.insert(category_tree);
    data
}

/// The guest cart token the request's cookie carried (HTTP only; a websocket has none).
#[derive(Debug, Clone, Default)]
pub struct CartToken(pub Option<String>);

/// The token a websocket connection was opened with.
#[derive(Debug, Clone)]
pub struct SocketSession {
    pub token: String,
}

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
    /// Whether an administrator asks.
    fn is_admin(&self) -> bool;
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

    fn is_admin(&self) -> bool {
        self.user().is_ok_and(|user| user.role == Role::Admin)
    }

    fn session(&self) -> AppResult<(i64, &User)> {
        match &self.request().viewer {
            Viewer::SignedIn {
                session_id, user, ..
            } => Ok((*session_id, user)),
            Viewer::SessionEnded => Err(AppError::unauthenticated(
                "Your session has ended. Sign in again.",
            )),
            Viewer::Anonymous => Err(AppError::unauthenticated("Sign in to do this.")),
        }
    }
}

/// Whether the socket's session (if any) still belongs to an administrator; streams of
/// admin data end when it does not.
pub async fn still_admin(app: &AppState, session: Option<&SocketSession>) -> bool {
    match session {
        None => true,
        Some(session) => matches!(
            app.auth.resolve_session(&session.token).await,
            Ok(Viewer::SignedIn { user, .. }) if user.role == Role::Admin
        ),
    }
}

/// The earliest moment the answer being computed stops being true without any change
/// being announced (a sale starting or ending): a remembered public answer is kept
/// until then at most.
#[derive(Clone, Default)]
pub struct AnswerHorizon(std::sync::Arc<std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>>);

impl AnswerHorizon {
    /// The answer holds until `at` at the latest.
    pub fn until(&self, at: chrono::DateTime<chrono::Utc>) {
        if let Ok(mut horizon) = self.0.lock() {
            *horizon = Some(horizon.map_or(at, |earlier| earlier.min(at)));
        }
    }

    /// When the answer stops being true on its own, if ever.
    pub fn get(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.lock().ok().and_then(|horizon| *horizon)
    }
}

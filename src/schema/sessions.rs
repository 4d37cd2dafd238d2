//! Sessions over the websocket: the session named at `connection_init` is looked up
//! again for every operation, so signing out, a password change or expiry takes effect
//! on open sockets too, not only on new requests.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{Request, ServerResult};

use crate::app::AppState;
use crate::error::AppError;
use crate::graphql::context::{RequestContext, SocketSession};

/// The extension factory.
pub struct SessionRecheck;

impl ExtensionFactory for SessionRecheck {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SessionRecheck)
    }
}

#[async_trait::async_trait]
impl Extension for SessionRecheck {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let (Some(session), Some(app), Some(connection)) = (
            ctx.data_opt::<SocketSession>(),
            ctx.data_opt::<AppState>(),
            ctx.data_opt::<RequestContext>(),
        ) else {
            return next.run(ctx, request).await;
        };
        let viewer = app
            .auth
            .resolve_session(&session.token)
            .await
            .map_err(AppError::into_server_error)?;
        // Request data is consulted before the connection's: this operation sees the
        // session as it is now.
        let current = RequestContext {
            viewer,
            client_ip: connection.client_ip,
        };
        next.run(ctx, request.data(current)).await
    }
}

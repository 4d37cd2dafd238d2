//! Per-operation metrics, and a code on every error (async-graphql's own parse and
//! validation errors come without one).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextRequest,
};
use async_graphql::{ErrorExtensionValues, Response};

use crate::app::AppState;
use crate::error::ErrorCode;

/// The extension factory.
pub struct Observe;

impl ExtensionFactory for Observe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ObserveExtension::default())
    }
}

#[derive(Default)]
struct ObserveExtension {
    operation: Mutex<Option<String>>,
}

#[async_trait::async_trait]
impl Extension for ObserveExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            let extensions = error
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default);
            if extensions.get("code").is_none() {
                extensions.set("code", ErrorCode::BadUserInput.as_str());
            }
        }
        let operation = self
            .operation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "invalid".to_owned());
        let outcome = if response.errors.is_empty() {
            "ok"
        } else {
            "error"
        };
        if let Some(app) = ctx.data_opt::<AppState>() {
            app.services
                .metrics
                .observe_graphql(&operation, outcome, started.elapsed());
        }
        response
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        *self.operation.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(operation_name.unwrap_or("anonymous").to_owned());
        next.run(ctx, operation_name).await
    }
}

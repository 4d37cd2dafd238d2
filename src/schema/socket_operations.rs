//! How many operations one websocket may run at once. Every subscription holds its slot
//! until it ends or the client completes it; without a bound, one connection could open
//! subscriptions until the server runs out of memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextSubscribe};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::error::AppError;

/// The count of running operations of one websocket connection (connection data).
#[derive(Debug, Clone, Default)]
pub struct SocketOperations(Arc<AtomicUsize>);

impl SocketOperations {
    /// A slot if fewer than `max` operations run.
    fn take(&self, max: usize) -> Option<Slot> {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |running| {
                (running < max).then_some(running + 1)
            })
            .ok()
            .map(|_| Slot(self.0.clone()))
    }
}

/// One running operation; dropping it (the stream ended or was completed) frees it.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The extension factory.
pub struct OperationsPerSocket {
    pub max: usize,
}

impl ExtensionFactory for OperationsPerSocket {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationsPerSocket { max: self.max })
    }
}

impl Extension for OperationsPerSocket {
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let Some(operations) = ctx.data_opt::<SocketOperations>() else {
            return next.run(ctx, stream);
        };
        let Some(slot) = operations.take(self.max) else {
            let error = AppError::rate_limited(
                format!(
                    "This connection already runs {} operations; complete one before starting another.",
                    self.max
                ),
                1,
            )
            .into_server_error();
            return futures_util::stream::once(async move { Response::from_errors(vec![error]) })
                .boxed();
        };
        next.run(ctx, stream)
            .map(move |response| {
                let _running = &slot;
                response
            })
            .boxed()
    }
}

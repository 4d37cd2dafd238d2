//! How many operations one websocket, and one client over all its sockets, may run at
//! once. Every subscription holds its slot until it ends or the client completes it;
//! without a bound, one connection (or one client with many) could open subscriptions
//! until the server runs out of memory.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextSubscribe};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::error::AppError;
use crate::slots::{Slot, Slots};

/// The running operations of one websocket connection and of its client (connection
/// data).
#[derive(Clone)]
pub struct SocketOperations {
    running: Arc<AtomicUsize>,
    client_operations: Slots,
    client: IpAddr,
}

impl SocketOperations {
    /// Operations of a new socket of `client`, counted in `client_operations` too.
    pub fn new(client_operations: Slots, client: IpAddr) -> Self {
        SocketOperations {
            running: Arc::default(),
            client_operations,
            client,
        }
    }

    /// A slot if fewer than `max` operations run on this socket and the client has room.
    fn take(&self, max: usize) -> Result<Running, AppError> {
        let client = self.client_operations.take(self.client).map_err(|_| {
            AppError::rate_limited(
                "This client already runs as many live operations as it may; complete some first.",
                1,
            )
        })?;
        self.running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |running| {
                (running < max).then_some(running + 1)
            })
            .map_err(|_| {
                AppError::rate_limited(
                    format!(
                        "This connection already runs {max} operations; complete one before starting another."
                    ),
                    1,
                )
            })?;
        Ok(Running {
            socket: self.running.clone(),
            _client: client,
        })
    }
}

/// One running operation; dropping it (the stream ended or was completed) frees it.
struct Running {
    socket: Arc<AtomicUsize>,
    _client: Slot,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.socket.fetch_sub(1, Ordering::AcqRel);
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
        let slot = match operations.take(self.max) {
            Ok(slot) => slot,
            Err(error) => {
                let error = error.into_server_error();
                return futures_util::stream::once(
                    async move { Response::from_errors(vec![error]) },
                )
                .boxed();
            }
        };
        next.run(ctx, stream)
            .map(move |response| {
                let _running = &slot;
                response
            })
            .boxed()
    }
}

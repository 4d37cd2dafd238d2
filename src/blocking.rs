//! CPU-bound work on tokio's blocking threads, a bounded number of jobs at a time.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinError;

use crate::error::{AppError, AppResult};

/// A bound on how many blocking jobs of one kind run at once.
#[derive(Clone)]
pub struct BoundedBlocking {
    permits: Arc<Semaphore>,
}

impl BoundedBlocking {
    /// At most `concurrency` jobs at once (at least one).
    pub fn new(concurrency: usize) -> Self {
        BoundedBlocking {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// Runs `work` on a blocking thread once a slot is free. The outer error means the
    /// job could not be started; the inner one that it panicked or was cancelled.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<Result<T, JoinError>> {
        // The permit travels with the work: a cancelled caller must not free its slot
        // while the work still runs.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        Ok(tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await)
    }
}

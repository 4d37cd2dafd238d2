//! Durable background jobs: side effects (e-mails, and later purges and payment events)
//! are enqueued in the transaction that causes them (the outbox pattern), so a change
//! and its consequences commit together, and a restart loses nothing. Workers on every
//! instance claim due jobs with a lease, retry failures with exponential backoff and
//! jitter, and bury a job after its last attempt; an administrator can retry it.
//!
//! No crate fitted: the queues that exist keep their own connection (sqlx) or support
//! one database, while ours must enqueue inside our diesel transaction on SQLite and
//! PostgreSQL alike. What is here is small: one table ([`crate::db::jobs`]), typed job
//! kinds registered with handlers, and the worker ([`worker`]).

mod worker;

use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::db::jobs::{self as rows, JobState, NewJob};
use crate::db::{Db, DbError, Tx};
use crate::error::{AppError, AppResult};

pub use worker::Workers;

/// A kind of job and the payload it carries.
pub struct JobKind<P> {
    name: &'static str,
    payload: PhantomData<fn() -> P>,
}

impl<P> JobKind<P> {
    /// A kind named `name` (stored with every job: never rename one that may be queued).
    pub const fn new(name: &'static str) -> Self {
        JobKind {
            name,
            payload: PhantomData,
        }
    }

    /// The stored name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Why a job did not succeed.
#[derive(Debug)]
pub enum JobError {
    /// Worth another attempt (a mail server down, a timeout).
    Retry(anyhow::Error),
    /// Another attempt would fail the same way (a payload that cannot be read).
    Permanent(anyhow::Error),
}

impl From<AppError> for JobError {
    fn from(e: AppError) -> Self {
        JobError::Retry(anyhow::anyhow!("{e:?}"))
    }
}

impl From<DbError> for JobError {
    fn from(e: DbError) -> Self {
        JobError::Retry(e.into())
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        JobError::Retry(e.into())
    }
}

/// What a handler learns about the job it runs.
#[derive(Debug, Clone, Copy)]
pub struct JobRun {
    pub id: i64,
    /// 1 on the first attempt.
    pub attempt: i32,
}

type Handler = Arc<
    dyn Fn(serde_json::Value, JobRun) -> BoxFuture<'static, Result<(), JobError>> + Send + Sync,
>;

/// How jobs are retried and leased.
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    /// Attempts before a job is buried.
    pub max_attempts: u32,
    /// The wait before the first retry; each further one doubles it (with jitter).
    pub retry_delay: Duration,
    /// The longest wait between attempts.
    pub max_retry_delay: Duration,
    /// How long a claim holds without renewal (a dead worker's jobs return after it).
    pub lease: Duration,
    /// Jobs one instance runs at once.
    pub concurrency: usize,
    /// How often an idle worker looks for due jobs (it is woken at once for its own).
    pub poll_interval: Duration,
}

/// Counts of jobs by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Waiting for their first attempt.
    pub queued: i64,
    /// Held by a worker now.
    pub running: i64,
    /// Waiting for another attempt after failing.
    pub failed: i64,
    /// Given up on; waiting for an administrator.
    pub dead: i64,
}

/// A buried job.
#[derive(Debug, Clone)]
pub struct DeadJob {
    pub id: i64,
    pub kind: String,
    pub summary: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub buried_at: chrono::DateTime<chrono::Utc>,
}

/// The queue: enqueue in transactions, register handlers, and look at its state.
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: JobSettings,
    handlers: RwLock<HashMap<&'static str, Handler>>,
    wake: Notify,
}

impl Jobs {
    /// A queue on `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: JobSettings) -> Self {
        Jobs {
            inner: Arc::new(Inner {
                db,
                clock,
                settings,
                handlers: RwLock::new(HashMap::new()),
                wake: Notify::new(),
            }),
        }
    }

    /// Adds a job to `tx`: it exists (and runs) only if the transaction commits.
    /// `summary` says in a few words what it is, for the dashboard.
    pub async fn enqueue<P: Serialize>(
        &self,
        tx: &mut Tx,
        kind: &JobKind<P>,
        payload: &P,
        summary: &str,
    ) -> Result<(), DbError> {
        self.insert(tx, kind.name, &written(payload)?, summary)
            .await
    }

    async fn insert(
        &self,
        tx: &mut Tx,
        kind: &'static str,
        payload: &str,
        summary: &str,
    ) -> Result<(), DbError> {
        let now = self.inner.clock.now().timestamp_millis();
        let max_attempts = i32::try_from(self.inner.settings.max_attempts).unwrap_or(i32::MAX);
        rows::insert(
            &mut tx.conn(),
            &NewJob {
                kind,
                payload,
                summary,
                state: JobState::Queued,
                max_attempts,
                run_at: now,
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        let jobs = self.clone();
        tx.after_commit(move || jobs.inner.wake.notify_one());
        Ok(())
    }

    /// Like [`Jobs::enqueue`], unless the same job already waits for an attempt: one
    /// that has not started yet will do the work of both (a job that is running may
    /// have read its input already, so it does not count).
    pub async fn enqueue_once<P: Serialize>(
        &self,
        tx: &mut Tx,
        kind: &JobKind<P>,
        payload: &P,
        summary: &str,
    ) -> Result<(), DbError> {
        let payload = written(payload)?;
        if rows::is_queued(&mut tx.conn(), kind.name, &payload).await? {
            return Ok(());
        }
        self.insert(tx, kind.name, &payload, summary).await
    }

    /// Runs `handler` for every job of `kind`. Handlers must be idempotent: a job whose
    /// worker died after the work but before recording it runs again.
    pub fn register<P, F, Fut>(&self, kind: &JobKind<P>, handler: F)
    where
        P: DeserializeOwned + Send + 'static,
        F: Fn(P, JobRun) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let erased: Handler = Arc::new(move |payload, run| {
            let handler = handler.clone();
            Box::pin(async move {
                let payload: P = serde_json::from_value(payload).map_err(|e| {
                    JobError::Permanent(anyhow::anyhow!("the payload cannot be read: {e}"))
                })?;
                handler(payload, run).await
            })
        });
        self.inner
            .handlers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(kind.name, erased);
    }

    /// Starts the workers of this instance.
    pub fn start(&self) -> Workers {
        Workers::start(self.clone())
    }

    /// Counts of jobs by state.
    pub async fn counts(&self) -> AppResult<JobCounts> {
        let mut counts = JobCounts::default();
        for (state, attempts, n) in rows::counts(&mut self.inner.db.read().await?.conn()).await? {
            match (state, attempts > 0) {
                (JobState::Queued, false) => counts.queued += n,
                (JobState::Queued, true) => counts.failed += n,
                (JobState::Running, _) => counts.running += n,
                (JobState::Dead, _) => counts.dead += n,
            }
        }
        Ok(counts)
    }

    /// The most recently buried jobs, newest first.
    pub async fn dead(&self, limit: i64) -> AppResult<Vec<DeadJob>> {
        let rows = rows::dead(&mut self.inner.db.read().await?.conn(), limit).await?;
        Ok(rows
            .into_iter()
            .map(|row| DeadJob {
                id: row.id,
                kind: row.kind,
                summary: row.summary,
                attempts: row.attempts,
                last_error: row.last_error,
                buried_at: row.updated_at.into(),
            })
            .collect())
    }

    /// Queues a buried job again with all its attempts; NOT_FOUND if there is none.
    pub async fn retry(&self, id: i64) -> AppResult<()> {
        let now = self.inner.clock.now().timestamp_millis();
        let revived = rows::revive(&mut self.inner.db.write().await?.conn(), id, now).await?;
        if !revived {
            return Err(AppError::not_found("There is no dead job with this id."));
        }
        self.inner.wake.notify_one();
        Ok(())
    }

    /// The kinds this instance has handlers for (the only ones it claims).
    fn kinds(&self) -> Vec<&'static str> {
        self.inner
            .handlers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect()
    }

    fn handler(&self, kind: &str) -> Option<Handler> {
        self.inner
            .handlers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(kind)
            .cloned()
    }
}

/// A payload as it is stored.
fn written<P: Serialize>(payload: &P) -> Result<String, DbError> {
    serde_json::to_string(payload)
        .map_err(|e| DbError::Pool(format!("a job payload could not be written: {e}")))
}

/// The wait before attempt `attempt + 1`: doubling from `base`, at most `cap`, and
/// spread by ±50 % so that jobs failing together do not retry together.
fn backoff(settings: &JobSettings, attempt: i32, jitter: f64) -> Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    let delay = settings
        .retry_delay
        .saturating_mul(1 << doublings)
        .min(settings.max_retry_delay);
    delay.mul_f64(0.5 + jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> JobSettings {
        JobSettings {
            max_attempts: 5,
            retry_delay: Duration::from_secs(2),
            max_retry_delay: Duration::from_secs(60),
            lease: Duration::from_secs(60),
            concurrency: 2,
            poll_interval: Duration::from_secs(1),
        }
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_the_cap_with_jitter() {
        let s = settings();
        assert_eq!(backoff(&s, 1, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(&s, 2, 0.5), Duration::from_secs(4));
        assert_eq!(backoff(&s, 3, 0.5), Duration::from_secs(8));
        assert_eq!(backoff(&s, 20, 0.5), Duration::from_secs(60));
        assert_eq!(backoff(&s, 1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(&s, 1, 1.0), Duration::from_secs(3));
    }
}

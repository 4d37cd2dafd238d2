//! The workers of one instance: claim due jobs with a lease, keep the lease while a job
//! runs (and stop the job the moment it cannot be kept), record the outcome, and on
//! shutdown finish what runs (within a grace period) and hand back what does not.
//!
//! Every claim holds its own lease token, `<worker>/<n>`: whatever records an outcome or
//! renews must present it, so a run that lost its lease (and whose job someone else
//! claimed since) can change nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{JobError, JobRun, Jobs, backoff};
use crate::db::DbError;
use crate::db::jobs::{self as rows, ClaimedJob};

/// The running workers; [`Workers::shutdown`] stops them.
pub struct Workers {
    jobs: Jobs,
    worker: String,
    stop: CancellationToken,
    done: tokio::task::JoinHandle<()>,
}

impl Workers {
    pub(super) fn start(jobs: Jobs) -> Self {
        let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        let stop = CancellationToken::new();
        let done = tokio::spawn(run(jobs.clone(), worker.clone(), stop.clone()));
        Workers {
            jobs,
            worker,
            stop,
            done,
        }
    }

    /// Stops claiming jobs, lets running ones finish for up to `grace`, then stops the
    /// rest and hands them back to the queue (without counting the attempt).
    pub async fn shutdown(self, grace: Duration) {
        self.stop.cancel();
        let mut done = self.done;
        if tokio::time::timeout(grace, &mut done).await.is_ok() {
            return;
        }
        // Aborting the loop drops its task set, which aborts the jobs still running.
        done.abort();
        let _ = done.await;
        let now = self.jobs.inner.clock.now().timestamp_millis();
        let released = match self.jobs.inner.db.write().await {
            Ok(mut pooled) => rows::release(&mut pooled.conn(), &self.worker, now)
                .await
                .map_err(DbError::from),
            Err(e) => Err(e),
        };
        match released {
            Ok(n) => tracing::info!(jobs = n, "unfinished jobs handed back to the queue"),
            Err(e) => {
                tracing::warn!(error = %e, "handing jobs back failed; their leases will run out")
            }
        }
    }
}

async fn run(jobs: Jobs, worker: String, stop: CancellationToken) {
    let settings = jobs.inner.settings;
    let permits = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let claims = AtomicU64::new(0);
    let mut running = JoinSet::new();
    loop {
        while running.try_join_next().is_some() {}
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = stop.cancelled() => break,
        };
        let lease = format!("{worker}/{}", claims.fetch_add(1, Ordering::Relaxed));
        match claim(&jobs, &lease).await {
            Ok(Some(job)) => {
                let jobs = jobs.clone();
                running.spawn(async move {
                    run_one(&jobs, &lease, job).await;
                    drop(permit);
                });
            }
            Ok(None) => {
                drop(permit);
                tokio::select! {
                    () = jobs.inner.wake.notified() => {}
                    () = tokio::time::sleep(settings.poll_interval) => {}
                    () = stop.cancelled() => break,
                }
            }
            Err(e) => {
                drop(permit);
                tracing::warn!(error = %e, "claiming a job failed; trying again shortly");
                tokio::select! {
                    () = tokio::time::sleep(settings.poll_interval) => {}
                    () = stop.cancelled() => break,
                }
            }
        }
    }
    // Shutting down: what runs may finish while the caller's grace lasts.
    while running.join_next().await.is_some() {}
}

/// Claims the next due job of a kind this instance can run.
async fn claim(jobs: &Jobs, lease: &str) -> Result<Option<ClaimedJob>, DbError> {
    let now = jobs.inner.clock.now();
    let kinds = serde_json::to_string(&jobs.kinds())
        .map_err(|e| DbError::Pool(format!("the job kinds could not be listed: {e}")))?;
    let claimed = rows::claim(
        &mut jobs.inner.db.write().await?.conn(),
        lease,
        &kinds,
        now.timestamp_millis(),
        lease_end(jobs, now),
    )
    .await?;
    Ok(claimed)
}

fn lease_end(jobs: &Jobs, now: DateTime<Utc>) -> i64 {
    let lease = chrono::Duration::from_std(jobs.inner.settings.lease)
        .unwrap_or_else(|_| chrono::Duration::minutes(1));
    (now + lease).timestamp_millis()
}

/// Runs one claimed job and records how it went.
async fn run_one(jobs: &Jobs, lease: &str, job: ClaimedJob) {
    let run = JobRun {
        id: job.id,
        attempt: job.attempts,
    };
    let outcome = if job.attempts > job.max_attempts {
        // Claimed again after its lease ran out each time: its worker kept dying.
        Err(JobError::Permanent(anyhow::anyhow!(
            "its worker stopped during each of {} attempts",
            job.max_attempts
        )))
    } else {
        match (
            jobs.handler(&job.kind),
            serde_json::from_str::<serde_json::Value>(&job.payload),
        ) {
            (None, _) => Err(JobError::Permanent(anyhow::anyhow!(
                "no handler for jobs of kind {:?}",
                job.kind
            ))),
            (Some(_), Err(e)) => Err(JobError::Permanent(anyhow::anyhow!(
                "the payload is not JSON: {e}"
            ))),
            (Some(handler), Ok(payload)) => {
                tokio::select! {
                    outcome = handler(payload, run) => outcome,
                    () = keep_lease(jobs, lease, job.id) => {
                        // Someone else may run it now: this run stops and records nothing.
                        tracing::warn!(job = job.id, "a job's lease could not be kept; stopped here");
                        return;
                    }
                }
            }
        }
    };
    if let Err(e) = record(jobs, lease, &job, outcome).await {
        tracing::warn!(job = job.id, error = %e, "recording a job's outcome failed; its lease will run out");
    }
}

/// Renews the lease while the job runs; completes when the lease is lost: taken over,
/// or run out because renewing failed until it ended.
async fn keep_lease(jobs: &Jobs, lease: &str, id: i64) {
    let every = jobs.inner.settings.lease / 3;
    let mut held_until = lease_end(jobs, jobs.inner.clock.now());
    loop {
        tokio::time::sleep(every).await;
        let now = jobs.inner.clock.now();
        let until = lease_end(jobs, now);
        let renewed = match jobs.inner.db.write().await {
            Ok(mut pooled) => rows::renew(&mut pooled.conn(), id, lease, until)
                .await
                .map_err(DbError::from),
            Err(e) => Err(e),
        };
        match renewed {
            Ok(true) => held_until = until,
            Ok(false) => return,
            Err(e) => {
                tracing::warn!(job = id, error = %e, "renewing a job's lease failed");
                if jobs.inner.clock.now().timestamp_millis() >= held_until {
                    return;
                }
            }
        }
    }
}

async fn record(
    jobs: &Jobs,
    lease: &str,
    job: &ClaimedJob,
    outcome: Result<(), JobError>,
) -> Result<(), DbError> {
    let now = jobs.inner.clock.now();
    let now_ms = now.timestamp_millis();
    let mut pooled = jobs.inner.db.write().await?;
    let conn = &mut pooled.conn();
    let recorded = match &outcome {
        Ok(()) => rows::finish(conn, job.id, lease).await?,
        Err(JobError::Retry(e)) if job.attempts < job.max_attempts => {
            let wait = backoff(&jobs.inner.settings, job.attempts, rand::random::<f64>());
            let run_at = now + chrono::Duration::from_std(wait).unwrap_or_default();
            let error = format!("{e:#}");
            let recorded = rows::retry_later(
                conn,
                job.id,
                lease,
                run_at.timestamp_millis(),
                &error,
                now_ms,
            )
            .await?;
            tracing::warn!(job = job.id, kind = job.kind, attempt = job.attempts, retry_in = ?wait, error, "job failed; will retry");
            recorded
        }
        Err(JobError::Retry(e) | JobError::Permanent(e)) => {
            let error = format!("{e:#}");
            let recorded = rows::bury(conn, job.id, lease, &error, now_ms).await?;
            tracing::error!(
                job = job.id,
                kind = job.kind,
                attempts = job.attempts,
                error,
                "job failed for good; it waits in the dead jobs"
            );
            recorded
        }
    };
    if !recorded {
        tracing::warn!(
            job = job.id,
            "a job's lease was taken over before its outcome was recorded"
        );
    } else if outcome.is_ok() {
        tracing::info!(
            job = job.id,
            kind = job.kind,
            attempt = job.attempts,
            "job done"
        );
    }
    Ok(())
}

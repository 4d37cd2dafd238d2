//! The workers of one instance: claim due jobs with a lease, keep the lease while a job
//! runs, record the outcome, and on shutdown finish what runs (within a grace period)
//! and hand back what does not.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{JobError, JobRun, Jobs, backoff};
use crate::db::jobs::{self as rows, ClaimedJob};

/// The running workers; [`Workers::shutdown`] stops them.
pub struct Workers {
    jobs: Jobs,
    worker: String,
    in_flight: InFlight,
    stop: CancellationToken,
    done: tokio::task::JoinHandle<()>,
}

impl Workers {
    pub(super) fn start(jobs: Jobs) -> Self {
        let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        let in_flight = InFlight::default();
        let stop = CancellationToken::new();
        let done = tokio::spawn(run(
            jobs.clone(),
            worker.clone(),
            in_flight.clone(),
            stop.clone(),
        ));
        Workers {
            jobs,
            worker,
            in_flight,
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
        let ids: Vec<i64> = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .collect();
        if ids.is_empty() {
            return;
        }
        let now = self.jobs.inner.clock.now().timestamp_millis();
        let released = match self.jobs.inner.db.write().await {
            Ok(mut pooled) => rows::release(&mut pooled.conn(), &ids, &self.worker, now)
                .await
                .map_err(crate::db::DbError::from),
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

/// The jobs this instance holds now.
type InFlight = Arc<Mutex<HashSet<i64>>>;

async fn run(jobs: Jobs, worker: String, in_flight: InFlight, stop: CancellationToken) {
    let settings = jobs.inner.settings;
    let permits = Arc::new(Semaphore::new(settings.concurrency.max(1)));
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
        match claim(&jobs, &worker).await {
            Ok(Some(job)) => {
                in_flight
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(job.id);
                let (jobs, worker, in_flight) = (jobs.clone(), worker.clone(), in_flight.clone());
                running.spawn(async move {
                    let id = job.id;
                    run_one(&jobs, &worker, job).await;
                    in_flight
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remove(&id);
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

async fn claim(jobs: &Jobs, worker: &str) -> Result<Option<ClaimedJob>, crate::db::DbError> {
    let now = jobs.inner.clock.now();
    let until = lease_end(jobs, now);
    let claimed = rows::claim(
        &mut jobs.inner.db.write().await?.conn(),
        worker,
        now.timestamp_millis(),
        until,
    )
    .await?;
    Ok(claimed)
}

fn lease_end(jobs: &Jobs, now: chrono::DateTime<chrono::Utc>) -> i64 {
    let lease = chrono::Duration::from_std(jobs.inner.settings.lease)
        .unwrap_or_else(|_| chrono::Duration::minutes(1));
    (now + lease).timestamp_millis()
}

/// Runs one claimed job and records how it went.
async fn run_one(jobs: &Jobs, worker: &str, job: ClaimedJob) {
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
            // Perhaps a newer instance knows this kind: leave it for a while.
            (None, _) => Err(JobError::Retry(anyhow::anyhow!(
                "no handler for jobs of kind {:?} on this instance",
                job.kind
            ))),
            (Some(_), Err(e)) => Err(JobError::Permanent(anyhow::anyhow!(
                "the payload is not JSON: {e}"
            ))),
            (Some(handler), Ok(payload)) => {
                let keep_lease = keep_lease(jobs, worker, job.id);
                tokio::select! {
                    outcome = handler(payload, run) => outcome,
                    () = keep_lease => Err(JobError::Retry(anyhow::anyhow!("the lease was lost"))),
                }
            }
        }
    };
    if let Err(e) = record(jobs, worker, &job, outcome).await {
        tracing::warn!(job = job.id, error = %e, "recording a job's outcome failed; its lease will run out");
    }
}

/// Renews the lease while the job runs; completes only if the lease was lost.
async fn keep_lease(jobs: &Jobs, worker: &str, id: i64) {
    let every = jobs.inner.settings.lease / 3;
    loop {
        tokio::time::sleep(every).await;
        let until = lease_end(jobs, jobs.inner.clock.now());
        let renewed = match jobs.inner.db.write().await {
            Ok(mut pooled) => rows::renew(&mut pooled.conn(), id, worker, until).await,
            Err(e) => {
                tracing::warn!(job = id, error = %e, "renewing a job's lease failed");
                continue;
            }
        };
        match renewed {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = id, "a job's lease was taken over; stopping it here");
                return;
            }
            Err(e) => tracing::warn!(job = id, error = %e, "renewing a job's lease failed"),
        }
    }
}

async fn record(
    jobs: &Jobs,
    worker: &str,
    job: &ClaimedJob,
    outcome: Result<(), JobError>,
) -> Result<(), crate::db::DbError> {
    let now = jobs.inner.clock.now();
    let now_ms = now.timestamp_millis();
    let mut pooled = jobs.inner.db.write().await?;
    let conn = &mut pooled.conn();
    match outcome {
        Ok(()) => {
            rows::finish(conn, job.id, worker).await?;
            tracing::info!(
                job = job.id,
                kind = job.kind,
                attempt = job.attempts,
                "job done"
            );
        }
        Err(JobError::Retry(e)) if job.attempts < job.max_attempts => {
            let wait = backoff(&jobs.inner.settings, job.attempts, rand::random::<f64>());
            let run_at = now + chrono::Duration::from_std(wait).unwrap_or_default();
            let error = format!("{e:#}");
            rows::retry_later(
                conn,
                job.id,
                worker,
                run_at.timestamp_millis(),
                &error,
                now_ms,
            )
            .await?;
            tracing::warn!(job = job.id, kind = job.kind, attempt = job.attempts, retry_in = ?wait, error, "job failed; will retry");
        }
        Err(JobError::Retry(e) | JobError::Permanent(e)) => {
            let error = format!("{e:#}");
            rows::bury(conn, job.id, worker, &error, now_ms).await?;
            tracing::error!(
                job = job.id,
                kind = job.kind,
                attempts = job.attempts,
                error,
                "job failed for good; it waits in the dead jobs"
            );
        }
    }
    Ok(())
}

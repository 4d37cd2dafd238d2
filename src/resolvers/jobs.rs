//! The background job queue as administrators see it: counts, dead jobs, retrying.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::scalars::parse_id;
use crate::jobs::DeadJob;

/// How many dead jobs a page lists at most.
const MAX_DEAD_LISTED: i32 = 100;

/// The queue of background jobs (e-mails and other side effects).
pub struct JobQueueGql;

#[Object(name = "JobQueue")]
impl JobQueueGql {
    /// Jobs by state.
    async fn counts(&self, ctx: &Context<'_>) -> Result<JobCountsGql> {
        let counts = ctx.app().services.jobs.counts().await?;
        Ok(JobCountsGql {
            queued: counts.queued,
            running: counts.running,
            failed: counts.failed,
            dead: counts.dead,
        })
    }

    /// Jobs that failed every attempt, most recent first.
    async fn dead_jobs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 100))] first: i32,
    ) -> Result<Vec<DeadJobGql>> {
        let limit = i64::from(first.min(MAX_DEAD_LISTED));
        let dead = ctx.app().services.jobs.dead(limit).await?;
        Ok(dead.into_iter().map(DeadJobGql).collect())
    }
}

/// Jobs by state.
#[derive(SimpleObject)]
#[graphql(name = "JobCounts")]
pub struct JobCountsGql {
    /// Waiting for their first attempt.
    queued: i64,
    /// Being run now.
    running: i64,
    /// Failed at least once; waiting to be retried.
    failed: i64,
    /// Failed every attempt; waiting for an administrator.
    dead: i64,
}

/// A job that failed every attempt.
pub struct DeadJobGql(DeadJob);

#[Object(name = "DeadJob")]
impl DeadJobGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What kind of job it is (e.g. `mail.send`).
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// What it was about, in a few words (for e-mails: the recipient and subject).
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When it was given up on.
    async fn failed_at(&self) -> DateTime<Utc> {
        self.0.buried_at
    }
}

/// Reading the job queue.
#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// The background job queue (e-mails and other side effects).
    #[graphql(guard = "AdminOnly")]
    async fn job_queue(&self) -> JobQueueGql {
        JobQueueGql
    }
}

/// Acting on the job queue.
#[derive(Default)]
pub struct JobsMutation;

#[Object]
impl JobsMutation {
    /// Queues a dead job again with all its attempts.
    #[graphql(guard = "AdminOnly")]
    async fn retry_job(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        ctx.app().services.jobs.retry(parse_id(&id)?).await?;
        Ok(true)
    }
}

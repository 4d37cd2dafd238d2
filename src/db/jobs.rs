//! Queries on `jobs`: enqueue, claim with a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite's single writer serialises claims), finish, retry, bury.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;

use super::schema::jobs;
use super::{Conn, with_conn};

crate::stored_enum::stored_enum! {
    /// Where a job stands.
    pub enum JobState {
        /// Waiting to run (again).
        Queued = "QUEUED",
        /// A worker holds a lease on it.
        Running = "RUNNING",
        /// It failed every attempt; it waits for an administrator.
        Dead = "DEAD",
    }
}

/// The values of a new job.
#[derive(Debug, Insertable)]
#[diesel(table_name = jobs)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub summary: &'a str,
    pub state: JobState,
    pub max_attempts: i32,
    pub run_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A claimed job.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedJob {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub max_attempts: i32,
}

/// A dead job, as the dashboard lists it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct DeadJobRow {
    pub id: i64,
    pub kind: String,
    pub summary: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub updated_at: crate::time::Timestamp,
}

/// Stores a job.
pub async fn insert(conn: &mut Conn<'_>, job: &NewJob<'_>) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(jobs::table)
        .values(job)
        .execute(c)
        .await)?;
    Ok(())
}

/// Whether a job of `kind` with exactly `payload` waits for an attempt (not one running).
pub async fn is_queued(conn: &mut Conn<'_>, kind: &str, payload: &str) -> QueryResult<bool> {
    let found: Option<i64> = with_conn!(conn, |c| jobs::table
        .select(jobs::id)
        .filter(jobs::kind.eq(kind))
        .filter(jobs::payload.eq(payload))
        .filter(jobs::state.eq(JobState::Queued))
        .first(c)
        .await
        .optional())?;
    Ok(found.is_some())
}

const CLAIM_SQLITE: &str = "UPDATE jobs SET state = 'RUNNING', locked_by = ?, locked_until = ?, \
    attempts = attempts + 1, updated_at = ? \
    WHERE id = (SELECT id FROM jobs WHERE ((state = 'QUEUED' AND run_at <= ?) \
        OR (state = 'RUNNING' AND locked_until <= ?)) \
        AND kind IN (SELECT value FROM json_each(?)) ORDER BY run_at, id LIMIT 1) \
    RETURNING id, kind, payload, attempts, max_attempts";

const CLAIM_POSTGRES: &str = "UPDATE jobs SET state = 'RUNNING', locked_by = $1, locked_until = $2, \
    attempts = attempts + 1, updated_at = $3 \
    WHERE id = (SELECT id FROM jobs WHERE ((state = 'QUEUED' AND run_at <= $4) \
        OR (state = 'RUNNING' AND locked_until <= $5)) \
        AND kind IN (SELECT json_array_elements_text($6::json)) ORDER BY run_at, id LIMIT 1 \
        FOR UPDATE SKIP LOCKED) \
    RETURNING id, kind, payload, attempts, max_attempts";

/// Leases the next due job (or one whose lease ran out) of one of `kinds` (a JSON list
/// of names) under the token `lease` until `until`. Concurrent claims, on any
/// instance, never get the same job.
pub async fn claim(
    conn: &mut Conn<'_>,
    lease: &str,
    kinds: &str,
    now: i64,
    until: i64,
) -> QueryResult<Option<ClaimedJob>> {
    let sql = match conn {
        Conn::Sqlite(_) => CLAIM_SQLITE,
        Conn::Pg(_) => CLAIM_POSTGRES,
    };
    let query = diesel::sql_query(sql)
        .bind::<Text, _>(lease)
        .bind::<BigInt, _>(until)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(now)
        .bind::<Text, _>(kinds);
    with_conn!(conn, |c| query.get_result(c).await.optional())
}

/// The job `id` while the claim `lease` still holds it.
#[diesel::dsl::auto_type]
fn leased<'a>(id: i64, lease: &'a str) -> _ {
    let running: JobState = JobState::Running;
    jobs::table
        .find(id)
        .filter(jobs::locked_by.eq(lease))
        .filter(jobs::state.eq(running))
}

/// Extends the lease `lease` of job `id`; false when it was lost.
pub async fn renew(conn: &mut Conn<'_>, id: i64, lease: &str, until: i64) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::update(leased(id, lease))
        .set(jobs::locked_until.eq(until))
        .execute(c)
        .await)?;
    Ok(n == 1)
}

/// Removes a finished job.
pub async fn finish(conn: &mut Conn<'_>, id: i64, lease: &str) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::delete(leased(id, lease)).execute(c).await)?;
    Ok(n == 1)
}

/// Puts a failed job back in the queue to run at `run_at`.
pub async fn retry_later(
    conn: &mut Conn<'_>,
    id: i64,
    lease: &str,
    run_at: i64,
    error: &str,
    now: i64,
) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::update(leased(id, lease))
        .set((
            jobs::state.eq(JobState::Queued),
            jobs::run_at.eq(run_at),
            jobs::last_error.eq(error),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<i64>),
            jobs::updated_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(n == 1)
}

/// Gives up on a job: it stays, dead, until an administrator retries it.
pub async fn bury(
    conn: &mut Conn<'_>,
    id: i64,
    lease: &str,
    error: &str,
    now: i64,
) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::update(leased(id, lease))
        .set((
            jobs::state.eq(JobState::Dead),
            jobs::last_error.eq(error),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<i64>),
            jobs::updated_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(n == 1)
}

/// Hands back every job the claims of `worker` (`<worker>/<n>`) hold, without counting
/// the attempt (a stopping worker).
pub async fn release(conn: &mut Conn<'_>, worker: &str, now: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::update(
        jobs::table
            .filter(jobs::locked_by.like(format!("{worker}/%")))
            .filter(jobs::state.eq(JobState::Running))
    )
    .set((
        jobs::state.eq(JobState::Queued),
        jobs::attempts.eq(jobs::attempts - 1),
        jobs::run_at.eq(now),
        jobs::locked_by.eq(None::<String>),
        jobs::locked_until.eq(None::<i64>),
        jobs::updated_at.eq(now),
    ))
    .execute(c)
    .await)
}

/// Queues a dead job again with fresh attempts; false when there is no such dead job.
pub async fn revive(conn: &mut Conn<'_>, id: i64, now: i64) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::update(
        jobs::table.find(id).filter(jobs::state.eq(JobState::Dead))
    )
    .set((
        jobs::state.eq(JobState::Queued),
        jobs::attempts.eq(0),
        jobs::run_at.eq(now),
        jobs::updated_at.eq(now),
    ))
    .execute(c)
    .await)?;
    Ok(n == 1)
}

/// How many jobs there are by state and attempts made.
pub async fn counts(conn: &mut Conn<'_>) -> QueryResult<Vec<(JobState, i32, i64)>> {
    with_conn!(conn, |c| jobs::table
        .group_by((jobs::state, jobs::attempts))
        .select((jobs::state, jobs::attempts, diesel::dsl::count_star()))
        .load(c)
        .await)
}

/// The most recently buried jobs, newest first.
pub async fn dead(conn: &mut Conn<'_>, limit: i64) -> QueryResult<Vec<DeadJobRow>> {
    with_conn!(conn, |c| jobs::table
        .filter(jobs::state.eq(JobState::Dead))
        .order((jobs::updated_at.desc(), jobs::id.desc()))
        .limit(limit)
        .select(DeadJobRow::as_select())
        .load(c)
        .await)
}

//! Rate-limit events shared by the instances of one PostgreSQL database (the UNLOGGED
//! `throttle_events` table and its `throttle_hit` function). PostgreSQL only: SQLite
//! runs one instance, which keeps its events in memory.

use diesel::sql_types::{Array, BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(QueryableByName)]
struct Wait {
    #[diesel(sql_type = BigInt)]
    wait: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Records an event at `now` for every key if each stays within its `(max, window)`
/// (`None`: no limit); answers the longest wait in milliseconds, 0 when recorded.
pub async fn hit(
    conn: &mut AsyncPgConnection,
    keys: &[&str],
    limits: &[(Option<i64>, i64)],
    now: i64,
) -> QueryResult<i64> {
    let maxes: Vec<Option<i64>> = limits.iter().map(|(max, _)| *max).collect();
    let windows: Vec<i64> = limits.iter().map(|(_, window)| *window).collect();
    let answer: Wait = diesel::sql_query("SELECT throttle_hit($1, $2, $3, $4) AS wait")
        .bind::<Array<Text>, _>(keys)
        .bind::<Array<Nullable<BigInt>>, _>(maxes)
        .bind::<Array<BigInt>, _>(windows)
        .bind::<BigInt, _>(now)
        .get_result(conn)
        .await?;
    Ok(answer.wait)
}

/// How many events of `key` happened after `since`.
pub async fn count(conn: &mut AsyncPgConnection, key: &str, since: i64) -> QueryResult<i64> {
    let answer: Count =
        diesel::sql_query("SELECT count(*) AS n FROM throttle_events WHERE key = $1 AND at > $2")
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(since)
            .get_result(conn)
            .await?;
    Ok(answer.n)
}

/// Deletes the latest event of each key. Concurrent undos of one key each take a
/// different event (SKIP LOCKED), so two successes take back two events.
pub async fn undo(conn: &mut AsyncPgConnection, keys: &[&str]) -> QueryResult<()> {
    diesel::sql_query(
        "DELETE FROM throttle_events WHERE id IN (\
           SELECT (SELECT id FROM throttle_events e WHERE e.key = k \
                   ORDER BY at DESC, id DESC LIMIT 1 FOR UPDATE SKIP LOCKED) \
           FROM unnest($1::text[]) AS k)",
    )
    .bind::<Array<Text>, _>(keys)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes every event of each key.
pub async fn forget(conn: &mut AsyncPgConnection, keys: &[&str]) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM throttle_events WHERE key = ANY($1)")
        .bind::<Array<Text>, _>(keys)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the events of every key that starts with `prefix`.
pub async fn clear_prefix(conn: &mut AsyncPgConnection, prefix: &str) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM throttle_events WHERE starts_with(key, $1)")
        .bind::<Text, _>(prefix)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the events at or before `before` (older than any window).
pub async fn sweep(conn: &mut AsyncPgConnection, before: i64) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM throttle_events WHERE at <= $1")
        .bind::<BigInt, _>(before)
        .execute(conn)
        .await
}

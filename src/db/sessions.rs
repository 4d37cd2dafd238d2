//! Queries on `sessions`. Only SHA-256 hashes of session tokens are stored.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{sessions, users};
use super::users::UserRow;
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// A row of `sessions`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Stores a new session.
pub async fn insert(
    conn: &mut Conn<'_>,
    token_hash: &str,
    user_id: i64,
    created_at: Timestamp,
    expires_at: Timestamp,
) -> QueryResult<SessionRow> {
    with_conn!(conn, |c| diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(created_at),
            sessions::expires_at.eq(expires_at),
        ))
        .returning(SessionRow::as_returning())
        .get_result(c)
        .await)
}

/// The unexpired session with this token hash and its user.
pub async fn find_live(
    conn: &mut Conn<'_>,
    token_hash: &str,
    now: Timestamp,
) -> QueryResult<Option<(SessionRow, UserRow)>> {
    with_conn!(conn, |c| sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(c)
        .await
        .optional())
}

/// Moves a session's end to `until` if it ends before `due_before` (concurrent requests
/// extend it once); whether this call did.
pub async fn extend(
    conn: &mut Conn<'_>,
    id: i64,
    due_before: Timestamp,
    until: Timestamp,
) -> QueryResult<bool> {
    let extended = with_conn!(conn, |c| diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::expires_at.lt(due_before))
    )
    .set(sessions::expires_at.eq(until))
    .execute(c)
    .await)?;
    Ok(extended == 1)
}

/// When a session began.
pub async fn created_at(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<Timestamp>> {
    with_conn!(conn, |c| sessions::table
        .find(id)
        .select(sessions::created_at)
        .first(c)
        .await
        .optional())
}

/// A user's unexpired sessions, newest first.
pub async fn live_for_user(
    conn: &mut Conn<'_>,
    user_id: i64,
    now: Timestamp,
) -> QueryResult<Vec<SessionRow>> {
    with_conn!(conn, |c| sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .order(sessions::id.desc())
        .select(SessionRow::as_select())
        .load(c)
        .await)
}

/// Ends session `id` if it belongs to `user_id`; false when it does not (or is gone).
pub async fn delete_owned(conn: &mut Conn<'_>, id: i64, user_id: i64) -> QueryResult<bool> {
    let n = with_conn!(conn, |c| diesel::delete(
        sessions::table
            .find(id)
            .filter(sessions::user_id.eq(user_id))
    )
    .execute(c)
    .await)?;
    Ok(n == 1)
}

/// Ends one session.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(sessions::table.find(id))
        .execute(c)
        .await)
}

/// Ends every session of a user except `keep` (the caller's own, when it stays signed in).
pub async fn delete_for_user(
    conn: &mut Conn<'_>,
    user_id: i64,
    keep: Option<i64>,
) -> QueryResult<usize> {
    let keep = keep.unwrap_or(-1);
    with_conn!(conn, |c| diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep))
    )
    .execute(c)
    .await)
}

/// Removes sessions that expired before `now`.
pub async fn delete_expired(conn: &mut Conn<'_>, now: Timestamp) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        sessions::table.filter(sessions::expires_at.le(now))
    )
    .execute(c)
    .await)
}

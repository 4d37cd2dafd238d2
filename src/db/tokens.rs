//! Queries on `one_time_tokens`: issued hashed, consumed by one conditional update.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{one_time_tokens, users};
use super::{Conn, with_conn};
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// What a one-time token is for.
    pub enum TokenPurpose {
        PasswordReset = "PASSWORD_RESET",
        EmailChange = "EMAIL_CHANGE",
        EmailVerification = "EMAIL_VERIFICATION",
    }
}

/// The values of a new token.
#[derive(Debug, Insertable)]
#[diesel(table_name = one_time_tokens)]
pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub purpose: TokenPurpose,
    pub new_email: Option<&'a str>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Stores a token.
pub async fn insert(conn: &mut Conn<'_>, token: &NewToken<'_>) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(one_time_tokens::table)
        .values(token)
        .execute(c)
        .await)?;
    Ok(())
}

/// Deletes a user's unused tokens, of one purpose or (with `None`) of every purpose.
pub async fn delete_unused(
    conn: &mut Conn<'_>,
    user_id: i64,
    purpose: Option<TokenPurpose>,
) -> QueryResult<usize> {
    let unused = one_time_tokens::table
        .filter(one_time_tokens::user_id.eq(user_id))
        .filter(one_time_tokens::used_at.is_null());
    match purpose {
        Some(purpose) => with_conn!(conn, |c| diesel::delete(
            unused.filter(one_time_tokens::purpose.eq(purpose))
        )
        .execute(c)
        .await),
        None => with_conn!(conn, |c| diesel::delete(unused).execute(c).await),
    }
}

/// Deletes every token of a user, used or not (erasing the account: used e-mail change
/// tokens hold addresses).
pub async fn delete_all(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        one_time_tokens::table.filter(one_time_tokens::user_id.eq(user_id))
    )
    .execute(c)
    .await)
}

/// Marks the token used if it is unused, unexpired and of `purpose`; returns its user
/// and (for e-mail changes) the new address. Concurrent callers: exactly one wins.
pub async fn consume(
    conn: &mut Conn<'_>,
    token_hash: &str,
    purpose: TokenPurpose,
    now: Timestamp,
) -> QueryResult<Option<(i64, Option<String>)>> {
    with_conn!(conn, |c| diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::token_hash.eq(token_hash))
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::used_at.is_null())
            .filter(one_time_tokens::expires_at.gt(now))
    )
    .set(one_time_tokens::used_at.eq(now))
    .returning((one_time_tokens::user_id, one_time_tokens::new_email))
    .get_result(c)
    .await
    .optional())
}

/// Whether the user has a token of `purpose` (used or not) made for a request later than
/// `requested_at`.
pub async fn exists_later(
    conn: &mut Conn<'_>,
    user_id: i64,
    purpose: TokenPurpose,
    requested_at: Timestamp,
) -> QueryResult<bool> {
    let found: Option<i64> = with_conn!(conn, |c| one_time_tokens::table
        .filter(one_time_tokens::user_id.eq(user_id))
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::created_at.gt(requested_at))
        .select(one_time_tokens::id)
        .first(c)
        .await
        .optional())?;
    Ok(found.is_some())
}

/// Whether the token would be accepted now (unused, unexpired, of an enabled user).
pub async fn is_usable(
    conn: &mut Conn<'_>,
    token_hash: &str,
    purpose: TokenPurpose,
    now: Timestamp,
) -> QueryResult<bool> {
    let found: Option<i64> = with_conn!(conn, |c| one_time_tokens::table
        .inner_join(users::table)
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .filter(users::disabled.eq(false))
        .select(one_time_tokens::id)
        .first(c)
        .await
        .optional())?;
    Ok(found.is_some())
}

//! Queries on `identities` (Google and Facebook sign-ins linked to accounts) and
//! `pending_identities` (links waiting for the account owner's password).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{identities, pending_identities, users};
use super::users::UserRow;
use super::{Conn, with_conn};
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// Who vouches for an identity.
    pub enum Provider {
        Google = "GOOGLE",
        Facebook = "FACEBOOK",
    }
}

/// A row of `identities`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = identities)]
pub struct IdentityRow {
    pub id: i64,
    pub user_id: i64,
    pub provider: Provider,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: Timestamp,
}

/// The account an identity belongs to.
pub async fn owner(
    conn: &mut Conn<'_>,
    provider: Provider,
    subject: &str,
) -> QueryResult<Option<UserRow>> {
    with_conn!(conn, |c| identities::table
        .inner_join(users::table)
        .filter(identities::provider.eq(provider))
        .filter(identities::subject.eq(subject))
        .select(UserRow::as_select())
        .first(c)
        .await
        .optional())
}

/// Links an identity to an account; a unique violation means the identity, or an
/// identity of that provider on the account, is taken.
pub async fn insert(
    conn: &mut Conn<'_>,
    user_id: i64,
    provider: Provider,
    subject: &str,
    email: Option<&str>,
    now: Timestamp,
) -> QueryResult<IdentityRow> {
    with_conn!(conn, |c| diesel::insert_into(identities::table)
        .values((
            identities::user_id.eq(user_id),
            identities::provider.eq(provider),
            identities::subject.eq(subject),
            identities::email.eq(email),
            identities::created_at.eq(now),
        ))
        .returning(IdentityRow::as_returning())
        .get_result(c)
        .await)
}

/// The identities linked to an account.
pub async fn of_user(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<Vec<IdentityRow>> {
    with_conn!(conn, |c| identities::table
        .filter(identities::user_id.eq(user_id))
        .order(identities::id.asc())
        .select(IdentityRow::as_select())
        .load(c)
        .await)
}

/// Unlinks the account's identity of `provider`; whether there was one.
pub async fn delete(conn: &mut Conn<'_>, user_id: i64, provider: Provider) -> QueryResult<bool> {
    let deleted = with_conn!(conn, |c| diesel::delete(
        identities::table
            .filter(identities::user_id.eq(user_id))
            .filter(identities::provider.eq(provider))
    )
    .execute(c)
    .await)?;
    Ok(deleted > 0)
}

/// Unlinks every identity of an account (erasing it).
pub async fn delete_all(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        identities::table.filter(identities::user_id.eq(user_id))
    )
    .execute(c)
    .await)
}

/// A link waiting for the owner's password.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pending_identities)]
pub struct PendingRow {
    pub provider: Provider,
    pub subject: String,
    pub email: String,
}

/// Stores a waiting link under the hash of its token.
pub async fn insert_pending(
    conn: &mut Conn<'_>,
    token_hash: &str,
    pending: &PendingRow,
    now: Timestamp,
    expires_at: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(pending_identities::table)
        .values((
            pending_identities::token_hash.eq(token_hash),
            pending_identities::provider.eq(pending.provider),
            pending_identities::subject.eq(&pending.subject),
            pending_identities::email.eq(&pending.email),
            pending_identities::created_at.eq(now),
            pending_identities::expires_at.eq(expires_at),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// Takes a waiting link (it works once) if it has not expired.
pub async fn take_pending(
    conn: &mut Conn<'_>,
    token_hash: &str,
    now: Timestamp,
) -> QueryResult<Option<PendingRow>> {
    with_conn!(conn, |c| diesel::delete(
        pending_identities::table
            .filter(pending_identities::token_hash.eq(token_hash))
            .filter(pending_identities::expires_at.gt(now))
    )
    .returning(PendingRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Forgets waiting links that expired.
pub async fn delete_expired_pending(conn: &mut Conn<'_>, now: Timestamp) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        pending_identities::table.filter(pending_identities::expires_at.le(now))
    )
    .execute(c)
    .await)
}

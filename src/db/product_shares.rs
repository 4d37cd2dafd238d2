//! Queries on `product_shares` (products sent to a friend by e-mail) and
//! `share_opt_outs` (addresses that want no more of them).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{product_shares, share_opt_outs};
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// Records a share.
pub async fn insert(
    conn: &mut Conn<'_>,
    user_id: i64,
    product_id: i64,
    recipient: &str,
    opt_out_hash: &str,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(product_shares::table)
        .values((
            product_shares::user_id.eq(user_id),
            product_shares::product_id.eq(product_id),
            product_shares::recipient.eq(recipient),
            product_shares::opt_out_hash.eq(opt_out_hash),
            product_shares::created_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// The address a share's opt-out token was sent to.
pub async fn recipient_of(conn: &mut Conn<'_>, opt_out_hash: &str) -> QueryResult<Option<String>> {
    with_conn!(conn, |c| product_shares::table
        .filter(product_shares::opt_out_hash.eq(opt_out_hash))
        .select(product_shares::recipient)
        .first(c)
        .await
        .optional())
}

/// Deletes shares older than `before` (their limits and opt-out links have expired).
pub async fn delete_before(conn: &mut Conn<'_>, before: Timestamp) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        product_shares::table.filter(product_shares::created_at.lt(before))
    )
    .execute(c)
    .await)
}

/// Records that an address wants no more shared products.
pub async fn opt_out(conn: &mut Conn<'_>, email: &str, now: Timestamp) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(share_opt_outs::table)
        .values((
            share_opt_outs::email.eq(email),
            share_opt_outs::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await)?;
    Ok(())
}

/// Whether an address asked for no shared products.
pub async fn opted_out(conn: &mut Conn<'_>, email: &str) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::select(diesel::dsl::exists(
        share_opt_outs::table.filter(share_opt_outs::email.eq(email))
    ))
    .get_result(c)
    .await)
}

/// Unlinks a customer from the products they shared (their account is erased).
pub async fn forget_sender(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::update(
        product_shares::table.filter(product_shares::user_id.eq(user_id))
    )
    .set(product_shares::user_id.eq(None::<i64>))
    .execute(c)
    .await)
}

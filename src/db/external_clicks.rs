//! Queries on `external_clicks`: clicks on products' "buy elsewhere" links.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::external_clicks;
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// Records a click.
pub async fn insert(
    conn: &mut Conn<'_>,
    product_id: i64,
    visitor_id: Option<&str>,
    referrer: Option<&str>,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(external_clicks::table)
        .values((
            external_clicks::product_id.eq(product_id),
            external_clicks::visitor_id.eq(visitor_id),
            external_clicks::referrer.eq(referrer),
            external_clicks::clicked_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// Clicks per product since `since`, for these products.
pub async fn counts_since(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
    since: Timestamp,
) -> QueryResult<Vec<(i64, i64)>> {
    with_conn!(conn, |c| external_clicks::table
        .filter(external_clicks::product_id.eq_any(product_ids))
        .filter(external_clicks::clicked_at.ge(since))
        .group_by(external_clicks::product_id)
        .select((external_clicks::product_id, count_star()))
        .load(c)
        .await)
}

/// Forgets clicks older than `before` (they are counted for 30 days only).
pub async fn delete_before(conn: &mut Conn<'_>, before: Timestamp) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        external_clicks::table.filter(external_clicks::clicked_at.lt(before))
    )
    .execute(c)
    .await)
}

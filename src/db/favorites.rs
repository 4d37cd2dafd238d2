//! Queries on `favorites` and the count each product keeps of them.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::products::ProductRow;
use super::schema::{favorites, products};
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// Adds a favourite; false when it was there already.
pub async fn insert(
    conn: &mut Conn<'_>,
    user_id: i64,
    product_id: i64,
    now: Timestamp,
) -> QueryResult<bool> {
    let inserted = with_conn!(conn, |c| diesel::insert_into(favorites::table)
        .values((
            favorites::user_id.eq(user_id),
            favorites::product_id.eq(product_id),
            favorites::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await)?;
    Ok(inserted == 1)
}

/// Removes a favourite; false when there was none.
pub async fn delete(conn: &mut Conn<'_>, user_id: i64, product_id: i64) -> QueryResult<bool> {
    let deleted = with_conn!(conn, |c| diesel::delete(
        favorites::table.find((user_id, product_id))
    )
    .execute(c)
    .await)?;
    Ok(deleted == 1)
}

/// Moves a product's favourite count by `delta` (in the transaction that changed them).
pub async fn bump_count(conn: &mut Conn<'_>, product_id: i64, delta: i64) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(products::table.find(product_id))
        .set(products::favorite_count.eq(products::favorite_count + delta))
        .execute(c)
        .await)?;
    Ok(())
}

/// Which of these products a customer favourited.
pub async fn among(
    conn: &mut Conn<'_>,
    user_id: i64,
    product_ids: &[i64],
) -> QueryResult<Vec<i64>> {
    with_conn!(conn, |c| favorites::table
        .filter(favorites::user_id.eq(user_id))
        .filter(favorites::product_id.eq_any(product_ids))
        .select(favorites::product_id)
        .load(c)
        .await)
}

/// A page of a customer's shown favourites, latest first: the time each was added
/// (the cursor) and the product.
pub async fn of_user(
    conn: &mut Conn<'_>,
    user_id: i64,
    after: Option<(Timestamp, i64)>,
    fetch: i64,
) -> QueryResult<Vec<(Timestamp, ProductRow)>> {
    with_conn!(conn, |c| {
        let mut query = favorites::table
            .inner_join(products::table)
            .filter(favorites::user_id.eq(user_id))
            .filter(products::active.eq(true))
            .filter(products::archived_at.is_null())
            .select((favorites::created_at, ProductRow::as_select()))
            .into_boxed();
        if let Some((at, id)) = after {
            query = query.filter(
                favorites::created_at
                    .lt(at)
                    .or(favorites::created_at.eq(at).and(products::id.lt(id))),
            );
        }
        query
            .order((favorites::created_at.desc(), products::id.desc()))
            .limit(fetch)
            .load(c)
            .await
    })
}

/// How many shown favourites a customer has.
pub async fn count_of_user(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<i64> {
    with_conn!(conn, |c| favorites::table
        .inner_join(products::table)
        .filter(favorites::user_id.eq(user_id))
        .filter(products::active.eq(true))
        .filter(products::archived_at.is_null())
        .count()
        .get_result(c)
        .await)
}

/// Removes every favourite of a customer (their account is erased) and returns the
/// products they were on, in id order (their counts are moved in that order, as
/// checkout locks products).
pub async fn delete_all(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<Vec<i64>> {
    let mut products: Vec<i64> = with_conn!(conn, |c| diesel::delete(
        favorites::table.filter(favorites::user_id.eq(user_id))
    )
    .returning(favorites::product_id)
    .get_results(c)
    .await)?;
    products.sort_unstable();
    Ok(products)
}

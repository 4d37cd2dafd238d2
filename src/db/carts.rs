//! Queries on `carts` and `cart_lines`. A customer's cart is reached through the
//! customer, a guest's through the hash of its cookie's token: a line id from another
//! cart is never read or changed.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{cart_lines, carts};
use super::{Conn, with_conn};
use crate::money::Money;
use crate::time::Timestamp;

/// A row of `carts`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = carts)]
pub struct CartRow {
    pub id: i64,
    pub token_hash: Option<String>,
    pub user_id: Option<i64>,
    pub coupon_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A row of `cart_lines`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cart_lines)]
pub struct LineRow {
    pub id: i64,
    pub cart_id: i64,
    pub product_id: i64,
    pub quantity: i32,
    pub seen_price: Money,
    pub added_at: Timestamp,
}

/// Who a cart belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Customer(i64),
    /// The hash of a guest's cookie token.
    Guest(&'a str),
}

/// The cart of `owner`, if it has one (a guest's only while it is younger than
/// `guest_since`).
pub async fn find(
    conn: &mut Conn<'_>,
    owner: Owner<'_>,
    guest_since: Timestamp,
) -> QueryResult<Option<CartRow>> {
    with_conn!(conn, |c| {
        let query = carts::table.select(CartRow::as_select()).into_boxed();
        let query = match owner {
            Owner::Customer(id) => query.filter(carts::user_id.eq(id)),
            Owner::Guest(hash) => query
                .filter(carts::token_hash.eq(hash))
                .filter(carts::updated_at.ge(guest_since)),
        };
        query.first(c).await.optional()
    })
}

/// Creates the cart of `owner`, or finds the one a concurrent request just created.
pub async fn create(conn: &mut Conn<'_>, owner: Owner<'_>, now: Timestamp) -> QueryResult<CartRow> {
    let (token_hash, user_id) = match owner {
        Owner::Customer(id) => (None, Some(id)),
        Owner::Guest(hash) => (Some(hash), None),
    };
    let inserted = with_conn!(conn, |c| diesel::insert_into(carts::table)
        .values((
            carts::token_hash.eq(token_hash),
            carts::user_id.eq(user_id),
            carts::created_at.eq(now),
            carts::updated_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(CartRow::as_returning())
        .get_result(c)
        .await
        .optional())?;
    match inserted {
        Some(row) => Ok(row),
        None => with_conn!(conn, |c| {
            let query = carts::table.select(CartRow::as_select()).into_boxed();
            match owner {
                Owner::Customer(id) => query.filter(carts::user_id.eq(id)),
                Owner::Guest(hash) => query.filter(carts::token_hash.eq(hash)),
            }
            .first(c)
            .await
        }),
    }
}

/// Locks the cart for the rest of the transaction (PostgreSQL; SQLite's write
/// transactions are serial already), so that changes to one cart, and its checkout,
/// never interleave.
pub async fn lock(conn: &mut Conn<'_>, id: i64) -> QueryResult<()> {
    if let Conn::Pg(c) = conn {
        carts::table
            .find(id)
            .select(carts::id)
            .for_update()
            .first::<i64>(&mut **c)
            .await
            .optional()?;
    }
    Ok(())
}

/// Marks the cart used now (a guest's cart lives 30 days from its last change).
pub async fn touch(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(carts::table.find(id))
        .set(carts::updated_at.eq(now))
        .execute(c)
        .await)?;
    Ok(())
}

/// Sets or clears the cart's coupon.
pub async fn set_coupon(
    conn: &mut Conn<'_>,
    id: i64,
    coupon_id: Option<i64>,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(carts::table.find(id))
        .set((carts::coupon_id.eq(coupon_id), carts::updated_at.eq(now)))
        .execute(c)
        .await)?;
    Ok(())
}

/// Deletes a cart with its lines.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::delete(carts::table.find(id))
        .execute(c)
        .await)?;
    Ok(())
}

/// Deletes guests' carts unused since `before`.
pub async fn delete_guest_carts_before(
    conn: &mut Conn<'_>,
    before: Timestamp,
) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        carts::table
            .filter(carts::user_id.is_null())
            .filter(carts::updated_at.lt(before))
    )
    .execute(c)
    .await)
}

/// The cart's lines, oldest first.
pub async fn lines(conn: &mut Conn<'_>, cart_id: i64) -> QueryResult<Vec<LineRow>> {
    with_conn!(conn, |c| cart_lines::table
        .filter(cart_lines::cart_id.eq(cart_id))
        .order(cart_lines::id.asc())
        .select(LineRow::as_select())
        .load(c)
        .await)
}

/// Puts a product in the cart with this quantity (replacing a line of the same
/// product), remembering the price the shopper saw.
pub async fn put_line(
    conn: &mut Conn<'_>,
    cart_id: i64,
    product_id: i64,
    quantity: i32,
    seen_price: Money,
    now: Timestamp,
) -> QueryResult<LineRow> {
    with_conn!(conn, |c| diesel::insert_into(cart_lines::table)
        .values((
            cart_lines::cart_id.eq(cart_id),
            cart_lines::product_id.eq(product_id),
            cart_lines::quantity.eq(quantity),
            cart_lines::seen_price.eq(seen_price),
            cart_lines::added_at.eq(now),
        ))
        .on_conflict((cart_lines::cart_id, cart_lines::product_id))
        .do_update()
        .set((
            cart_lines::quantity.eq(quantity),
            cart_lines::seen_price.eq(seen_price),
        ))
        .returning(LineRow::as_returning())
        .get_result(c)
        .await)
}

/// Deletes a line of the cart; false when the cart has no such line.
pub async fn delete_line(conn: &mut Conn<'_>, cart_id: i64, line_id: i64) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::delete(
        cart_lines::table
            .find(line_id)
            .filter(cart_lines::cart_id.eq(cart_id))
    )
    .execute(c)
    .await
    .map(|n| n > 0))
}

/// Empties the cart and drops its coupon.
pub async fn clear(conn: &mut Conn<'_>, cart_id: i64, now: Timestamp) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::delete(
        cart_lines::table.filter(cart_lines::cart_id.eq(cart_id))
    )
    .execute(c)
    .await)?;
    set_coupon(conn, cart_id, None, now).await
}

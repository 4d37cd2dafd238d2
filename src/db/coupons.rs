//! Queries on `coupons`, the products and categories a coupon is limited to
//! (`coupon_products`, `coupon_categories`) and the orders that redeemed one
//! (`coupon_redemptions`).

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{coupon_categories, coupon_products, coupon_redemptions, coupons, orders};
use super::{Conn, Page, with_conn};
use crate::money::Money;
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// What a coupon takes off.
    pub enum CouponKind {
        /// A percentage of the eligible lines.
        Percent = "PERCENT",
        /// An amount, at most the eligible lines' total.
        Fixed = "FIXED",
        /// The shipping fee.
        FreeShipping = "FREE_SHIPPING",
    }
}

/// A row of `coupons`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = coupons)]
pub struct CouponRow {
    pub id: i64,
    pub code: String,
    pub description: String,
    pub kind: CouponKind,
    pub value: i64,
    pub min_subtotal: Money,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub limited: bool,
    pub used_count: i32,
    pub public: bool,
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The columns an administrator writes.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = coupons, treat_none_as_null = true)]
pub struct CouponValues {
    pub code: String,
    pub description: String,
    pub kind: CouponKind,
    pub value: i64,
    pub min_subtotal: Money,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub limited: bool,
    pub public: bool,
    pub active: bool,
    pub updated_at: Timestamp,
}

/// Stores a new coupon.
pub async fn insert(
    conn: &mut Conn<'_>,
    values: &CouponValues,
    now: Timestamp,
) -> QueryResult<CouponRow> {
    with_conn!(conn, |c| diesel::insert_into(coupons::table)
        .values((
            values,
            coupons::used_count.eq(0),
            coupons::created_at.eq(now),
        ))
        .returning(CouponRow::as_returning())
        .get_result(c)
        .await)
}

/// Changes a coupon; `None` when there is none with this id.
pub async fn update(
    conn: &mut Conn<'_>,
    id: i64,
    values: &CouponValues,
) -> QueryResult<Option<CouponRow>> {
    with_conn!(conn, |c| diesel::update(coupons::table.find(id))
        .set(values)
        .returning(CouponRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// The coupon with this id.
pub async fn find(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<CouponRow>> {
    with_conn!(conn, |c| coupons::table
        .find(id)
        .select(CouponRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The coupon with this (upper-case) code.
pub async fn find_by_code(conn: &mut Conn<'_>, code: &str) -> QueryResult<Option<CouponRow>> {
    with_conn!(conn, |c| coupons::table
        .filter(coupons::code.eq(code))
        .select(CouponRow::as_select())
        .first(c)
        .await
        .optional())
}

/// Whether another coupon has this code.
pub async fn code_taken(conn: &mut Conn<'_>, code: &str, except: Option<i64>) -> QueryResult<bool> {
    with_conn!(conn, |c| {
        let mut query = coupons::table.filter(coupons::code.eq(code)).into_boxed();
        if let Some(id) = except {
            query = query.filter(coupons::id.ne(id));
        }
        diesel::select(diesel::dsl::exists(query))
            .get_result(c)
            .await
    })
}

/// Coupons, or with `$public_at` only the public ones usable at that moment (active,
/// started, not ended, not used up), as a boxed query.
macro_rules! listed {
    ($query:expr, $public_at:expr) => {{
        let mut query = $query;
        if let Some(now) = $public_at {
            query = query
                .filter(coupons::public.eq(true))
                .filter(coupons::active.eq(true))
                .filter(coupons::starts_at.is_null().or(coupons::starts_at.le(now)))
                .filter(coupons::ends_at.is_null().or(coupons::ends_at.gt(now)))
                .filter(
                    coupons::usage_limit
                        .is_null()
                        .or(coupons::used_count.lt(coupons::usage_limit.assume_not_null())),
                );
        }
        query
    }};
}

/// A page of coupons, newest first (see [`listed!`] for `public_at`).
pub async fn list(
    conn: &mut Conn<'_>,
    public_at: Option<Timestamp>,
    page: Page,
) -> QueryResult<Vec<CouponRow>> {
    with_conn!(conn, |c| {
        let mut query = listed!(
            coupons::table.select(CouponRow::as_select()).into_boxed(),
            public_at
        );
        if let Some(after) = page.after {
            query = query.filter(coupons::id.lt(after));
        }
        query
            .order(coupons::id.desc())
            .limit(page.fetch())
            .load(c)
            .await
    })
}

/// How many coupons a list holds (see [`listed!`] for `public_at`).
pub async fn count(conn: &mut Conn<'_>, public_at: Option<Timestamp>) -> QueryResult<i64> {
    with_conn!(conn, |c| listed!(
        coupons::table.select(count_star()).into_boxed(),
        public_at
    )
    .get_result(c)
    .await)
}

/// Deletes a coupon no order ever used (cancelled ones included); false when one did
/// or there is no such coupon.
pub async fn delete_unused(conn: &mut Conn<'_>, id: i64) -> QueryResult<bool> {
    let used: bool = with_conn!(conn, |c| diesel::select(diesel::dsl::exists(
        orders::table.filter(orders::coupon_id.eq(id))
    ))
    .get_result(c)
    .await)?;
    if used {
        return Ok(false);
    }
    with_conn!(conn, |c| diesel::delete(
        coupons::table.find(id).filter(coupons::used_count.eq(0))
    )
    .execute(c)
    .await
    .map(|n| n > 0))
}

/// Switches a coupon off (or on); false when there is none with this id.
pub async fn set_active(
    conn: &mut Conn<'_>,
    id: i64,
    active: bool,
    now: Timestamp,
) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::update(coupons::table.find(id))
        .set((coupons::active.eq(active), coupons::updated_at.eq(now)))
        .execute(c)
        .await
        .map(|n| n > 0))
}

/// The products and categories each coupon is limited to.
pub async fn scopes(
    conn: &mut Conn<'_>,
    ids: &[i64],
) -> QueryResult<(Vec<(i64, i64)>, Vec<(i64, i64)>)> {
    let products = with_conn!(conn, |c| coupon_products::table
        .filter(coupon_products::coupon_id.eq_any(ids))
        .order((coupon_products::coupon_id, coupon_products::product_id))
        .select((coupon_products::coupon_id, coupon_products::product_id))
        .load(c)
        .await)?;
    let categories = with_conn!(conn, |c| coupon_categories::table
        .filter(coupon_categories::coupon_id.eq_any(ids))
        .order((coupon_categories::coupon_id, coupon_categories::category_id))
        .select((coupon_categories::coupon_id, coupon_categories::category_id))
        .load(c)
        .await)?;
    Ok((products, categories))
}

/// Limits a coupon to exactly these products and categories (none: every product).
pub async fn set_scope(
    conn: &mut Conn<'_>,
    id: i64,
    product_ids: &[i64],
    category_ids: &[i64],
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::delete(
        coupon_products::table.filter(coupon_products::coupon_id.eq(id))
    )
    .execute(c)
    .await)?;
    with_conn!(conn, |c| diesel::delete(
        coupon_categories::table.filter(coupon_categories::coupon_id.eq(id))
    )
    .execute(c)
    .await)?;
    // Row by row: SQLite's batch insert is not available through diesel-async.
    for &product_id in product_ids {
        with_conn!(conn, |c| diesel::insert_into(coupon_products::table)
            .values((
                coupon_products::coupon_id.eq(id),
                coupon_products::product_id.eq(product_id),
            ))
            .on_conflict_do_nothing()
            .execute(c)
            .await)?;
    }
    for &category_id in category_ids {
        with_conn!(conn, |c| diesel::insert_into(coupon_categories::table)
            .values((
                coupon_categories::coupon_id.eq(id),
                coupon_categories::category_id.eq(category_id),
            ))
            .on_conflict_do_nothing()
            .execute(c)
            .await)?;
    }
    Ok(())
}

/// Takes one use of the coupon if it has one left and is active; false when not. One
/// conditional statement, so concurrent checkouts never pass the limit.
pub async fn take_use(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::update(
        coupons::table
            .find(id)
            .filter(coupons::active.eq(true))
            .filter(
                coupons::usage_limit
                    .is_null()
                    .or(coupons::used_count.lt(coupons::usage_limit.assume_not_null()))
            )
    )
    .set((
        coupons::used_count.eq(coupons::used_count + 1),
        coupons::updated_at.eq(now)
    ))
    .execute(c)
    .await
    .map(|n| n == 1))
}

/// Records that `order_id` redeemed the coupon.
pub async fn insert_redemption(
    conn: &mut Conn<'_>,
    coupon_id: i64,
    user_id: i64,
    order_id: i64,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(coupon_redemptions::table)
        .values((
            coupon_redemptions::order_id.eq(order_id),
            coupon_redemptions::coupon_id.eq(coupon_id),
            coupon_redemptions::user_id.eq(user_id),
            coupon_redemptions::created_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// Gives back the use an order took (it was cancelled); false when it took none.
pub async fn give_back(conn: &mut Conn<'_>, order_id: i64, now: Timestamp) -> QueryResult<bool> {
    let coupon: Option<i64> = with_conn!(conn, |c| diesel::delete(
        coupon_redemptions::table.find(order_id)
    )
    .returning(coupon_redemptions::coupon_id)
    .get_result(c)
    .await
    .optional())?;
    let Some(coupon) = coupon else {
        return Ok(false);
    };
    with_conn!(conn, |c| diesel::update(
        coupons::table
            .find(coupon)
            .filter(coupons::used_count.gt(0))
    )
    .set((
        coupons::used_count.eq(coupons::used_count - 1),
        coupons::updated_at.eq(now)
    ))
    .execute(c)
    .await)?;
    Ok(true)
}

/// How many orders of this customer redeemed the coupon (cancelled ones gave theirs back).
pub async fn redemptions_by(conn: &mut Conn<'_>, coupon_id: i64, user_id: i64) -> QueryResult<i64> {
    with_conn!(conn, |c| coupon_redemptions::table
        .filter(coupon_redemptions::coupon_id.eq(coupon_id))
        .filter(coupon_redemptions::user_id.eq(user_id))
        .select(count_star())
        .get_result(c)
        .await)
}

//! Queries on `orders`, `order_lines`, `order_events` and `order_numbers`. A customer's
//! orders are reached with the customer in the query: another customer's order is
//! never read.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{order_events, order_lines, order_numbers, orders};
use super::{Conn, Page, with_conn};
use crate::money::Money;
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// Where an order stands.
    pub enum OrderStatus {
        /// A bank transfer is awaited.
        AwaitingPayment = "AWAITING_PAYMENT",
        /// Paid (or cash on delivery): being packed.
        Preparing = "PREPARING",
        /// Handed to the carrier.
        Shipped = "SHIPPED",
        /// Received.
        Delivered = "DELIVERED",
        /// Cancelled before it shipped.
        Cancelled = "CANCELLED",
    }
}

crate::stored_enum::stored_enum! {
    /// How an order is paid.
    pub enum PaymentMethod {
        /// To the shop's bank account (havale/EFT) before it ships.
        BankTransfer = "BANK_TRANSFER",
        /// To the carrier at the door.
        CashOnDelivery = "CASH_ON_DELIVERY",
    }
}

crate::stored_enum::stored_enum! {
    /// Who changed an order.
    pub enum Actor {
        Customer = "CUSTOMER",
        Admin = "ADMIN",
        System = "SYSTEM",
    }
}

/// A row of `orders`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = orders)]
pub struct OrderRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub number: String,
    pub user_id: i64,
    pub idempotency_key: String,
    pub status: OrderStatus,
    pub payment_method: PaymentMethod,
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub payment_fee: Money,
    pub total: Money,
    pub vat_included: Money,
    pub coupon_id: Option<i64>,
    pub coupon_code: Option<String>,
    pub email: String,
    pub locale: String,
    pub recipient_name: String,
    pub phone: String,
    pub shipping_address: String,
    pub note: Option<String>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub search_text: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A row of `order_lines`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_lines)]
pub struct OrderLineRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub order_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub sku: Option<String>,
    pub unit_price: Money,
    pub quantity: i32,
    pub line_total: Money,
    pub discount: Money,
    pub vat_rate: i32,
    pub vat_amount: Money,
}

/// A row of `order_events`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_events)]
pub struct OrderEventRow {
    pub id: i64,
    pub order_id: i64,
    pub status: OrderStatus,
    pub actor: Actor,
    pub note: Option<String>,
    pub created_at: Timestamp,
}

/// Which orders a list holds.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// One customer's orders only.
    pub user_id: Option<i64>,
    pub status: Option<OrderStatus>,
    /// A LIKE pattern on the folded number, e-mail and name.
    pub search_pattern: Option<String>,
}

/// The next order number of `year` (1, 2, …), counted in one statement.
pub async fn next_number(conn: &mut Conn<'_>, year: i32) -> QueryResult<i32> {
    with_conn!(conn, |c| diesel::insert_into(order_numbers::table)
        .values((
            order_numbers::year.eq(year),
            order_numbers::last_number.eq(1)
        ))
        .on_conflict(order_numbers::year)
        .do_update()
        .set(order_numbers::last_number.eq(order_numbers::last_number + 1))
        .returning(order_numbers::last_number)
        .get_result(c)
        .await)
}

/// Stores an order (its lines and events separately).
pub async fn insert(conn: &mut Conn<'_>, order: &OrderRow) -> QueryResult<OrderRow> {
    with_conn!(conn, |c| diesel::insert_into(orders::table)
        .values(order)
        .returning(OrderRow::as_returning())
        .get_result(c)
        .await)
}

/// Stores an order's lines.
pub async fn insert_lines(conn: &mut Conn<'_>, lines: &[OrderLineRow]) -> QueryResult<()> {
    // Row by row: SQLite's batch insert is not available through diesel-async.
    for line in lines {
        with_conn!(conn, |c| diesel::insert_into(order_lines::table)
            .values(line)
            .execute(c)
            .await)?;
    }
    Ok(())
}

/// Adds to an order's history.
pub async fn insert_event(
    conn: &mut Conn<'_>,
    order_id: i64,
    status: OrderStatus,
    actor: Actor,
    note: Option<&str>,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(order_events::table)
        .values((
            order_events::order_id.eq(order_id),
            order_events::status.eq(status),
            order_events::actor.eq(actor),
            order_events::note.eq(note),
            order_events::created_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// The order this customer placed with this idempotency key.
pub async fn find_by_key(
    conn: &mut Conn<'_>,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<OrderRow>> {
    with_conn!(conn, |c| orders::table
        .filter(orders::user_id.eq(user_id))
        .filter(orders::idempotency_key.eq(key))
        .select(OrderRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The order with this number (of this customer, when `user_id` is given).
pub async fn find_by_number(
    conn: &mut Conn<'_>,
    number: &str,
    user_id: Option<i64>,
) -> QueryResult<Option<OrderRow>> {
    with_conn!(conn, |c| {
        let mut query = orders::table
            .filter(orders::number.eq(number))
            .select(OrderRow::as_select())
            .into_boxed();
        if let Some(user_id) = user_id {
            query = query.filter(orders::user_id.eq(user_id));
        }
        query.first(c).await.optional()
    })
}

/// The order with this id (of this customer, when `user_id` is given).
pub async fn find(
    conn: &mut Conn<'_>,
    id: i64,
    user_id: Option<i64>,
) -> QueryResult<Option<OrderRow>> {
    with_conn!(conn, |c| {
        let mut query = orders::table
            .find(id)
            .select(OrderRow::as_select())
            .into_boxed();
        if let Some(user_id) = user_id {
            query = query.filter(orders::user_id.eq(user_id));
        }
        query.first(c).await.optional()
    })
}

/// Applies an [`OrderFilter`] to a boxed query on `orders`.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &OrderFilter = $filter;
        let mut query = $query;
        if let Some(user_id) = filter.user_id {
            query = query.filter(orders::user_id.eq(user_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(orders::status.eq(status));
        }
        if let Some(pattern) = &filter.search_pattern {
            query = query.filter(orders::search_text.like(pattern.clone()).escape('\\'));
        }
        query
    }};
}

/// How many orders a filter holds.
pub async fn count(conn: &mut Conn<'_>, filter: &OrderFilter) -> QueryResult<i64> {
    with_conn!(conn, |c| filtered!(
        orders::table.select(diesel::dsl::count_star()).into_boxed(),
        filter
    )
    .get_result(c)
    .await)
}

/// A page of orders, newest first.
pub async fn list(
    conn: &mut Conn<'_>,
    filter: &OrderFilter,
    page: Page,
) -> QueryResult<Vec<OrderRow>> {
    with_conn!(conn, |c| {
        let mut query = filtered!(
            orders::table.select(OrderRow::as_select()).into_boxed(),
            filter
        );
        if let Some(after) = page.after {
            query = query.filter(orders::id.lt(after));
        }
        query
            .order(orders::id.desc())
            .limit(page.fetch())
            .load(c)
            .await
    })
}

/// The lines of these orders, in order.
pub async fn lines_of(conn: &mut Conn<'_>, order_ids: &[i64]) -> QueryResult<Vec<OrderLineRow>> {
    with_conn!(conn, |c| order_lines::table
        .filter(order_lines::order_id.eq_any(order_ids))
        .order((order_lines::order_id, order_lines::id))
        .select(OrderLineRow::as_select())
        .load(c)
        .await)
}

/// The history of these orders, oldest first.
pub async fn events_of(conn: &mut Conn<'_>, order_ids: &[i64]) -> QueryResult<Vec<OrderEventRow>> {
    with_conn!(conn, |c| order_events::table
        .filter(order_events::order_id.eq_any(order_ids))
        .order((order_events::order_id, order_events::id))
        .select(OrderEventRow::as_select())
        .load(c)
        .await)
}

/// Moves an order from `from` to `to` (with the carrier and tracking number when
/// given); `None` when it is no longer in `from` — a concurrent change won.
pub async fn transition(
    conn: &mut Conn<'_>,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    shipment: Option<(&str, &str)>,
    now: Timestamp,
) -> QueryResult<Option<OrderRow>> {
    let (carrier, tracking) = match shipment {
        Some((carrier, tracking)) => (Some(carrier), Some(tracking)),
        None => (None, None),
    };
    with_conn!(conn, |c| {
        let target = orders::table.find(id).filter(orders::status.eq(from));
        match shipment {
            Some(_) => diesel::update(target)
                .set((
                    orders::status.eq(to),
                    orders::carrier.eq(carrier),
                    orders::tracking_number.eq(tracking),
                    orders::updated_at.eq(now),
                ))
                .returning(OrderRow::as_returning())
                .get_result(c)
                .await
                .optional(),
            None => diesel::update(target)
                .set((orders::status.eq(to), orders::updated_at.eq(now)))
                .returning(OrderRow::as_returning())
                .get_result(c)
                .await
                .optional(),
        }
    })
}

/// How many of the customer's orders are in `status`.
pub async fn count_in_status(
    conn: &mut Conn<'_>,
    user_id: i64,
    status: OrderStatus,
) -> QueryResult<i64> {
    with_conn!(conn, |c| orders::table
        .filter(orders::user_id.eq(user_id))
        .filter(orders::status.eq(status))
        .count()
        .get_result(c)
        .await)
}

/// Whether any order refers to the product (it is archived, not deleted).
pub async fn product_ordered(conn: &mut Conn<'_>, product_id: i64) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::select(diesel::dsl::exists(
        order_lines::table.filter(order_lines::product_id.eq(product_id))
    ))
    .get_result(c)
    .await)
}

/// Which of these customers received which of these products in a delivered order:
/// (customer, product) pairs.
pub async fn received_by(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
    user_ids: &[i64],
) -> QueryResult<Vec<(i64, i64)>> {
    with_conn!(conn, |c| orders::table
        .inner_join(order_lines::table)
        .filter(order_lines::product_id.eq_any(product_ids))
        .filter(orders::user_id.eq_any(user_ids))
        .filter(orders::status.eq(OrderStatus::Delivered))
        .select((orders::user_id, order_lines::product_id))
        .distinct()
        .load(c)
        .await)
}

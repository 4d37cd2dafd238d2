//! Queries on `addresses`. Every query names the owner: another customer's address is
//! never read or changed, whatever id is asked for.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::addresses;
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// A row of `addresses`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = addresses)]
pub struct AddressRow {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub recipient_name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub is_default: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An address's fields as the owner gives them (already checked).
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = addresses, treat_none_as_null = true)]
pub struct AddressFields<'a> {
    pub title: &'a str,
    pub recipient_name: &'a str,
    pub phone: &'a str,
    pub line1: &'a str,
    pub line2: Option<&'a str>,
    pub district: &'a str,
    pub city: &'a str,
    pub postal_code: &'a str,
    pub country: &'a str,
}

/// The owner's addresses, the default first, then oldest first.
pub async fn of_user(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<Vec<AddressRow>> {
    with_conn!(conn, |c| addresses::table
        .filter(addresses::user_id.eq(user_id))
        .order((addresses::is_default.desc(), addresses::id.asc()))
        .select(AddressRow::as_select())
        .load(c)
        .await)
}

/// How many addresses the owner has.
pub async fn count(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<i64> {
    with_conn!(conn, |c| addresses::table
        .filter(addresses::user_id.eq(user_id))
        .count()
        .get_result(c)
        .await)
}

/// Stores a new address of the owner.
pub async fn insert(
    conn: &mut Conn<'_>,
    user_id: i64,
    fields: &AddressFields<'_>,
    is_default: bool,
    now: Timestamp,
) -> QueryResult<AddressRow> {
    with_conn!(conn, |c| diesel::insert_into(addresses::table)
        .values((
            fields,
            addresses::user_id.eq(user_id),
            addresses::is_default.eq(is_default),
            addresses::created_at.eq(now),
            addresses::updated_at.eq(now),
        ))
        .returning(AddressRow::as_returning())
        .get_result(c)
        .await)
}

/// Changes an address of the owner; `None` when the owner has no address with this id.
pub async fn update(
    conn: &mut Conn<'_>,
    user_id: i64,
    id: i64,
    fields: &AddressFields<'_>,
    now: Timestamp,
) -> QueryResult<Option<AddressRow>> {
    with_conn!(conn, |c| diesel::update(
        addresses::table
            .find(id)
            .filter(addresses::user_id.eq(user_id))
    )
    .set((fields, addresses::updated_at.eq(now)))
    .returning(AddressRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Deletes an address of the owner; the deleted row, if the owner had it.
pub async fn delete(conn: &mut Conn<'_>, user_id: i64, id: i64) -> QueryResult<Option<AddressRow>> {
    with_conn!(conn, |c| diesel::delete(
        addresses::table
            .find(id)
            .filter(addresses::user_id.eq(user_id))
    )
    .returning(AddressRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Makes the owner's address `id` the default (the one before stops being it, first,
/// so the database's one-default rule holds at every step); `None` when the owner has
/// no address with this id.
pub async fn make_default(
    conn: &mut Conn<'_>,
    user_id: i64,
    id: i64,
    now: Timestamp,
) -> QueryResult<Option<AddressRow>> {
    let exists: Option<i64> = with_conn!(conn, |c| addresses::table
        .find(id)
        .filter(addresses::user_id.eq(user_id))
        .select(addresses::id)
        .first(c)
        .await
        .optional())?;
    if exists.is_none() {
        return Ok(None);
    }
    with_conn!(conn, |c| diesel::update(
        addresses::table
            .filter(addresses::user_id.eq(user_id))
            .filter(addresses::is_default.eq(true))
            .filter(addresses::id.ne(id))
    )
    .set((
        addresses::is_default.eq(false),
        addresses::updated_at.eq(now)
    ))
    .execute(c)
    .await)?;
    with_conn!(conn, |c| diesel::update(addresses::table.find(id))
        .set((
            addresses::is_default.eq(true),
            addresses::updated_at.eq(now)
        ))
        .returning(AddressRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// The owner's oldest address (to become the default when the default goes).
pub async fn oldest(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<Option<i64>> {
    with_conn!(conn, |c| addresses::table
        .filter(addresses::user_id.eq(user_id))
        .order(addresses::id.asc())
        .select(addresses::id)
        .first(c)
        .await
        .optional())
}

/// Deletes every address of the owner (erasing the account).
pub async fn delete_all(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        addresses::table.filter(addresses::user_id.eq(user_id))
    )
    .execute(c)
    .await)
}

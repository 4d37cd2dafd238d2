//! Queries on `users`.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::users;
use super::{Conn, with_conn};
use crate::locale::Locale;
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// What a user may do.
    pub enum Role {
        /// Manages the site in the dashboard.
        Admin = "ADMIN",
        /// Shops in the storefront.
        Customer = "CUSTOMER",
    }
}

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub locale: Locale,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Moves whenever the user's outstanding links must stop working.
    pub auth_version: i64,
}

/// The values of a new user.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub locale: Locale,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Optional changes to a user's profile (`None` leaves a field as it is).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges<'a> {
    pub name: Option<&'a str>,
    pub locale: Option<Locale>,
    pub updated_at: Timestamp,
}

/// Inserts a user and returns the stored row.
pub async fn insert(conn: &mut Conn<'_>, user: &NewUser<'_>) -> QueryResult<UserRow> {
    with_conn!(conn, |c| diesel::insert_into(users::table)
        .values(user)
        .returning(UserRow::as_returning())
        .get_result(c)
        .await)
}

/// The user with this (lower-case) e-mail address.
pub async fn find_by_email(conn: &mut Conn<'_>, email: &str) -> QueryResult<Option<UserRow>> {
    with_conn!(conn, |c| users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The user with this id.
pub async fn find(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<UserRow>> {
    with_conn!(conn, |c| users::table
        .find(id)
        .select(UserRow::as_select())
        .first(c)
        .await
        .optional())
}

/// Applies profile changes and returns the updated row.
pub async fn update_profile(
    conn: &mut Conn<'_>,
    id: i64,
    changes: &ProfileChanges<'_>,
) -> QueryResult<UserRow> {
    with_conn!(conn, |c| diesel::update(users::table.find(id))
        .set(changes)
        .returning(UserRow::as_returning())
        .get_result(c)
        .await)
}

/// Stores a new password hash; every outstanding link of the user stops working.
pub async fn update_password(
    conn: &mut Conn<'_>,
    id: i64,
    password_hash: &str,
    now: Timestamp,
) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now),
            users::auth_version.eq(users::auth_version + 1),
        ))
        .execute(c)
        .await)
}

/// Changes the e-mail address (every outstanding link of the user stops working) and
/// returns the updated row.
pub async fn update_email(
    conn: &mut Conn<'_>,
    id: i64,
    email: &str,
    now: Timestamp,
) -> QueryResult<UserRow> {
    with_conn!(conn, |c| diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::updated_at.eq(now),
            users::auth_version.eq(users::auth_version + 1),
        ))
        .returning(UserRow::as_returning())
        .get_result(c)
        .await)
}

/// Claims the right to send a reset e-mail: true for exactly one caller per window,
/// however many ask at once (the condition is re-checked under the row lock).
pub async fn claim_reset_mail(
    conn: &mut Conn<'_>,
    id: i64,
    now: Timestamp,
    window_start: Timestamp,
) -> QueryResult<bool> {
    let claimed = with_conn!(conn, |c| diesel::update(
        users::table.find(id).filter(
            users::reset_mailed_at
                .is_null()
                .or(users::reset_mailed_at.le(window_start))
        )
    )
    .set(users::reset_mailed_at.eq(now))
    .execute(c)
    .await)?;
    Ok(claimed == 1)
}

/// The addresses of every enabled administrator.
pub async fn admin_emails(conn: &mut Conn<'_>) -> QueryResult<Vec<String>> {
    with_conn!(conn, |c| users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select(users::email)
        .load(c)
        .await)
}

//! Queries on `users`.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::users;
use super::{Conn, with_conn};

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub locale: String,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The values of a new user.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub locale: &'a str,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
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

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
    pub email_verified_at: Option<Timestamp>,
    pub phone: Option<String>,
    pub marketing_opt_in: bool,
    pub terms_accepted_at: Option<Timestamp>,
    pub deleted_at: Option<Timestamp>,
    pub search_text: String,
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
    pub email_verified_at: Option<Timestamp>,
    pub marketing_opt_in: bool,
    pub terms_accepted_at: Option<Timestamp>,
    /// The address and the name, folded (what the customers' list searches).
    pub search_text: String,
}

/// Optional changes to a user's profile (`None` leaves a field as it is).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges<'a> {
    pub name: Option<&'a str>,
    pub locale: Option<Locale>,
    /// `Some(None)` clears the phone number.
    pub phone: Option<Option<&'a str>>,
    pub marketing_opt_in: Option<bool>,
    /// The searched text again when the name changes.
    pub search_text: Option<String>,
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

/// Inserts a user unless the address already has an account; `None` when it has.
pub async fn insert_if_absent(
    conn: &mut Conn<'_>,
    user: &NewUser<'_>,
) -> QueryResult<Option<UserRow>> {
    with_conn!(conn, |c| diesel::insert_into(users::table)
        .values(user)
        .on_conflict(users::email)
        .do_nothing()
        .returning(UserRow::as_returning())
        .get_result(c)
        .await
        .optional())
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
    search_text: &str,
    now: Timestamp,
) -> QueryResult<UserRow> {
    with_conn!(conn, |c| diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::search_text.eq(search_text),
            // The confirmation link was opened from the new mailbox.
            users::email_verified_at.eq(now),
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

/// Records that the user proved the mailbox (the first time counts; later proofs change
/// nothing).
pub async fn mark_verified(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::update(
        users::table
            .find(id)
            .filter(users::email_verified_at.is_null())
    )
    .set(users::email_verified_at.eq(now))
    .execute(c)
    .await)
}

/// Locks the user's row for the rest of the transaction (PostgreSQL; SQLite's write
/// transactions are serial already), so that changes to one customer's addresses or
/// identities, and erasing the account, never interleave.
pub async fn lock(conn: &mut Conn<'_>, id: i64) -> QueryResult<()> {
    if let Conn::Pg(c) = conn {
        users::table
            .find(id)
            .select(users::id)
            .for_update()
            .first::<i64>(&mut **c)
            .await
            .optional()?;
    }
    Ok(())
}

/// Disables or enables a customer; `None` when no customer has this id.
pub async fn set_customer_disabled(
    conn: &mut Conn<'_>,
    id: i64,
    disabled: bool,
    now: Timestamp,
) -> QueryResult<Option<UserRow>> {
    with_conn!(conn, |c| diesel::update(
        users::table
            .find(id)
            .filter(users::role.eq(Role::Customer))
            .filter(users::deleted_at.is_null())
    )
    .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
    .returning(UserRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Erases what identifies a person (KVKK): the row stays for the records that refer to
/// it, with no password, no profile and in place of the address a placeholder that is
/// not an address at all (nobody can sign up with it, and no mail can go to it).
pub async fn erase(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<usize> {
    let placeholder = format!("erased:{id}");
    with_conn!(conn, |c| diesel::update(users::table.find(id))
        .set((
            users::email.eq(&placeholder),
            users::name.eq(""),
            users::search_text.eq(""),
            users::password_hash.eq(""),
            users::phone.eq(None::<String>),
            users::marketing_opt_in.eq(false),
            users::disabled.eq(true),
            users::deleted_at.eq(now),
            users::updated_at.eq(now),
            users::auth_version.eq(users::auth_version + 1),
        ))
        .execute(c)
        .await)
}

/// What the customers' list is narrowed to.
#[derive(Debug, Default)]
pub struct CustomerFilter<'a> {
    /// A piece of the e-mail address or the name, folded.
    pub search: Option<&'a str>,
    pub verified: Option<bool>,
    pub disabled: Option<bool>,
}

macro_rules! customers_matching {
    ($filter:expr) => {{
        let filter: &CustomerFilter<'_> = $filter;
        let mut query = users::table
            .filter(users::role.eq(Role::Customer))
            .filter(users::deleted_at.is_null())
            .into_boxed();
        if let Some(search) = filter.search {
            let pattern = format!("%{}%", super::escape_like(search));
            query = query.filter(users::search_text.like(pattern).escape('\\'));
        }
        if let Some(verified) = filter.verified {
            query = if verified {
                query.filter(users::email_verified_at.is_not_null())
            } else {
                query.filter(users::email_verified_at.is_null())
            };
        }
        if let Some(disabled) = filter.disabled {
            query = query.filter(users::disabled.eq(disabled));
        }
        query
    }};
}

/// A page of customers, newest first, and how many match in all.
pub async fn customers(
    conn: &mut Conn<'_>,
    filter: &CustomerFilter<'_>,
    page: super::Page,
) -> QueryResult<(Vec<UserRow>, i64)> {
    let total: i64 = with_conn!(conn, |c| customers_matching!(filter)
        .count()
        .get_result(c)
        .await)?;
    let rows = with_conn!(conn, |c| {
        let mut query = customers_matching!(filter)
            .order(users::id.desc())
            .limit(page.fetch())
            .select(UserRow::as_select());
        if let Some(after) = page.after {
            query = query.filter(users::id.lt(after));
        }
        query.load(c).await
    })?;
    Ok((rows, total))
}

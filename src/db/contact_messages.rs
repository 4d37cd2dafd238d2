//! Queries on `contact_messages`.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::contact_messages;
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// A row of `contact_messages`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contact_messages)]
pub struct ContactMessageRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub subject: Option<String>,
    pub message: String,
    pub is_read: bool,
    pub created_at: Timestamp,
}

/// The values of a new message.
#[derive(Debug, Insertable)]
#[diesel(table_name = contact_messages)]
pub struct NewContactMessage<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub message: &'a str,
    pub is_read: bool,
    pub created_at: Timestamp,
}

/// Where a page of messages continues: messages sort unread first, then newest first.
#[derive(Debug, Clone, Copy)]
pub struct MessageCursor {
    pub is_read: bool,
    pub id: i64,
}

/// Stores a message.
pub async fn insert(
    conn: &mut Conn<'_>,
    message: &NewContactMessage<'_>,
) -> QueryResult<ContactMessageRow> {
    with_conn!(conn, |c| diesel::insert_into(contact_messages::table)
        .values(message)
        .returning(ContactMessageRow::as_returning())
        .get_result(c)
        .await)
}

/// Marks a message read and returns it.
pub async fn mark_read(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ContactMessageRow>> {
    with_conn!(conn, |c| diesel::update(contact_messages::table.find(id))
        .set(contact_messages::is_read.eq(true))
        .returning(ContactMessageRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// A page of messages: unread first, then newest first.
pub async fn list(
    conn: &mut Conn<'_>,
    unread_only: bool,
    after: Option<MessageCursor>,
    limit: i64,
) -> QueryResult<Vec<ContactMessageRow>> {
    with_conn!(conn, |c| {
        let mut query = contact_messages::table
            .select(ContactMessageRow::as_select())
            .into_boxed();
        if unread_only {
            query = query.filter(contact_messages::is_read.eq(false));
        }
        query = match after {
            None => query,
            Some(MessageCursor { is_read: true, id }) => query.filter(
                contact_messages::is_read
                    .eq(true)
                    .and(contact_messages::id.lt(id)),
            ),
            Some(MessageCursor { is_read: false, id }) => query.filter(
                contact_messages::is_read
                    .eq(true)
                    .or(contact_messages::is_read
                        .eq(false)
                        .and(contact_messages::id.lt(id))),
            ),
        };
        query
            .order((contact_messages::is_read.asc(), contact_messages::id.desc()))
            .limit(limit)
            .load(c)
            .await
    })
}

/// How many messages there are (or unread ones).
pub async fn count(conn: &mut Conn<'_>, unread_only: bool) -> QueryResult<i64> {
    with_conn!(conn, |c| {
        let mut query = contact_messages::table.select(count_star()).into_boxed();
        if unread_only {
            query = query.filter(contact_messages::is_read.eq(false));
        }
        query.first(c).await
    })
}

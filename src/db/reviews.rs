//! Queries on `reviews`.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::reviews;
use super::{Conn, Page, with_conn};
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// Where a review stands.
    pub enum ReviewStatus {
        /// Waiting for moderation.
        Pending = "PENDING",
        /// Published.
        Approved = "APPROVED",
        /// Not published.
        Rejected = "REJECTED",
    }
}

/// A row of `reviews`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    pub id: i64,
    pub author_name: String,
    pub email: Option<String>,
    pub rating: i32,
    pub comment: String,
    pub status: ReviewStatus,
    pub created_at: Timestamp,
    pub moderated_at: Option<Timestamp>,
}

/// The values of a new review.
#[derive(Debug, Insertable)]
#[diesel(table_name = reviews)]
pub struct NewReview<'a> {
    pub author_name: &'a str,
    pub email: Option<&'a str>,
    pub rating: i32,
    pub comment: &'a str,
    pub status: ReviewStatus,
    pub created_at: Timestamp,
    pub moderated_at: Option<Timestamp>,
}

/// Stores a review.
pub async fn insert(conn: &mut Conn<'_>, review: &NewReview<'_>) -> QueryResult<ReviewRow> {
    with_conn!(conn, |c| diesel::insert_into(reviews::table)
        .values(review)
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await)
}

/// The review with this id.
pub async fn find(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ReviewRow>> {
    with_conn!(conn, |c| reviews::table
        .find(id)
        .select(ReviewRow::as_select())
        .first(c)
        .await
        .optional())
}

/// Moves a review from status `from` to `to`; `None` when it was not in `from`.
pub async fn transition(
    conn: &mut Conn<'_>,
    id: i64,
    from: ReviewStatus,
    to: ReviewStatus,
    now: Timestamp,
) -> QueryResult<Option<ReviewRow>> {
    with_conn!(conn, |c| diesel::update(
        reviews::table.find(id).filter(reviews::status.eq(from))
    )
    .set((reviews::status.eq(to), reviews::moderated_at.eq(now)))
    .returning(ReviewRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Deletes a review and returns what it was.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ReviewRow>> {
    with_conn!(conn, |c| diesel::delete(reviews::table.find(id))
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// A page of reviews, newest first, optionally of one status.
pub async fn list(
    conn: &mut Conn<'_>,
    status: Option<ReviewStatus>,
    page: Page,
) -> QueryResult<Vec<ReviewRow>> {
    with_conn!(conn, |c| {
        let mut query = reviews::table.select(ReviewRow::as_select()).into_boxed();
        if let Some(status) = status {
            query = query.filter(reviews::status.eq(status));
        }
        if let Some(after) = page.after {
            query = query.filter(reviews::id.lt(after));
        }
        query
            .order(reviews::id.desc())
            .limit(page.fetch())
            .load(c)
            .await
    })
}

/// How many reviews there are, optionally of one status.
pub async fn count(conn: &mut Conn<'_>, status: Option<ReviewStatus>) -> QueryResult<i64> {
    with_conn!(conn, |c| {
        let mut query = reviews::table.select(count_star()).into_boxed();
        if let Some(status) = status {
            query = query.filter(reviews::status.eq(status));
        }
        query.first(c).await
    })
}

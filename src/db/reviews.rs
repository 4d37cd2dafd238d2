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
    pub product_id: Option<i64>,
    pub user_id: Option<i64>,
    pub title: Option<String>,
    pub helpful_count: i32,
    pub report_count: i32,
    pub flagged: bool,
    pub photo_count: i32,
    pub updated_at: Option<Timestamp>,
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
    pub product_id: Option<i64>,
    pub user_id: Option<i64>,
    pub title: Option<&'a str>,
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
    .set((
        reviews::status.eq(to),
        reviews::moderated_at.eq(now),
        reviews::flagged.eq(false),
    ))
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

/// Which reviews an administrator's list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewFilter {
    pub status: Option<ReviewStatus>,
    /// Only reported (`true`) or only unreported (`false`) reviews.
    pub flagged: Option<bool>,
}

macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let mut query = $query;
        if let Some(status) = $filter.status {
            query = query.filter(reviews::status.eq(status));
        }
        if let Some(flagged) = $filter.flagged {
            query = query.filter(reviews::flagged.eq(flagged));
        }
        query
    }};
}

/// A page of reviews, newest first.
pub async fn list(
    conn: &mut Conn<'_>,
    filter: ReviewFilter,
    page: Page,
) -> QueryResult<Vec<ReviewRow>> {
    with_conn!(conn, |c| {
        let mut query = filtered!(
            reviews::table.select(ReviewRow::as_select()).into_boxed(),
            filter
        );
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

/// How many reviews a filter holds.
pub async fn count(conn: &mut Conn<'_>, filter: ReviewFilter) -> QueryResult<i64> {
    with_conn!(conn, |c| {
        filtered!(reviews::table.select(count_star()).into_boxed(), filter)
            .first(c)
            .await
    })
}

/// Clears a review's reports flag (an administrator looked at it).
pub async fn clear_flag(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ReviewRow>> {
    with_conn!(conn, |c| diesel::update(reviews::table.find(id))
        .set(reviews::flagged.eq(false))
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// Stores a customer's first review of a product; `None` when they already have one
/// (on PostgreSQL this waits for a concurrent first review to commit).
pub async fn insert_product_review(
    conn: &mut Conn<'_>,
    review: &NewReview<'_>,
) -> QueryResult<Option<ReviewRow>> {
    with_conn!(conn, |c| diesel::insert_into(reviews::table)
        .values(review)
        .on_conflict_do_nothing()
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// A customer's review of a product, locked on PostgreSQL until the transaction ends.
pub async fn find_own_for_update(
    conn: &mut Conn<'_>,
    product_id: i64,
    user_id: i64,
) -> QueryResult<Option<ReviewRow>> {
    let mine = reviews::table
        .filter(reviews::product_id.eq(product_id))
        .filter(reviews::user_id.eq(user_id));
    match conn {
        Conn::Pg(c) => mine
            .select(ReviewRow::as_select())
            .for_update()
            .first(&mut **c)
            .await
            .optional(),
        Conn::Sqlite(c) => mine
            .select(ReviewRow::as_select())
            .first(&mut **c)
            .await
            .optional(),
    }
}

/// The reviews customers wrote of these products (the customer's own, for its form).
pub async fn find_own(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
    user_id: i64,
) -> QueryResult<Vec<ReviewRow>> {
    with_conn!(conn, |c| reviews::table
        .filter(reviews::product_id.eq_any(product_ids))
        .filter(reviews::user_id.eq(user_id))
        .select(ReviewRow::as_select())
        .load(c)
        .await)
}

/// What a customer changes when they review a product again.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = reviews, treat_none_as_null = true)]
pub struct ReviewEdit<'a> {
    pub author_name: &'a str,
    pub rating: i32,
    pub title: Option<&'a str>,
    pub comment: &'a str,
    pub status: ReviewStatus,
    pub moderated_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

/// Rewrites a review.
pub async fn edit(conn: &mut Conn<'_>, id: i64, edit: &ReviewEdit<'_>) -> QueryResult<ReviewRow> {
    with_conn!(conn, |c| diesel::update(reviews::table.find(id))
        .set(edit)
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await)
}

/// Records how many photos a review shows.
pub async fn set_photo_count(conn: &mut Conn<'_>, id: i64, count: i32) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(reviews::table.find(id))
        .set(reviews::photo_count.eq(count))
        .execute(c)
        .await)?;
    Ok(())
}

/// How a product's reviews are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOrder {
    Newest,
    Highest,
    Lowest,
    MostHelpful,
}

/// Where the previous page of a product's reviews ended: the sort value and the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewPosition {
    pub value: i64,
    pub id: i64,
}

/// A page of a product's approved reviews; ties are broken by newest first.
pub async fn of_product(
    conn: &mut Conn<'_>,
    product_id: i64,
    order: ReviewOrder,
    with_photos: bool,
    after: Option<ReviewPosition>,
    fetch: i64,
) -> QueryResult<Vec<ReviewRow>> {
    with_conn!(conn, |c| {
        let mut query = reviews::table
            .filter(reviews::product_id.eq(product_id))
            .filter(reviews::status.eq(ReviewStatus::Approved))
            .select(ReviewRow::as_select())
            .into_boxed();
        if with_photos {
            query = query.filter(reviews::photo_count.gt(0));
        }
        query = match (order, after) {
            (ReviewOrder::Newest, None) => query.order(reviews::id.desc()),
            (ReviewOrder::Newest, Some(p)) => {
                query.filter(reviews::id.lt(p.id)).order(reviews::id.desc())
            }
            (ReviewOrder::Highest | ReviewOrder::Lowest | ReviewOrder::MostHelpful, after) => {
                let value = i32::try_from(after.map_or(0, |p| p.value)).unwrap_or(i32::MAX);
                let id = after.map_or(0, |p| p.id);
                match order {
                    ReviewOrder::Highest => {
                        if after.is_some() {
                            query = query.filter(
                                reviews::rating
                                    .lt(value)
                                    .or(reviews::rating.eq(value).and(reviews::id.lt(id))),
                            );
                        }
                        query.order((reviews::rating.desc(), reviews::id.desc()))
                    }
                    ReviewOrder::Lowest => {
                        if after.is_some() {
                            query = query.filter(
                                reviews::rating
                                    .gt(value)
                                    .or(reviews::rating.eq(value).and(reviews::id.lt(id))),
                            );
                        }
                        query.order((reviews::rating.asc(), reviews::id.desc()))
                    }
                    _ => {
                        if after.is_some() {
                            query = query.filter(
                                reviews::helpful_count
                                    .lt(value)
                                    .or(reviews::helpful_count.eq(value).and(reviews::id.lt(id))),
                            );
                        }
                        query.order((reviews::helpful_count.desc(), reviews::id.desc()))
                    }
                }
            }
        };
        query.limit(fetch).load(c).await
    })
}

/// How many approved reviews a product has (with photos only, when asked).
pub async fn count_of_product(
    conn: &mut Conn<'_>,
    product_id: i64,
    with_photos: bool,
) -> QueryResult<i64> {
    with_conn!(conn, |c| {
        let mut query = reviews::table
            .filter(reviews::product_id.eq(product_id))
            .filter(reviews::status.eq(ReviewStatus::Approved))
            .select(count_star())
            .into_boxed();
        if with_photos {
            query = query.filter(reviews::photo_count.gt(0));
        }
        query.first(c).await
    })
}

/// Approved reviews per product and rating, for these products.
pub async fn ratings_of(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
) -> QueryResult<Vec<(Option<i64>, i32, i64)>> {
    with_conn!(conn, |c| reviews::table
        .filter(reviews::product_id.eq_any(product_ids))
        .filter(reviews::status.eq(ReviewStatus::Approved))
        .group_by((reviews::product_id, reviews::rating))
        .select((reviews::product_id, reviews::rating, count_star()))
        .load(c)
        .await)
}

/// Whether any review is of this product.
pub async fn product_reviewed(conn: &mut Conn<'_>, product_id: i64) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::select(diesel::dsl::exists(
        reviews::table.filter(reviews::product_id.eq(product_id))
    ))
    .get_result(c)
    .await)
}

/// Adds to a review's helpful and report counts; a report also flags it.
pub async fn bump_votes(
    conn: &mut Conn<'_>,
    id: i64,
    helpful: i32,
    reports: i32,
) -> QueryResult<Option<ReviewRow>> {
    let flag = (reports > 0).into_sql::<diesel::sql_types::Bool>();
    with_conn!(conn, |c| diesel::update(reviews::table.find(id))
        .set((
            reviews::helpful_count.eq(reviews::helpful_count + helpful),
            reviews::report_count.eq(reviews::report_count + reports),
            reviews::flagged.eq(reviews::flagged.or(flag)),
        ))
        .returning(ReviewRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// Takes a customer's name and address off their reviews (their account is erased);
/// the reviews stay, signed "Müşteri".
pub async fn forget_author(conn: &mut Conn<'_>, user_id: i64) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::update(
        reviews::table.filter(reviews::user_id.eq(user_id))
    )
    .set((
        reviews::author_name.eq("Müşteri"),
        reviews::email.eq(None::<String>),
    ))
    .execute(c)
    .await)
}

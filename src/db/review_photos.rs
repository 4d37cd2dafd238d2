//! Queries on `review_photos`.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::review_photos;
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// A row of `review_photos`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_photos)]
pub struct ReviewPhotoRow {
    pub id: i64,
    pub user_id: i64,
    pub review_id: Option<i64>,
    pub position: Option<i32>,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub storage_key: String,
    pub url: String,
    pub created_at: Timestamp,
}

/// The values of a new photo.
#[derive(Debug, Insertable)]
#[diesel(table_name = review_photos)]
pub struct NewReviewPhoto<'a> {
    pub user_id: i64,
    pub content_type: &'a str,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub storage_key: &'a str,
    pub url: &'a str,
    pub created_at: Timestamp,
}

/// Stores an uploaded photo (not yet on a review).
pub async fn insert(
    conn: &mut Conn<'_>,
    photo: &NewReviewPhoto<'_>,
) -> QueryResult<ReviewPhotoRow> {
    with_conn!(conn, |c| diesel::insert_into(review_photos::table)
        .values(photo)
        .returning(ReviewPhotoRow::as_returning())
        .get_result(c)
        .await)
}

/// Puts a customer's photo on their review at `position`; false when the photo is not
/// theirs or already on another review.
pub async fn attach(
    conn: &mut Conn<'_>,
    id: i64,
    user_id: i64,
    review_id: i64,
    position: i32,
) -> QueryResult<bool> {
    let changed = with_conn!(conn, |c| diesel::update(
        review_photos::table
            .find(id)
            .filter(review_photos::user_id.eq(user_id))
            .filter(
                review_photos::review_id
                    .is_null()
                    .or(review_photos::review_id.eq(review_id))
            )
    )
    .set((
        review_photos::review_id.eq(review_id),
        review_photos::position.eq(position),
    ))
    .execute(c)
    .await)?;
    Ok(changed == 1)
}

/// Deletes a review's photos except `keep`, returning the deleted rows.
pub async fn delete_of_review(
    conn: &mut Conn<'_>,
    review_id: i64,
    keep: &[i64],
) -> QueryResult<Vec<ReviewPhotoRow>> {
    with_conn!(conn, |c| diesel::delete(
        review_photos::table
            .filter(review_photos::review_id.eq(review_id))
            .filter(review_photos::id.ne_all(keep))
    )
    .returning(ReviewPhotoRow::as_returning())
    .get_results(c)
    .await)
}

/// Deletes photos uploaded before `before` that no review shows.
pub async fn delete_unattached(
    conn: &mut Conn<'_>,
    before: Timestamp,
) -> QueryResult<Vec<ReviewPhotoRow>> {
    with_conn!(conn, |c| diesel::delete(
        review_photos::table
            .filter(review_photos::review_id.is_null())
            .filter(review_photos::created_at.lt(before))
    )
    .returning(ReviewPhotoRow::as_returning())
    .get_results(c)
    .await)
}

/// The photos of these reviews, in their order.
pub async fn of_reviews(
    conn: &mut Conn<'_>,
    review_ids: &[i64],
) -> QueryResult<Vec<ReviewPhotoRow>> {
    with_conn!(conn, |c| review_photos::table
        .filter(review_photos::review_id.eq_any(review_ids))
        .order((review_photos::review_id, review_photos::position))
        .select(ReviewPhotoRow::as_select())
        .load(c)
        .await)
}

/// Which of these storage keys a photo still uses.
pub async fn keys_in_use(conn: &mut Conn<'_>, keys: &[&str]) -> QueryResult<Vec<String>> {
    with_conn!(conn, |c| review_photos::table
        .filter(review_photos::storage_key.eq_any(keys))
        .select(review_photos::storage_key)
        .load(c)
        .await)
}

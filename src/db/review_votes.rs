//! Queries on `review_votes`: customers' "helpful" marks and reports.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{review_votes, reviews};
use super::{Conn, with_conn};
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// What a customer said about someone's review.
    pub enum VoteKind {
        /// It helped them.
        Helpful = "HELPFUL",
        /// It should be looked at by an administrator.
        Report = "REPORT",
    }
}

/// Records a customer's vote once; false when they had already cast it.
pub async fn insert(
    conn: &mut Conn<'_>,
    review_id: i64,
    user_id: i64,
    kind: VoteKind,
    reason: Option<&str>,
    now: Timestamp,
) -> QueryResult<bool> {
    let inserted = with_conn!(conn, |c| diesel::insert_into(review_votes::table)
        .values((
            review_votes::review_id.eq(review_id),
            review_votes::user_id.eq(user_id),
            review_votes::kind.eq(kind),
            review_votes::reason.eq(reason),
            review_votes::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await)?;
    Ok(inserted == 1)
}

/// The reviews among `review_ids` a customer marked helpful.
pub async fn marked_helpful(
    conn: &mut Conn<'_>,
    review_ids: &[i64],
    user_id: i64,
) -> QueryResult<Vec<i64>> {
    with_conn!(conn, |c| review_votes::table
        .filter(review_votes::review_id.eq_any(review_ids))
        .filter(review_votes::user_id.eq(user_id))
        .filter(review_votes::kind.eq(VoteKind::Helpful))
        .select(review_votes::review_id)
        .load(c)
        .await)
}

/// The reasons given in the reports on these reviews, oldest first.
pub async fn report_reasons(
    conn: &mut Conn<'_>,
    review_ids: &[i64],
) -> QueryResult<Vec<(i64, Option<String>)>> {
    with_conn!(conn, |c| review_votes::table
        .inner_join(reviews::table)
        .filter(review_votes::review_id.eq_any(review_ids))
        .filter(review_votes::kind.eq(VoteKind::Report))
        .order(review_votes::created_at.asc())
        .select((review_votes::review_id, review_votes::reason))
        .load(c)
        .await)
}

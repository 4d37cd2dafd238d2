//! Reviews: visitors submit them, administrators moderate them, and approved ones feed
//! the statistics in the same transaction that approves, rejects or deletes them.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use crate::db::reviews::ReviewStatus;
use crate::db::reviews::{self as rows, NewReview, ReviewRow};
use crate::db::stats as settings;
use crate::db::{DbError, Page, Tx};
use crate::error::{AppError, AppResult};
use crate::services::Services;
use crate::stats::{self, rating_counter};
use crate::text::{clean_text, optional_email};
use crate::throttle::{Limit, PublicLimits, too_many_attempts};

/// Reviews a client network may submit.
pub const REVIEWS_PER_NETWORK: Limit = Limit::per(3, Duration::from_secs(600));
/// Reviews a block of client networks (IPv4 /24, IPv6 /48) may submit.
pub const REVIEWS_PER_BLOCK: Limit = Limit::per(10, Duration::from_secs(3600));

/// A review.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: i64,
    pub author_name: String,
    pub email: Option<String>,
    pub rating: i32,
    pub comment: String,
    pub status: ReviewStatus,
    pub created_at: DateTime<Utc>,
    pub moderated_at: Option<DateTime<Utc>>,
}

impl From<ReviewRow> for Review {
    fn from(row: ReviewRow) -> Self {
        Review {
            id: row.id,
            author_name: row.author_name,
            email: row.email,
            rating: row.rating,
            comment: row.comment,
            status: row.status,
            created_at: row.created_at.into(),
            moderated_at: row.moderated_at.map(Into::into),
        }
    }
}

/// What a visitor submits.
#[derive(Debug)]
pub struct ReviewSubmission {
    pub author_name: String,
    pub email: Option<String>,
    pub rating: i32,
    pub comment: String,
}

/// Submitting and moderating reviews.
#[derive(Clone)]
pub struct Reviews {
    svc: Services,
}

impl Reviews {
    /// The reviews domain.
    pub fn new(svc: Services) -> Self {
        Reviews { svc }
    }

    /// Stores a visitor's review: pending, or approved at once when the setting says so.
    pub async fn submit(&self, submission: ReviewSubmission, client: IpAddr) -> AppResult<Review> {
        let author_name = clean_text("authorName", &submission.author_name, 100, false)?;
        let comment = clean_text("comment", &submission.comment, 2000, true)?;
        let email = optional_email(submission.email.as_deref())?;
        if !(1..=5).contains(&submission.rating) {
            return Err(AppError::bad_input("rating must be between 1 and 5."));
        }
        let svc = &self.svc;
        let limits = PublicLimits {
            per_network: REVIEWS_PER_NETWORK,
            per_block: REVIEWS_PER_BLOCK,
            total: Limit::per(
                svc.config.public_writes.reviews_per_minute,
                Duration::from_secs(60),
            ),
        };
        svc.throttle
            .hit_public("review", client, &limits)
            .await?
            .map_err(too_many_attempts)?;
        let now = svc.clock.now();
        let row = svc
            .db
            .transaction(async |tx| {
                let approve = settings::settings(&mut tx.conn())
                    .await?
                    .auto_approve_reviews;
                let status = if approve {
                    ReviewStatus::Approved
                } else {
                    ReviewStatus::Pending
                };
                let new = NewReview {
                    author_name: &author_name,
                    email: email.as_deref(),
                    rating: submission.rating,
                    comment: &comment,
                    status,
                    created_at: now.into(),
                    moderated_at: approve.then_some(now.into()),
                };
                let row = rows::insert(&mut tx.conn(), &new).await?;
                if approve {
                    self.count_approved(tx, row.rating, 1, now).await?;
                }
                Ok::<_, DbError>(row)
            })
            .await?;
        Ok(row.into())
    }

    async fn count_approved(
        &self,
        tx: &mut Tx,
        rating: i32,
        delta: i64,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        stats::count(&self.svc, tx, rating_counter(rating), delta, now).await
    }

    /// Approves a review (approving an approved one changes nothing).
    pub async fn approve(&self, id: i64) -> AppResult<Review> {
        self.moderate(id, ReviewStatus::Approved).await
    }

    /// Rejects a review; an approved one leaves the statistics.
    pub async fn reject(&self, id: i64) -> AppResult<Review> {
        self.moderate(id, ReviewStatus::Rejected).await
    }

    async fn moderate(&self, id: i64, to: ReviewStatus) -> AppResult<Review> {
        let now = self.svc.clock.now();
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                // One conditional update per possible current status: under concurrent
                // moderation each move happens once, and the counters move with it.
                for &from in ReviewStatus::ALL {
                    if from == to {
                        continue;
                    }
                    let moved = rows::transition(&mut tx.conn(), id, from, to, now.into()).await?;
                    if let Some(row) = moved {
                        let delta = match (from, to) {
                            (_, ReviewStatus::Approved) => 1,
                            (ReviewStatus::Approved, _) => -1,
                            _ => 0,
                        };
                        if delta != 0 {
                            self.count_approved(tx, row.rating, delta, now).await?;
                        }
                        return Ok(Some(row));
                    }
                }
                Ok::<_, DbError>(rows::find(&mut tx.conn(), id).await?)
            })
            .await?;
        row.map(Review::from)
            .ok_or_else(|| AppError::not_found("There is no review with this id."))
    }

    /// Deletes a review; an approved one leaves the statistics.
    pub async fn delete(&self, id: i64) -> AppResult<()> {
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                let row = rows::delete(&mut tx.conn(), id)
                    .await?
                    .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
                if row.status == ReviewStatus::Approved {
                    self.count_approved(tx, row.rating, -1, now).await?;
                }
                Ok::<_, AppError>(())
            })
            .await
    }

    /// A page of reviews (of one status, or all) and how many there are in total.
    pub async fn list(
        &self,
        status: Option<ReviewStatus>,
        page: Page,
    ) -> AppResult<(Vec<Review>, i64)> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let rows = rows::list(&mut conn, status, page).await?;
        let total = rows::count(&mut conn, status).await?;
        Ok((rows.into_iter().map(Review::from).collect(), total))
    }
}

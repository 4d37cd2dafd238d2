//! Reviews: visitors submit them, administrators moderate them, and approved ones feed
//! the statistics in the same transaction that approves, rejects or deletes them.
//! Product reviews (`products`) are the same reviews with a product and the customer
//! who wrote them, their photos (`photos`) and other customers' votes.

pub mod photos;
pub mod products;

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::db::review_photos::{self as photo_rows, ReviewPhotoRow};
use crate::db::reviews::{self as rows, NewReview, ReviewRow};
pub use crate::db::reviews::{ReviewFilter, ReviewStatus};
use crate::db::stats as settings;
use crate::db::{DbError, Page, Tx};
use crate::error::{AppError, AppResult};
use crate::events::Topic;
use crate::media::MediaLibrary;
use crate::services::Services;
use crate::stats::{self, rating_counter};
use crate::text::{clean_text, optional_email};
use crate::throttle::{Limit, PublicLimits, too_many_attempts};

/// Reviews a client network may submit.
pub const REVIEWS_PER_NETWORK: Limit = Limit::per(3, Duration::from_secs(600));
/// Reviews a block of client networks (IPv4 /24, IPv6 /48) may submit.
pub const REVIEWS_PER_BLOCK: Limit = Limit::per(10, Duration::from_secs(3600));

/// Announced whenever what a product page shows of reviews may have changed.
pub const TOPIC: Topic = Topic::new("reviews");

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
    /// The product reviewed; `None` for a review of the business.
    pub product_id: Option<i64>,
    /// The customer who wrote a product review (`None` once their account is gone).
    pub user_id: Option<i64>,
    pub title: Option<String>,
    pub helpful_count: i32,
    pub report_count: i32,
    /// Reported since an administrator last moderated it.
    pub flagged: bool,
    pub updated_at: Option<DateTime<Utc>>,
    /// Its photos, in order (filled by the listings that show them).
    pub photos: Vec<ReviewPhoto>,
    /// Whether its author received the product in a delivered order.
    pub verified_purchase: bool,
    /// The reasons customers gave when they reported it (filled for administrators).
    pub report_reasons: Vec<String>,
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
            product_id: row.product_id,
            user_id: row.user_id,
            title: row.title,
            helpful_count: row.helpful_count,
            report_count: row.report_count,
            flagged: row.flagged,
            updated_at: row.updated_at.map(Into::into),
            photos: Vec::new(),
            verified_purchase: false,
            report_reasons: Vec::new(),
        }
    }
}

/// A customer's photo on a review.
#[derive(Debug, Clone)]
pub struct ReviewPhoto {
    pub id: i64,
    pub url: String,
    pub width: i32,
    pub height: i32,
}

impl From<ReviewPhotoRow> for ReviewPhoto {
    fn from(row: ReviewPhotoRow) -> Self {
        ReviewPhoto {
            id: row.id,
            url: row.url,
            width: row.width,
            height: row.height,
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

/// The status a new (or rewritten) review starts in, as the settings say, and whether
/// that is approved.
async fn initial_status(tx: &mut Tx) -> Result<(ReviewStatus, bool), DbError> {
    let approve = settings::settings(&mut tx.conn())
        .await?
        .auto_approve_reviews;
    let status = if approve {
        ReviewStatus::Approved
    } else {
        ReviewStatus::Pending
    };
    Ok((status, approve))
}

/// Submitting and moderating reviews.
#[derive(Clone)]
pub struct Reviews {
    svc: Services,
    media: MediaLibrary,
}

impl Reviews {
    /// The reviews domain; customers' photos are stored by `media`.
    pub fn new(svc: Services, media: MediaLibrary) -> Self {
        Reviews { svc, media }
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
                let (status, approve) = initial_status(tx).await?;
                let new = NewReview {
                    author_name: &author_name,
                    email: email.as_deref(),
                    rating: submission.rating,
                    comment: &comment,
                    status,
                    created_at: now.into(),
                    moderated_at: approve.then_some(now.into()),
                    product_id: None,
                    user_id: None,
                    title: None,
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
                        self.svc.events.publish_on_commit(tx, TOPIC).await?;
                        return Ok(Some(row));
                    }
                }
                // Already there: looking at it again clears its reports.
                Ok::<_, DbError>(rows::clear_flag(&mut tx.conn(), id).await?)
            })
            .await?;
        let review = row
            .map(Review::from)
            .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
        Ok(self.with_details(vec![review], true).await?.remove(0))
    }

    /// Deletes a review with its photos; an approved one leaves the statistics.
    pub async fn delete(&self, id: i64) -> AppResult<()> {
        let now = self.svc.clock.now();
        let photos = self
            .svc
            .db
            .transaction(async |tx| {
                let photos = photo_rows::delete_of_review(&mut tx.conn(), id, &[]).await?;
                let row = rows::delete(&mut tx.conn(), id)
                    .await?
                    .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
                if row.status == ReviewStatus::Approved {
                    self.count_approved(tx, row.rating, -1, now).await?;
                }
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(photos)
            })
            .await?;
        self.release_photos(photos).await;
        Ok(())
    }

    /// A page of reviews (newest first) and how many the filter holds.
    pub async fn list(&self, filter: ReviewFilter, page: Page) -> AppResult<(Vec<Review>, i64)> {
        let (rows, total) = {
            let mut pooled = self.svc.db.read().await?;
            let mut conn = pooled.conn();
            let rows = rows::list(&mut conn, filter, page).await?;
            let total = rows::count(&mut conn, filter).await?;
            (rows, total)
        };
        let reviews = rows.into_iter().map(Review::from).collect();
        Ok((self.with_details(reviews, true).await?, total))
    }
}

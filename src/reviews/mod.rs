//! Reviews: visitors submit them, administrators moderate them, and approved ones feed
//! the statistics in the same transaction that approves, rejects or deletes them.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::auth::{from_millis, normalize_email};
use crate::db::reviews::{self as rows, NewReview, ReviewRow};
use crate::db::stats as counters;
use crate::db::{Conn, DbError, Page};
use crate::error::{AppError, AppResult};
use crate::stats::{counters_changed, rating_counter};
use crate::throttle::{Limit, PublicLimits, too_many_attempts};

/// Reviews a client network may submit, and its block of networks.
pub const REVIEWS_PER_NETWORK: Limit = Limit::per(3, Duration::from_secs(600));
/// Reviews a block of client networks (IPv4 /24, IPv6 /48) may submit.
pub const REVIEWS_PER_BLOCK: Limit = Limit::per(10, Duration::from_secs(3600));

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    Pending,
    Approved,
    Rejected,
}

impl ReviewStatus {
    /// The stored value.
    pub fn as_db(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "PENDING",
            ReviewStatus::Approved => "APPROVED",
            ReviewStatus::Rejected => "REJECTED",
        }
    }

    fn from_db(value: &str) -> Self {
        match value {
            "APPROVED" => ReviewStatus::Approved,
            "REJECTED" => ReviewStatus::Rejected,
            _ => ReviewStatus::Pending,
        }
    }
}

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
            status: ReviewStatus::from_db(&row.status),
            created_at: from_millis(row.created_at),
            moderated_at: row.moderated_at.map(from_millis),
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

/// Trims `value` and checks its length and characters (newlines allowed where `multiline`).
pub fn clean_text(field: &str, value: &str, max: usize, multiline: bool) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::bad_input(format!("{field} cannot be empty.")));
    }
    if value.chars().count() > max {
        return Err(AppError::bad_input(format!(
            "{field} must be at most {max} characters long."
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(AppError::bad_input(format!(
            "{field} contains characters that are not allowed."
        )));
    }
    Ok(value.to_owned())
}

/// An optional e-mail address: blank means none, anything else must be valid.
pub fn optional_email(value: Option<&str>) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => normalize_email(raw)
            .map(Some)
            .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address.")),
    }
}

/// Stores a visitor's review: pending, or approved at once when the setting says so.
pub async fn submit(app: &App, submission: ReviewSubmission, client: IpAddr) -> AppResult<Review> {
    let author_name = clean_text("authorName", &submission.author_name, 100, false)?;
    let comment = clean_text("comment", &submission.comment, 2000, true)?;
    let email = optional_email(submission.email.as_deref())?;
    if !(1..=5).contains(&submission.rating) {
        return Err(AppError::bad_input("rating must be between 1 and 5."));
    }
    let limits = PublicLimits {
        per_network: REVIEWS_PER_NETWORK,
        per_block: REVIEWS_PER_BLOCK,
        total: Limit::per(
            app.config.public_writes.reviews_per_minute,
            Duration::from_secs(60),
        ),
    };
    app.throttle
        .hit_public("review", client, &limits)
        .map_err(too_many_attempts)?;
    let now = app.clock.now().timestamp_millis();
    let mut tx = app.db.begin().await?;
    let result = async {
        let conn = &mut tx.conn();
        let approve = counters::settings(conn).await?.auto_approve_reviews;
        let status = if approve {
            ReviewStatus::Approved
        } else {
            ReviewStatus::Pending
        };
        let row = rows::insert(
            conn,
            &NewReview {
                author_name: &author_name,
                email: email.as_deref(),
                rating: submission.rating,
                comment: &comment,
                status: status.as_db(),
                created_at: now,
                moderated_at: approve.then_some(now),
            },
        )
        .await?;
        if approve {
            count_approved(conn, row.rating, 1, now).await?;
        }
        Ok::<_, DbError>(row)
    }
    .await;
    let row = tx.finish(result).await?;
    if row.status == ReviewStatus::Approved.as_db() {
        app.stats.invalidate();
    }
    Ok(row.into())
}

async fn count_approved(
    conn: &mut Conn<'_>,
    rating: i32,
    delta: i64,
    now: i64,
) -> Result<(), DbError> {
    counters::bump(conn, rating_counter(rating), delta).await?;
    counters_changed(conn, now).await
}

/// Approves a review (approving an approved one changes nothing).
pub async fn approve(app: &App, id: i64) -> AppResult<Review> {
    moderate(app, id, ReviewStatus::Approved).await
}

/// Rejects a review; an approved one leaves the statistics.
pub async fn reject(app: &App, id: i64) -> AppResult<Review> {
    moderate(app, id, ReviewStatus::Rejected).await
}

async fn moderate(app: &App, id: i64, to: ReviewStatus) -> AppResult<Review> {
    let now = app.clock.now().timestamp_millis();
    let mut tx = app.db.begin().await?;
    let result = async {
        let conn = &mut tx.conn();
        // One conditional update per possible current status: under concurrent
        // moderation each move happens once, and the counters move with it.
        for from in [
            ReviewStatus::Pending,
            ReviewStatus::Approved,
            ReviewStatus::Rejected,
        ] {
            if from == to {
                continue;
            }
            if let Some(row) = rows::transition(conn, id, from.as_db(), to.as_db(), now).await? {
                let delta = match (from, to) {
                    (_, ReviewStatus::Approved) => 1,
                    (ReviewStatus::Approved, _) => -1,
                    _ => 0,
                };
                if delta != 0 {
                    count_approved(conn, row.rating, delta, now).await?;
                }
                return Ok((Some(row), delta != 0));
            }
        }
        Ok::<_, DbError>((rows::find(conn, id).await?, false))
    }
    .await;
    let (row, counted) = tx.finish(result).await?;
    if counted {
        app.stats.invalidate();
    }
    row.map(Review::from)
        .ok_or_else(|| AppError::not_found("There is no review with this id."))
}

/// Deletes a review; an approved one leaves the statistics.
pub async fn delete(app: &App, id: i64) -> AppResult<()> {
    let now = app.clock.now().timestamp_millis();
    let mut tx = app.db.begin().await?;
    let result = async {
        let conn = &mut tx.conn();
        let row = rows::delete(conn, id).await?;
        if let Some(row) = row
            .as_ref()
            .filter(|r| r.status == ReviewStatus::Approved.as_db())
        {
            count_approved(conn, row.rating, -1, now).await?;
        }
        Ok::<_, DbError>(row)
    }
    .await;
    let row = tx
        .finish(result)
        .await?
        .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
    if row.status == ReviewStatus::Approved.as_db() {
        app.stats.invalidate();
    }
    Ok(())
}

/// A page of reviews (of one status, or all) and how many there are in total.
pub async fn list(
    app: &App,
    status: Option<ReviewStatus>,
    page: Page,
) -> AppResult<(Vec<Review>, i64)> {
    let status = status.map(ReviewStatus::as_db);
    let mut pooled = app.db.read().await?;
    let mut conn = pooled.conn();
    let rows = rows::list(&mut conn, status, page).await?;
    let total = rows::count(&mut conn, status).await?;
    Ok((rows.into_iter().map(Review::from).collect(), total))
}

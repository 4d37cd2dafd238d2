//! Customers' photos for their reviews: uploaded through their own stricter path (see
//! [`MediaLibrary::store_photo`](crate::media::MediaLibrary::store_photo)), counted
//! against a daily allowance, shown once a review lists them, and deleted with the
//! review (or after a day when no review takes them).

use chrono::Duration as Days;

use super::{ReviewPhoto, Reviews};
use crate::auth::User;
use crate::db::review_photos::{self as rows, NewReviewPhoto};
use crate::db::stats::claim_daily_quota;
use crate::error::{AppError, AppResult};
use crate::stats::visits::istanbul_day;

/// Photos one customer may upload per day (Istanbul time).
pub const PHOTOS_PER_DAY: i64 = 10;
/// How long an uploaded photo waits for a review to show it.
pub const UNATTACHED_KEPT_FOR: Days = Days::hours(24);

impl Reviews {
    /// Stores a photo a customer uploads for a review (not shown until a review lists
    /// it). Refused after [`PHOTOS_PER_DAY`] uploads in a day.
    pub async fn upload_photo(&self, user: &User, file: std::fs::File) -> AppResult<ReviewPhoto> {
        if user.email_verified_at.is_none() {
            return Err(AppError::refused(
                "EMAIL_NOT_VERIFIED",
                None,
                "Confirm your e-mail address before uploading photos; we sent you a link.",
            ));
        }
        let svc = &self.svc;
        let now = svc.clock.now();
        let day = istanbul_day(now);
        let key = format!("review-photos:{}", user.id);
        let within = svc
            .db
            .transaction(async |tx| {
                Ok::<_, AppError>(
                    claim_daily_quota(&mut tx.conn(), &key, &day, PHOTOS_PER_DAY).await?,
                )
            })
            .await?;
        if !within {
            return Err(AppError::refused(
                "PHOTO_LIMIT",
                None,
                format!("You can upload {PHOTOS_PER_DAY} photos a day; try again tomorrow."),
            ));
        }
        let stored = self.media.store_photo(file).await?;
        let new = NewReviewPhoto {
            user_id: user.id,
            content_type: "image/jpeg",
            width: i32::try_from(stored.width).unwrap_or(i32::MAX),
            height: i32::try_from(stored.height).unwrap_or(i32::MAX),
            bytes: stored.bytes,
            storage_key: &stored.key,
            url: &stored.url,
            created_at: now.into(),
        };
        let inserted = svc
            .db
            .transaction(async |tx| Ok::<_, AppError>(rows::insert(&mut tx.conn(), &new).await?))
            .await;
        match inserted {
            Ok(row) => Ok(row.into()),
            Err(e) => {
                self.release_photo_files(vec![stored.key]).await;
                Err(e)
            }
        }
    }

    /// Deletes the photos no review took within [`UNATTACHED_KEPT_FOR`].
    pub async fn sweep_unattached_photos(&self) -> AppResult<usize> {
        let before = self.svc.clock.now() - UNATTACHED_KEPT_FOR;
        let photos = self
            .svc
            .db
            .transaction(async |tx| {
                Ok::<_, AppError>(rows::delete_unattached(&mut tx.conn(), before.into()).await?)
            })
            .await?;
        let swept = photos.len();
        self.release_photos(photos).await;
        Ok(swept)
    }
}

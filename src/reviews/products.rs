//! Product reviews: one per customer and product (a second submission edits the first),
//! moderated and counted like every review; their photos, the "verified purchase" badge,
//! each product's rating, and other customers' "helpful" marks and reports.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::{Review, ReviewPhoto, ReviewStatus, Reviews, TOPIC};
use crate::auth::User;
use crate::db::review_photos::{self as photo_rows, ReviewPhotoRow};
use crate::db::review_votes::{self as votes, VoteKind};
use crate::db::reviews::{self as rows, NewReview, ReviewEdit};
pub use crate::db::reviews::{ReviewOrder, ReviewPosition};
use crate::db::{orders, products};
use crate::error::{AppError, AppResult};
use crate::stats::{self, rating_counter};
use crate::text::clean_text;
use crate::throttle::{Limit, too_many_attempts};

/// How many photos a review may show.
pub const MAX_PHOTOS: usize = 3;
/// Reviews (new or edited) one customer may submit.
pub const SUBMISSIONS_PER_CUSTOMER: Limit = Limit::per(10, Duration::from_secs(3600));
/// "Helpful" marks and reports one customer may cast (each refreshes remembered pages).
pub const VOTES_PER_CUSTOMER: Limit = Limit::per(30, Duration::from_secs(60));

/// What a customer writes about a product.
#[derive(Debug)]
pub struct ProductReviewInput {
    pub rating: i32,
    pub title: Option<String>,
    pub comment: String,
    /// Their own uploaded photos, in the order to show them.
    pub photo_ids: Vec<i64>,
}

/// A product's approved reviews in numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rating {
    /// How many approved reviews give 1★ … 5★ (index 0 is 1★).
    pub histogram: [i64; 5],
}

impl Rating {
    /// How many approved reviews it has.
    pub fn count(&self) -> i64 {
        self.histogram.iter().sum()
    }

    /// The mean rating, rounded to one decimal; 0 without reviews.
    pub fn average(&self) -> f64 {
        let count = self.count();
        if count == 0 {
            return 0.0;
        }
        let stars: i64 = self
            .histogram
            .iter()
            .zip(1..)
            .map(|(n, stars)| n * stars)
            .sum();
        (stars as f64 * 10.0 / count as f64).round() / 10.0
    }
}

/// The name a product review is shown under: the first name and the initial of the
/// last ("Ayşe K."), so that a customer's full name is not published.
pub fn public_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    match (words.next(), words.next_back()) {
        (None, _) => "Müşteri".to_owned(),
        (Some(first), None) => first.chars().take(40).collect(),
        (Some(first), Some(last)) => {
            let first: String = first.chars().take(40).collect();
            match last.chars().next() {
                Some(initial) => format!("{first} {}.", initial.to_uppercase()),
                None => first,
            }
        }
    }
}

fn order_name(order: ReviewOrder) -> &'static str {
    match order {
        ReviewOrder::Newest => "NEWEST",
        ReviewOrder::Highest => "HIGHEST",
        ReviewOrder::Lowest => "LOWEST",
        ReviewOrder::MostHelpful => "MOST_HELPFUL",
    }
}

/// Where `review` stands in a list in `order`: the next page starts after it.
pub fn position(order: ReviewOrder, review: &Review) -> String {
    let value = match order {
        ReviewOrder::Newest => review.id,
        ReviewOrder::Highest | ReviewOrder::Lowest => i64::from(review.rating),
        ReviewOrder::MostHelpful => i64::from(review.helpful_count),
    };
    format!("{}|{value}|{}", order_name(order), review.id)
}

/// Reads a [`position`] of a list in `order`; one from another order is refused.
pub fn parse_position(order: ReviewOrder, text: &str) -> AppResult<ReviewPosition> {
    let invalid = || {
        AppError::invalid(
            "after",
            "The cursor is not valid for this order; use an endCursor from a page in the same order.",
        )
    };
    let mut parts = text.split('|');
    let (Some(name), Some(value), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if name != order_name(order) {
        return Err(invalid());
    }
    Ok(ReviewPosition {
        value: value.parse().map_err(|_| invalid())?,
        id: id.parse().map_err(|_| invalid())?,
    })
}

impl Reviews {
    /// Stores a customer's review of a product, or rewrites the one they wrote: it is
    /// moderated again (unless reviews are approved at once), and its photos become
    /// exactly `photo_ids`, the others deleted.
    pub async fn submit_product_review(
        &self,
        user: &User,
        product_id: i64,
        input: ProductReviewInput,
    ) -> AppResult<Review> {
        if user.email_verified_at.is_none() {
            return Err(AppError::refused(
                "EMAIL_NOT_VERIFIED",
                None,
                "Confirm your e-mail address before writing a review; we sent you a link.",
            ));
        }
        if !(1..=5).contains(&input.rating) {
            return Err(AppError::invalid(
                "rating",
                "rating must be between 1 and 5.",
            ));
        }
        let title = match input.title.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(title) => Some(clean_text("title", title, 120, false)?),
        };
        let comment = clean_text("comment", &input.comment, 2000, true)?;
        let photo_ids = input.photo_ids;
        if photo_ids.len() > MAX_PHOTOS {
            return Err(AppError::invalid(
                "photoIds",
                format!("A review shows at most {MAX_PHOTOS} photos."),
            ));
        }
        if photo_ids.iter().collect::<HashSet<_>>().len() != photo_ids.len() {
            return Err(AppError::invalid("photoIds", "A photo is listed twice."));
        }
        let svc = &self.svc;
        svc.throttle
            .hit(
                &format!("product-review:{}", user.id),
                SUBMISSIONS_PER_CUSTOMER,
            )
            .await?
            .map_err(too_many_attempts)?;
        let author_name = public_name(&user.name);
        let now = svc.clock.now();
        let (row, dropped) = svc
            .db
            .transaction(async |tx| {
                let product = products::find(&mut tx.conn(), product_id).await?;
                if !product.is_some_and(|p| p.active && p.archived_at.is_none()) {
                    return Err(AppError::not_found("There is no product with this id."));
                }
                let (status, approve) = super::initial_status(tx).await?;
                let moderated_at = approve.then_some(now.into());
                let new = NewReview {
                    author_name: &author_name,
                    email: Some(&user.email),
                    rating: input.rating,
                    comment: &comment,
                    status,
                    created_at: now.into(),
                    moderated_at,
                    product_id: Some(product_id),
                    user_id: Some(user.id),
                    title: title.as_deref(),
                };
                let row = match rows::insert_product_review(&mut tx.conn(), &new).await? {
                    None => {
                        let old = rows::find_own_for_update(&mut tx.conn(), product_id, user.id)
                            .await?
                            .ok_or_else(|| {
                                AppError::internal(anyhow::anyhow!(
                                    "a review conflicted but cannot be found"
                                ))
                            })?;
                        // Out of the old rating and into the new one in one move: locking
                        // one counter while holding another could deadlock.
                        let was = (old.status == ReviewStatus::Approved).then_some(old.rating);
                        let will = approve.then_some(input.rating);
                        if was != will {
                            let moves: Vec<(&str, i64)> = [(was, -1), (will, 1)]
                                .into_iter()
                                .filter_map(|(rating, d)| Some((rating_counter(rating?), d)))
                                .collect();
                            stats::count_all(&self.svc, tx, &moves, now).await?;
                        }
                        if was.is_some() || will.is_some() {
                            // What the product page shows changed (a pending one shows nothing).
                            self.svc.events.publish_on_commit(tx, TOPIC).await?;
                        }
                        let edit = ReviewEdit {
                            author_name: &author_name,
                            rating: input.rating,
                            title: title.as_deref(),
                            comment: &comment,
                            status,
                            moderated_at,
                            updated_at: Some(now.into()),
                        };
                        rows::edit(&mut tx.conn(), old.id, &edit).await?
                    }
                    Some(row) => {
                        if approve {
                            self.count_approved(tx, row.rating, 1, now).await?;
                            self.svc.events.publish_on_commit(tx, TOPIC).await?;
                        }
                        row
                    }
                };
                let dropped =
                    photo_rows::delete_of_review(&mut tx.conn(), row.id, &photo_ids).await?;
                for (position, &photo) in (0..).zip(&photo_ids) {
                    if !photo_rows::attach(&mut tx.conn(), photo, user.id, row.id, position).await?
                    {
                        return Err(AppError::invalid(
                            "photoIds",
                            "A photo is not one you uploaded, or it is on another review.",
                        ));
                    }
                }
                let count = i32::try_from(photo_ids.len()).unwrap_or(0);
                rows::set_photo_count(&mut tx.conn(), row.id, count).await?;
                Ok::<_, AppError>((row, dropped))
            })
            .await?;
        self.release_photos(dropped).await;
        let review = Review::from(row);
        Ok(self.with_details(vec![review], false).await?.remove(0))
    }

    /// A page of a product's approved reviews in `order` (only those with photos, when
    /// asked), fetched one more than `limit` (which tells whether another page follows).
    pub async fn of_product(
        &self,
        product_id: i64,
        order: ReviewOrder,
        with_photos: bool,
        after: Option<ReviewPosition>,
        limit: i64,
    ) -> AppResult<Vec<Review>> {
        let rows = rows::of_product(
            &mut self.svc.db.read().await?.conn(),
            product_id,
            order,
            with_photos,
            after,
            limit + 1,
        )
        .await?;
        let reviews = rows.into_iter().map(Review::from).collect();
        self.with_details(reviews, false).await
    }

    /// How many approved reviews a product has (with photos only, when asked).
    pub async fn count_of_product(&self, product_id: i64, with_photos: bool) -> AppResult<i64> {
        Ok(rows::count_of_product(
            &mut self.svc.db.read().await?.conn(),
            product_id,
            with_photos,
        )
        .await?)
    }

    /// The ratings of these products (those without approved reviews are missing).
    pub async fn ratings_of(&self, product_ids: &[i64]) -> AppResult<HashMap<i64, Rating>> {
        let counts = rows::ratings_of(&mut self.svc.db.read().await?.conn(), product_ids).await?;
        let mut ratings: HashMap<i64, Rating> = HashMap::new();
        for (product, stars, n) in counts {
            let (Some(product), Ok(index @ 0..=4)) = (product, usize::try_from(stars - 1)) else {
                continue;
            };
            ratings.entry(product).or_default().histogram[index] = n;
        }
        Ok(ratings)
    }

    /// The reviews a customer wrote of these products, by product.
    pub async fn own_reviews(
        &self,
        user_id: i64,
        product_ids: &[i64],
    ) -> AppResult<HashMap<i64, Review>> {
        let rows =
            rows::find_own(&mut self.svc.db.read().await?.conn(), product_ids, user_id).await?;
        let reviews = rows.into_iter().map(Review::from).collect();
        Ok(self
            .with_details(reviews, false)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.product_id?, r)))
            .collect())
    }

    /// Which of these reviews a customer marked helpful.
    pub async fn marked_helpful(
        &self,
        user_id: i64,
        review_ids: &[i64],
    ) -> AppResult<HashSet<i64>> {
        let marked =
            votes::marked_helpful(&mut self.svc.db.read().await?.conn(), review_ids, user_id)
                .await?;
        Ok(marked.into_iter().collect())
    }

    /// Marks a published product review helpful for a customer (once; again changes
    /// nothing). Their own review cannot be marked.
    pub async fn mark_helpful(&self, user: &User, review_id: i64) -> AppResult<Review> {
        self.vote(user, review_id, VoteKind::Helpful, None).await
    }

    /// Reports a published product review to the administrators (once per customer):
    /// it is flagged and comes first in their queue.
    pub async fn report(&self, user: &User, review_id: i64, reason: &str) -> AppResult<Review> {
        let reason = clean_text("reason", reason, 500, true)?;
        self.vote(user, review_id, VoteKind::Report, Some(&reason))
            .await
    }

    async fn vote(
        &self,
        user: &User,
        review_id: i64,
        kind: VoteKind,
        reason: Option<&str>,
    ) -> AppResult<Review> {
        self.svc
            .throttle
            .hit(&format!("review-votes:{}", user.id), VOTES_PER_CUSTOMER)
            .await?
            .map_err(too_many_attempts)?;
        let now = self.svc.clock.now();
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let review = rows::find(&mut tx.conn(), review_id)
                    .await?
                    .filter(|r| r.status == ReviewStatus::Approved && r.product_id.is_some())
                    .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
                if review.user_id == Some(user.id) {
                    return Err(AppError::refused(
                        "OWN_REVIEW",
                        None,
                        "You cannot vote on your own review.",
                    ));
                }
                if !votes::insert(&mut tx.conn(), review_id, user.id, kind, reason, now.into())
                    .await?
                {
                    return Ok(review);
                }
                let (helpful, reports) = match kind {
                    VoteKind::Helpful => (1, 0),
                    VoteKind::Report => (0, 1),
                };
                let row = rows::bump_votes(&mut tx.conn(), review_id, helpful, reports)
                    .await?
                    .ok_or_else(|| AppError::not_found("There is no review with this id."))?;
                if kind == VoteKind::Helpful {
                    self.svc.events.publish_on_commit(tx, TOPIC).await?;
                }
                Ok::<_, AppError>(row)
            })
            .await?;
        Ok(self.with_details(vec![row.into()], false).await?.remove(0))
    }

    /// Fills in what lists show with reviews: their photos, the "verified purchase"
    /// badge, and (for administrators) the reasons of reports. A fixed number of queries
    /// for any page.
    pub(super) async fn with_details(
        &self,
        mut reviews: Vec<Review>,
        reasons: bool,
    ) -> AppResult<Vec<Review>> {
        if reviews.is_empty() {
            return Ok(reviews);
        }
        let ids: Vec<i64> = reviews.iter().map(|r| r.id).collect();
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let mut photos: HashMap<i64, Vec<ReviewPhoto>> = HashMap::new();
        for row in photo_rows::of_reviews(&mut conn, &ids).await? {
            if let Some(review) = row.review_id {
                photos.entry(review).or_default().push(row.into());
            }
        }
        let product_ids: HashSet<i64> = reviews.iter().filter_map(|r| r.product_id).collect();
        let user_ids: Vec<i64> = reviews.iter().filter_map(|r| r.user_id).collect();
        let received: HashSet<(i64, i64)> = if user_ids.is_empty() {
            HashSet::new()
        } else {
            let product_ids: Vec<i64> = product_ids.into_iter().collect();
            orders::received_by(&mut conn, &product_ids, &user_ids)
                .await?
                .into_iter()
                .collect()
        };
        let mut report_reasons: HashMap<i64, Vec<String>> = HashMap::new();
        if reasons {
            for (review, reason) in votes::report_reasons(&mut conn, &ids).await? {
                report_reasons.entry(review).or_default().extend(reason);
            }
        }
        for review in &mut reviews {
            review.photos = photos.remove(&review.id).unwrap_or_default();
            review.verified_purchase = match (review.user_id, review.product_id) {
                (Some(user), Some(product)) => received.contains(&(user, product)),
                _ => false,
            };
            review.report_reasons = report_reasons.remove(&review.id).unwrap_or_default();
        }
        Ok(reviews)
    }

    /// Deletes the files of deleted photos that no other photo uses.
    pub(super) async fn release_photos(&self, photos: Vec<ReviewPhotoRow>) {
        self.release_photo_files(photos.into_iter().map(|p| p.storage_key).collect())
            .await;
    }

    /// Deletes the photo files among `keys` that no photo uses.
    pub(super) async fn release_photo_files(&self, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        let in_use = async {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut pooled = self.svc.db.read().await?;
            Ok::<_, AppError>(photo_rows::keys_in_use(&mut pooled.conn(), &keys).await?)
        }
        .await;
        match in_use {
            Ok(in_use) => {
                let unused: Vec<String> =
                    keys.into_iter().filter(|k| !in_use.contains(k)).collect();
                self.media.delete_photo_files(&unused).await;
            }
            Err(e) => {
                tracing::error!(error = ?e, "could not tell whether photo files are still used; kept");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_review_shows_the_first_name_and_the_last_initial() {
        assert_eq!(public_name("Ayşe Nur Kaya"), "Ayşe K.");
        assert_eq!(public_name("  ömer  "), "ömer");
        assert_eq!(public_name("ali ışık"), "ali I.");
        assert_eq!(public_name(""), "Müşteri");
    }

    #[test]
    fn the_average_has_one_decimal_and_is_zero_without_reviews() {
        assert_eq!(Rating::default().average(), 0.0);
        let rating = Rating {
            histogram: [1, 0, 0, 1, 1],
        };
        assert_eq!(rating.count(), 3);
        assert_eq!(rating.average(), 3.3);
    }
}

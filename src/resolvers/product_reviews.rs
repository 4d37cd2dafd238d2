//! What the public sees of reviews: a published review (of the business or of a
//! product), its photos, a product's rating, and how a product's reviews are ordered.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination::{Listing, decode_cursor, encode_cursor, listing, page_size};
use crate::reviews::products::{Rating, ReviewOrder, ReviewPosition, parse_position, position};
use crate::reviews::{Review, ReviewPhoto};

/// A customer's photo on a review.
#[derive(SimpleObject)]
#[graphql(name = "ReviewPhoto")]
pub struct ReviewPhotoGql {
    pub id: ID,
    /// The JPEG (at most 1600 pixels each way).
    pub url: String,
    pub width: i32,
    pub height: i32,
}

impl From<ReviewPhoto> for ReviewPhotoGql {
    fn from(photo: ReviewPhoto) -> Self {
        ReviewPhotoGql {
            id: ID(photo.id.to_string()),
            url: photo.url,
            width: photo.width,
            height: photo.height,
        }
    }
}

/// A published review as visitors see it (no e-mail address).
pub struct PublicReviewGql {
    review: Review,
    /// The reviews the viewer marked helpful (empty for guests).
    marked: Arc<HashSet<i64>>,
}

impl PublicReviewGql {
    /// A review seen by someone who marked `marked` helpful.
    pub fn new(review: Review, marked: Arc<HashSet<i64>>) -> Self {
        PublicReviewGql { review, marked }
    }
}

#[Object(name = "PublicReview")]
impl PublicReviewGql {
    async fn id(&self) -> ID {
        ID(self.review.id.to_string())
    }
    /// A product review shows the first name and the last name's initial.
    async fn author_name(&self) -> &str {
        &self.review.author_name
    }
    /// 1 to 5.
    async fn rating(&self) -> i32 {
        self.review.rating
    }
    async fn title(&self) -> Option<&str> {
        self.review.title.as_deref()
    }
    async fn comment(&self) -> &str {
        &self.review.comment
    }
    /// Up to 3, in the author's order.
    async fn photos(&self) -> Vec<ReviewPhotoGql> {
        self.review.photos.iter().cloned().map(Into::into).collect()
    }
    /// How many customers found it helpful.
    async fn helpful_count(&self) -> i32 {
        self.review.helpful_count
    }
    /// Whether the viewer marked it helpful (false for guests).
    async fn marked_helpful(&self) -> bool {
        self.marked.contains(&self.review.id)
    }
    /// The author bought the product and it was delivered to them.
    async fn verified_purchase(&self) -> bool {
        self.review.verified_purchase
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.review.created_at
    }
    /// When the author last rewrote it.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.review.updated_at
    }
}

/// A product's published reviews in numbers.
pub struct ProductRatingGql(pub Rating);

#[Object(name = "ProductRating")]
impl ProductRatingGql {
    /// The mean rating with one decimal; 0 without reviews.
    async fn average(&self) -> f64 {
        self.0.average()
    }
    /// How many published reviews it has.
    async fn count(&self) -> i32 {
        i32::try_from(self.0.count()).unwrap_or(i32::MAX)
    }
    /// How many give 1★, 2★, 3★, 4★ and 5★ (five numbers, 1★ first).
    async fn histogram(&self) -> Vec<i32> {
        self.0
            .histogram
            .iter()
            .map(|n| i32::try_from(*n).unwrap_or(i32::MAX))
            .collect()
    }
}

/// How a product's reviews are ordered (ties: newest first).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum ReviewSort {
    #[default]
    Newest,
    /// 5★ first.
    Highest,
    /// 1★ first.
    Lowest,
    /// The most "helpful" marks first.
    MostHelpful,
}

impl From<ReviewSort> for ReviewOrder {
    fn from(sort: ReviewSort) -> Self {
        match sort {
            ReviewSort::Newest => ReviewOrder::Newest,
            ReviewSort::Highest => ReviewOrder::Highest,
            ReviewSort::Lowest => ReviewOrder::Lowest,
            ReviewSort::MostHelpful => ReviewOrder::MostHelpful,
        }
    }
}

/// The cursor of a review in a list in `sort`.
fn review_cursor(sort: ReviewSort, review: &Review) -> String {
    encode_cursor(&position(sort.into(), review))
}

fn parse_review_cursor(sort: ReviewSort, cursor: &str) -> Result<ReviewPosition, AppError> {
    parse_position(sort.into(), &decode_cursor(cursor)?)
}

/// A page of a product's published reviews (the `Product.reviews` field).
pub async fn product_reviews(
    ctx: &Context<'_>,
    product_id: i64,
    first: Option<i32>,
    after: Option<String>,
    sort: ReviewSort,
    with_photos: bool,
) -> Result<Listing<PublicReviewGql>> {
    let app = ctx.app();
    let limit = page_size(first, app.config().graphql.max_page_size)?;
    let after = after
        .as_deref()
        .map(|c| parse_review_cursor(sort, c))
        .transpose()?;
    let reviews = app
        .reviews
        .of_product(product_id, sort.into(), with_photos, after, limit)
        .await?;
    let total = app
        .reviews
        .count_of_product(product_id, with_photos)
        .await?;
    let marked = match ctx.user() {
        Ok(user) if !reviews.is_empty() => {
            let ids: Vec<i64> = reviews.iter().map(|r| r.id).collect();
            app.reviews.marked_helpful(user.id, &ids).await?
        }
        _ => HashSet::new(),
    };
    let marked = Arc::new(marked);
    Ok(listing(
        reviews,
        limit,
        total,
        |r| review_cursor(sort, r),
        |r| PublicReviewGql::new(r, marked.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_cursor_only_continues_the_order_it_came_from() {
        let review = Review {
            id: 7,
            author_name: "A".into(),
            email: None,
            rating: 4,
            comment: "c".into(),
            status: crate::reviews::ReviewStatus::Approved,
            created_at: Utc::now(),
            moderated_at: None,
            product_id: Some(1),
            user_id: Some(2),
            title: None,
            helpful_count: 3,
            report_count: 0,
            flagged: false,
            updated_at: None,
            photos: Vec::new(),
            verified_purchase: false,
            report_reasons: Vec::new(),
        };
        let cursor = review_cursor(ReviewSort::Highest, &review);
        assert_eq!(
            parse_review_cursor(ReviewSort::Highest, &cursor).ok(),
            Some(ReviewPosition { value: 4, id: 7 })
        );
        assert!(parse_review_cursor(ReviewSort::MostHelpful, &cursor).is_err());
        assert!(parse_review_cursor(ReviewSort::Highest, "bm9wZQ").is_err());
        assert_eq!(
            parse_review_cursor(
                ReviewSort::Newest,
                &review_cursor(ReviewSort::Newest, &review)
            )
            .ok(),
            Some(ReviewPosition { value: 7, id: 7 })
        );
    }
}

//! Reviews: public submission and listing, admin moderation, and customers' product
//! reviews with their photos, "helpful" marks and reports.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Lookahead, Object, Result, Upload};
use chrono::{DateTime, Utc};

use super::catalog::{ProductGql, products_for};
use super::product_reviews::{PublicReviewGql, ReviewPhotoGql};
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{AdminOnly, SignedIn};
use crate::graphql::pagination::{Listing, id_cursor, id_page, listing};
use crate::graphql::scalars::parse_id;
use crate::reviews::products::ProductReviewInput as Submission;
use crate::reviews::{Review, ReviewFilter, ReviewStatus, ReviewSubmission};

/// Where a review stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReviewStatus", remote = "crate::reviews::ReviewStatus")]
pub enum ReviewStatusGql {
    /// Waiting for moderation.
    Pending,
    /// Published and counted in the statistics.
    Approved,
    /// Not published.
    Rejected,
}

/// A review as administrators (and a product review's author) see it.
pub struct ReviewGql(Review, Option<ProductGql>);

#[Object(name = "Review")]
impl ReviewGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn author_name(&self) -> &str {
        &self.0.author_name
    }
    /// The author's address, if given (never shown publicly).
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// 1 to 5.
    async fn rating(&self) -> i32 {
        self.0.rating
    }
    /// A product review's headline.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    async fn status(&self) -> ReviewStatusGql {
        self.0.status.into()
    }
    /// The product reviewed; null for a review of the business.
    async fn product(&self) -> Option<&ProductGql> {
        self.1.as_ref()
    }
    /// Up to 3, in the author's order.
    async fn photos(&self) -> Vec<ReviewPhotoGql> {
        self.0.photos.iter().cloned().map(Into::into).collect()
    }
    /// The author received the product in a delivered order.
    async fn verified_purchase(&self) -> bool {
        self.0.verified_purchase
    }
    /// How many customers found it helpful.
    async fn helpful_count(&self) -> i32 {
        self.0.helpful_count
    }
    /// How many customers reported it (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn report_count(&self) -> i32 {
        self.0.report_count
    }
    /// Reported since it was last moderated (moderating it clears the flag; administrators).
    #[graphql(guard = "AdminOnly")]
    async fn flagged(&self) -> bool {
        self.0.flagged
    }
    /// What the reports said, oldest first (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn report_reasons(&self) -> &[String] {
        &self.0.report_reasons
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn moderated_at(&self) -> Option<DateTime<Utc>> {
        self.0.moderated_at
    }
    /// When the author last rewrote it.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
}

/// Reviews answered as one field, with their products fetched together when `node`
/// (the selection of each review) asks for them.
async fn with_products(
    ctx: &Context<'_>,
    node: Lookahead<'_>,
    reviews: Vec<Review>,
) -> Result<Vec<ReviewGql>> {
    let selection = node.field("product");
    if !selection.exists() {
        return Ok(reviews.into_iter().map(|r| ReviewGql(r, None)).collect());
    }
    let ids: Vec<i64> = reviews
        .iter()
        .filter_map(|r| r.product_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products = ctx.app().catalog.products_by_ids(&ids).await?;
    let found_ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let found: HashMap<i64, ProductGql> = found_ids
        .into_iter()
        .zip(products_for(ctx, &[selection], products).await?)
        .collect();
    Ok(reviews
        .into_iter()
        .map(|r| {
            let product = r.product_id.and_then(|id| found.get(&id).cloned());
            ReviewGql(r, product)
        })
        .collect())
}

async fn one_with_product(ctx: &Context<'_>, review: Review) -> Result<ReviewGql> {
    let mut found = with_products(ctx, ctx.look_ahead(), vec![review]).await?;
    found
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the review went missing")).into())
}

/// A visitor's review.
#[derive(InputObject)]
pub struct ReviewInput {
    /// Up to 100 characters.
    author_name: String,
    /// Optional; never published.
    email: Option<String>,
    /// 1 to 5.
    rating: i32,
    /// Up to 2000 characters.
    comment: String,
}

/// A customer's review of a product.
#[derive(InputObject)]
pub struct ProductReviewInput {
    /// 1 to 5.
    rating: i32,
    /// Up to 120 characters.
    title: Option<String>,
    /// Up to 2000 characters.
    comment: String,
    /// Up to 3 of the customer's own photos (`uploadReviewPhoto`), in order.
    #[graphql(default)]
    photo_ids: Vec<ID>,
}

/// Listing reviews.
#[derive(Default)]
pub struct ReviewsQuery;

#[Object]
impl ReviewsQuery {
    /// Reviews of any (or one) status, newest first; `flagged: true` lists the reported
    /// ones (the dashboard shows them first).
    #[graphql(
        guard = "AdminOnly",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        status: Option<ReviewStatusGql>,
        flagged: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ReviewGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let filter = ReviewFilter {
            status: status.map(Into::into),
            flagged,
        };
        let (rows, total) = app.reviews.list(filter, page).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        let reviews = with_products(ctx, node, rows).await?;
        Ok(listing(
            reviews,
            page.limit,
            total,
            |r| id_cursor(r.0.id),
            |r| r,
        ))
    }

    /// Published reviews, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn public_reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<PublicReviewGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let filter = ReviewFilter {
            status: Some(ReviewStatus::Approved),
            flagged: None,
        };
        let (rows, total) = app.reviews.list(filter, page).await?;
        let marked = Arc::new(HashSet::new());
        Ok(listing(
            rows,
            page.limit,
            total,
            |r| id_cursor(r.id),
            |r| PublicReviewGql::new(r, marked.clone()),
        ))
    }

    /// The signed-in customer's review of a product, whatever its status.
    #[graphql(guard = "SignedIn")]
    async fn my_product_review(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
    ) -> Result<Option<ReviewGql>> {
        let id = parse_id(&product_id)?;
        let user = ctx.user()?;
        match ctx
            .app()
            .reviews
            .own_reviews(user.id, &[id])
            .await?
            .remove(&id)
        {
            Some(review) => Ok(Some(one_with_product(ctx, review).await?)),
            None => Ok(None),
        }
    }
}

/// Submitting and moderating reviews.
#[derive(Default)]
pub struct ReviewsMutation;

#[Object]
impl ReviewsMutation {
    /// Submits a review (pending moderation unless auto-approval is on).
    async fn submit_review(&self, ctx: &Context<'_>, input: ReviewInput) -> Result<ReviewGql> {
        let submission = ReviewSubmission {
            author_name: input.author_name,
            email: input.email,
            rating: input.rating,
            comment: input.comment,
        };
        Ok(ReviewGql(
            ctx.app()
                .reviews
                .submit(submission, ctx.request().client_ip)
                .await?,
            None,
        ))
    }

    /// Reviews a product as the signed-in customer (with a confirmed e-mail address):
    /// one review per product, so a second submission rewrites the first and sends it
    /// to moderation again (unless reviews are approved at once).
    #[graphql(guard = "SignedIn")]
    async fn submit_product_review(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        input: ProductReviewInput,
    ) -> Result<ReviewGql> {
        let product_id = parse_id(&product_id)?;
        let photo_ids = input
            .photo_ids
            .iter()
            .map(parse_id)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::invalid("input.photoIds", "That is not a valid id."))?;
        let submission = Submission {
            rating: input.rating,
            title: input.title,
            comment: input.comment,
            photo_ids,
        };
        let review = ctx
            .app()
            .reviews
            .submit_product_review(ctx.user()?, product_id, submission)
            .await
            .map_err(|e| e.under("input"))?;
        one_with_product(ctx, review).await
    }

    /// Uploads a photo for the signed-in customer's review: JPEG, PNG or WebP up to
    /// 5 MiB, stored as an upright JPEG without metadata; 10 a day. It shows once
    /// `submitProductReview` lists it, and goes after a day if no review does.
    #[graphql(guard = "SignedIn")]
    async fn upload_review_photo(&self, ctx: &Context<'_>, file: Upload) -> Result<ReviewPhotoGql> {
        let upload = file.value(ctx).map_err(AppError::internal)?;
        let photo = ctx
            .app()
            .reviews
            .upload_photo(ctx.user()?, upload.content)
            .await?;
        Ok(photo.into())
    }

    /// Marks a published product review helpful (once per customer; not one's own).
    #[graphql(guard = "SignedIn")]
    async fn mark_review_helpful(
        &self,
        ctx: &Context<'_>,
        review_id: ID,
    ) -> Result<PublicReviewGql> {
        let user = ctx.user()?;
        let review = ctx
            .app()
            .reviews
            .mark_helpful(user, parse_id(&review_id)?)
            .await?;
        let marked = Arc::new(HashSet::from([review.id]));
        Ok(PublicReviewGql::new(review, marked))
    }

    /// Reports a published product review to the administrators (once per customer);
    /// `reason` is up to 500 characters.
    #[graphql(guard = "SignedIn")]
    async fn report_review(
        &self,
        ctx: &Context<'_>,
        review_id: ID,
        reason: String,
    ) -> Result<bool> {
        let user = ctx.user()?;
        ctx.app()
            .reviews
            .report(user, parse_id(&review_id)?, &reason)
            .await?;
        Ok(true)
    }

    /// Publishes a review; it counts in the statistics. Clears its reports.
    #[graphql(guard = "AdminOnly")]
    async fn approve_review(&self, ctx: &Context<'_>, id: ID) -> Result<ReviewGql> {
        let review = ctx.app().reviews.approve(parse_id(&id)?).await?;
        one_with_product(ctx, review).await
    }

    /// Hides a review; if it was approved, the statistics drop it. Clears its reports.
    #[graphql(guard = "AdminOnly")]
    async fn reject_review(&self, ctx: &Context<'_>, id: ID) -> Result<ReviewGql> {
        let review = ctx.app().reviews.reject(parse_id(&id)?).await?;
        one_with_product(ctx, review).await
    }

    /// Deletes a review with its photos; if it was approved, the statistics drop it.
    #[graphql(guard = "AdminOnly")]
    async fn delete_review(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        ctx.app().reviews.delete(parse_id(&id)?).await?;
        Ok(true)
    }
}

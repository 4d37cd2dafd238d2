//! Reviews: public submission and listing, admin moderation.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::pagination::{Listing, id_cursor, id_page, listing};
use crate::graphql::scalars::parse_id;
use crate::reviews::{Review, ReviewStatus, ReviewSubmission};

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

/// A review as administrators see it.
pub struct ReviewGql(Review);

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
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    async fn status(&self) -> ReviewStatusGql {
        self.0.status.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn moderated_at(&self) -> Option<DateTime<Utc>> {
        self.0.moderated_at
    }
}

/// A published review as visitors see it (no e-mail address).
pub struct PublicReviewGql(Review);

#[Object(name = "PublicReview")]
impl PublicReviewGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn author_name(&self) -> &str {
        &self.0.author_name
    }
    /// 1 to 5.
    async fn rating(&self) -> i32 {
        self.0.rating
    }
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
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

/// Listing reviews.
#[derive(Default)]
pub struct ReviewsQuery;

#[Object]
impl ReviewsQuery {
    /// Reviews of any (or one) status, newest first.
    #[graphql(
        guard = "AdminOnly",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        status: Option<ReviewStatusGql>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ReviewGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (rows, total) = app.reviews.list(status.map(Into::into), page).await?;
        Ok(listing(
            rows,
            page.limit,
            total,
            |r| id_cursor(r.id),
            ReviewGql,
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
        let (rows, total) = app.reviews.list(Some(ReviewStatus::Approved), page).await?;
        Ok(listing(
            rows,
            page.limit,
            total,
            |r| id_cursor(r.id),
            PublicReviewGql,
        ))
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
        ))
    }

    /// Publishes a review; it counts in the statistics.
    #[graphql(guard = "AdminOnly")]
    async fn approve_review(&self, ctx: &Context<'_>, id: ID) -> Result<ReviewGql> {
        Ok(ReviewGql(ctx.app().reviews.approve(parse_id(&id)?).await?))
    }

    /// Hides a review; if it was approved, the statistics drop it.
    #[graphql(guard = "AdminOnly")]
    async fn reject_review(&self, ctx: &Context<'_>, id: ID) -> Result<ReviewGql> {
        Ok(ReviewGql(ctx.app().reviews.reject(parse_id(&id)?).await?))
    }

    /// Deletes a review; if it was approved, the statistics drop it.
    #[graphql(guard = "AdminOnly")]
    async fn delete_review(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        ctx.app().reviews.delete(parse_id(&id)?).await?;
        Ok(true)
    }
}

//! Statistics: the public numbers (also live), their settings, and visits.

use async_graphql::{Context, InputObject, Object, Result, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::WatchStream;

use crate::db::stats::SettingsChanges;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::stats::{StatSettings, Stats};

/// The numbers shown in the site's "About us" section.
pub struct StatsGql(pub Stats);

#[Object(name = "Stats")]
impl StatsGql {
    /// The base plus approved reviews and counted visits (each when enabled).
    async fn completed_jobs(&self) -> i64 {
        self.0.completed_jobs
    }
    /// The base plus approved reviews rated at least the happy threshold.
    async fn happy_customers(&self) -> i64 {
        self.0.happy_customers
    }
    /// Mean rating of approved reviews (0 with none), two decimals.
    async fn average_rating(&self) -> f64 {
        self.0.average_rating
    }
    /// averageRating / 5 × 100, one decimal.
    async fn satisfaction_percent(&self) -> f64 {
        self.0.satisfaction_percent
    }
    /// The current year in Istanbul minus the founding year.
    async fn years_of_experience(&self) -> i32 {
        self.0.years_of_experience
    }
    /// The base plus contact messages received.
    async fn contact_messages(&self) -> i64 {
        self.0.contact_messages
    }
    /// Approved reviews.
    async fn review_count(&self) -> i64 {
        self.0.review_count
    }
    /// Counted visits (one per visitor per day).
    async fn visit_count(&self) -> i64 {
        self.0.visit_count
    }
    /// When the numbers last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// How the statistics are made.
pub struct StatSettingsGql(StatSettings);

#[Object(name = "StatSettings")]
impl StatSettingsGql {
    async fn completed_jobs_base(&self) -> i64 {
        self.0.completed_jobs_base
    }
    async fn happy_customers_base(&self) -> i64 {
        self.0.happy_customers_base
    }
    async fn contact_messages_base(&self) -> i64 {
        self.0.contact_messages_base
    }
    async fn founded_year(&self) -> i32 {
        self.0.founded_year
    }
    /// The lowest rating that counts as a happy customer (1–5).
    async fn happy_threshold(&self) -> i32 {
        self.0.happy_threshold
    }
    /// Whether submitted reviews are published without moderation.
    async fn auto_approve_reviews(&self) -> bool {
        self.0.auto_approve_reviews
    }
    /// Whether approved reviews count as completed jobs.
    async fn count_reviews_as_jobs(&self) -> bool {
        self.0.count_reviews_as_jobs
    }
    /// Whether counted visits count as completed jobs.
    async fn count_visits_as_jobs(&self) -> bool {
        self.0.count_visits_as_jobs
    }
}

/// Settings to change; omitted fields stay as they are.
#[derive(InputObject)]
pub struct StatSettingsInput {
    completed_jobs_base: Option<i64>,
    happy_customers_base: Option<i64>,
    contact_messages_base: Option<i64>,
    founded_year: Option<i32>,
    happy_threshold: Option<i32>,
    auto_approve_reviews: Option<bool>,
    count_reviews_as_jobs: Option<bool>,
    count_visits_as_jobs: Option<bool>,
}

/// Reading the statistics.
#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// The public numbers (served from memory).
    async fn stats(&self, ctx: &Context<'_>) -> Result<StatsGql> {
        let app = ctx.app();
        Ok(StatsGql((*app.stats.current().await?).clone()))
    }

    /// The settings behind the numbers.
    #[graphql(guard = "AdminOnly")]
    async fn stat_settings(&self, ctx: &Context<'_>) -> Result<StatSettingsGql> {
        Ok(StatSettingsGql(ctx.app().stats.settings().await?))
    }
}

/// Changing the statistics.
#[derive(Default)]
pub struct StatsMutation;

#[Object]
impl StatsMutation {
    /// Counts a page view: once per visitor per calendar day (Europe/Istanbul). True
    /// when this call counted.
    async fn record_visit(&self, ctx: &Context<'_>, visitor_id: String) -> Result<bool> {
        Ok(ctx
            .app()
            .stats
            .record_visit(&visitor_id, ctx.request().client_ip)
            .await?)
    }

    /// Changes the settings.
    #[graphql(guard = "AdminOnly")]
    async fn update_stat_settings(
        &self,
        ctx: &Context<'_>,
        input: StatSettingsInput,
    ) -> Result<StatSettingsGql> {
        let changes = SettingsChanges {
            completed_jobs_base: input.completed_jobs_base,
            happy_customers_base: input.happy_customers_base,
            contact_messages_base: input.contact_messages_base,
            founded_year: input.founded_year,
            happy_threshold: input.happy_threshold,
            auto_approve_reviews: input.auto_approve_reviews,
            count_reviews_as_jobs: input.count_reviews_as_jobs,
            count_visits_as_jobs: input.count_visits_as_jobs,
            updated_at: None,
        };
        Ok(StatSettingsGql(
            ctx.app().stats.update_settings(changes).await?,
        ))
    }

    /// Rebuilds every counter from the reviews, visits and messages themselves.
    #[graphql(guard = "AdminOnly")]
    async fn recompute_stats(&self, ctx: &Context<'_>) -> Result<StatsGql> {
        Ok(StatsGql(ctx.app().stats.recompute().await?))
    }
}

/// Live statistics.
#[derive(Default)]
pub struct StatsSubscription;

#[Subscription]
impl StatsSubscription {
    /// The numbers now, then again after every change (bursts coalesced).
    async fn stats_updated(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = StatsGql> + use<>> {
        let app = ctx.app().clone();
        let updates = app.stats.subscribe();
        let first = app.stats.current().await?;
        let later = WatchStream::from_changes(updates).filter_map(|stats| async move { stats });
        Ok(futures_util::stream::once(async move { first })
            .chain(later)
            .map(|stats| StatsGql((*stats).clone())))
    }
}

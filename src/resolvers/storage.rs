//! Storage usage: our exact figures and the provider's own.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::WatchStream;

use crate::graphql::context::{ContextExt, SocketSession, still_admin};
use crate::graphql::guards::AdminOnly;
use crate::graphql::scalars::BigInt;
use crate::media::usage::{KindUsage, StorageUsage};

/// Where media files are kept.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "StorageProvider", remote = "crate::media::store::Provider")]
pub enum StorageProviderGql {
    /// A folder on this server.
    Local,
    Cloudinary,
}

/// Count and bytes (originals plus variants) of one kind of media.
#[derive(SimpleObject)]
pub struct UsageBreakdown {
    count: i64,
    bytes: BigInt,
}

impl From<KindUsage> for UsageBreakdown {
    fn from(usage: KindUsage) -> Self {
        UsageBreakdown {
            count: usage.count,
            bytes: BigInt(usage.bytes),
        }
    }
}

/// The provider's own account figures.
#[derive(SimpleObject)]
#[graphql(name = "ProviderUsage")]
pub struct ProviderUsageGql {
    plan: Option<String>,
    /// Everything the provider stores for the account (derived files and backups too).
    storage_bytes: BigInt,
    credits_used: f64,
    credits_limit: Option<f64>,
    credits_used_percent: Option<f64>,
    /// When the provider last refreshed its figures (its own date).
    last_updated: Option<String>,
    /// When we fetched them.
    fetched_at: DateTime<Utc>,
    /// Seconds since we fetched them.
    age_seconds: i64,
    /// True when the provider is failing and these are the last known figures.
    stale: bool,
}

/// What the storage bar shows.
pub struct StorageUsageGql(StorageUsage);

#[Object(name = "StorageUsage")]
impl StorageUsageGql {
    /// Exact bytes of every stored original and variant, from our own records.
    async fn used_bytes(&self) -> BigInt {
        BigInt(self.0.used_bytes)
    }
    /// The configured budget (`VITRIN_STORAGE_LIMIT`).
    async fn limit_bytes(&self) -> BigInt {
        BigInt(self.0.limit_bytes)
    }
    /// usedBytes / limitBytes × 100, one decimal.
    async fn percent(&self) -> f64 {
        self.0.percent
    }
    async fn images(&self) -> UsageBreakdown {
        self.0.images.into()
    }
    async fn videos(&self) -> UsageBreakdown {
        self.0.videos.into()
    }
    async fn provider(&self) -> StorageProviderGql {
        self.0.provider.into()
    }
    /// The provider's figures (Cloudinary only; cached).
    async fn provider_usage(&self, ctx: &Context<'_>) -> Option<ProviderUsageGql> {
        let now = ctx.app().services.clock.now();
        self.0.provider_usage.as_ref().map(|p| ProviderUsageGql {
            plan: p.account.plan.clone(),
            storage_bytes: BigInt(p.account.storage_bytes),
            credits_used: p.account.credits_used,
            credits_limit: p.account.credits_limit,
            credits_used_percent: p.account.credits_used_percent,
            last_updated: p.account.last_updated.clone(),
            fetched_at: p.fetched_at,
            age_seconds: (now - p.fetched_at).num_seconds().max(0),
            stale: p.stale,
        })
    }
}

/// Reading storage usage.
#[derive(Default)]
pub struct StorageQuery;

#[Object]
impl StorageQuery {
    /// The storage figures now.
    #[graphql(guard = "AdminOnly")]
    async fn storage_usage(&self, ctx: &Context<'_>) -> Result<StorageUsageGql> {
        Ok(StorageUsageGql(ctx.app().media.usage().await?))
    }
}

/// Live storage usage.
#[derive(Default)]
pub struct StorageSubscription;

#[Subscription]
impl StorageSubscription {
    /// The figures now, then after every upload, crop and delete.
    #[graphql(guard = "AdminOnly")]
    async fn storage_usage_changed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = StorageUsageGql> + use<>> {
        let app = ctx.app().clone();
        let session = ctx.data_opt::<SocketSession>().cloned();
        let updates = app.media.subscribe_usage();
        let first = app.media.usage().await?;
        let later = WatchStream::from_changes(updates).filter_map(|figures| async move { figures });
        // Admin figures stop flowing when the socket's session ends (sign-out, expiry).
        let later = later.take_while(move |_| {
            let (app, session) = (app.clone(), session.clone());
            async move { still_admin(&app, session.as_ref()).await }
        });
        Ok(futures_util::stream::once(async move { first })
            .chain(later.map(|figures| (*figures).clone()))
            .map(StorageUsageGql))
    }
}

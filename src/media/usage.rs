//! Storage usage: our exact byte ledger (originals plus stored variants), the
//! provider's own account figures (cached, one upstream call per expiry however many
//! ask, the last known figures served with their age when the provider fails), and
//! live pushes after every change.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::store::{AccountUsage, Provider};
use super::{MediaKind, MediaLibrary, STORAGE_TOPIC};
use crate::db::media as rows;
use crate::error::AppResult;

/// Count and bytes of one kind of media.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindUsage {
    pub count: i64,
    pub bytes: i64,
}

/// The provider's figures and how fresh they are.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderUsage {
    pub account: AccountUsage,
    pub fetched_at: DateTime<Utc>,
    /// True when the provider failed and these are the last known figures.
    pub stale: bool,
}

/// Everything the storage bar shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageUsage {
    pub used_bytes: i64,
    pub limit_bytes: i64,
    pub percent: f64,
    pub images: KindUsage,
    pub videos: KindUsage,
    pub provider: Provider,
    pub provider_usage: Option<ProviderUsage>,
}

type Fetched = Arc<(AccountUsage, DateTime<Utc>)>;

/// The provider figures cache and the push channel for storage usage.
pub struct StorageHub {
    account: moka::future::Cache<(), Fetched>,
    last_known: Mutex<Option<Fetched>>,
    /// When the provider last failed: for a while after, the last known figures are
    /// served without asking again (each ask waits through the whole retry chain).
    last_failure: Mutex<Option<std::time::Instant>>,
    updates: watch::Sender<Option<Arc<StorageUsage>>>,
}

/// How long a provider failure is remembered.
const FAILURE_MEMORY: std::time::Duration = std::time::Duration::from_secs(30);

impl StorageHub {
    /// A hub caching provider figures for `ttl`.
    pub fn new(ttl: std::time::Duration) -> Self {
        StorageHub {
            account: moka::future::Cache::builder()
                .max_capacity(1)
                .time_to_live(ttl)
                .build(),
            last_known: Mutex::new(None),
            last_failure: Mutex::new(None),
            updates: watch::Sender::new(None),
        }
    }
}

/// Pushes new figures after every change until the instance stops: one computation at a
/// time, so an older result never overwrites a newer one; changes during a computation
/// are picked up by the next. Figures equal to the last pushed are not pushed again.
pub(super) fn spawn_pusher(library: MediaLibrary) {
    let mut changes = library.svc.events.subscribe(STORAGE_TOPIC);
    let stopping = library.svc.stopping.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { break },
                () = stopping.cancelled() => break,
            }
            changes.borrow_and_update();
            // Until it works: the bar must not keep old figures after a failure.
            loop {
                match library.usage().await {
                    Ok(figures) => {
                        library.storage.updates.send_if_modified(|last| {
                            let modified = last.as_deref() != Some(&figures);
                            if modified {
                                *last = Some(Arc::new(figures));
                            }
                            modified
                        });
                        break;
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, "computing storage usage failed; trying again shortly");
                        tokio::select! {
                            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                            () = stopping.cancelled() => return,
                        }
                    }
                }
            }
        }
    });
}

impl MediaLibrary {
    /// A receiver of every pushed figure.
    pub fn subscribe_usage(&self) -> watch::Receiver<Option<Arc<StorageUsage>>> {
        self.storage.updates.subscribe()
    }

    /// The provider's figures: cached; concurrent misses make one upstream call; on failure
    /// the last known figures, marked stale.
    pub async fn provider_usage(&self) -> Option<ProviderUsage> {
        if self.store.provider() == Provider::Local {
            return None;
        }
        let hub = &self.storage;
        let last_known = || {
            let last = hub
                .last_known
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            last.map(|fetched| ProviderUsage {
                account: fetched.0.clone(),
                fetched_at: fetched.1,
                stale: true,
            })
        };
        let failed_recently = hub
            .last_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|at| at.elapsed() < FAILURE_MEMORY);
        if failed_recently && self.storage.account.get(&()).await.is_none() {
            return last_known();
        }
        let fetched = hub
            .account
            .try_get_with((), async {
                match self.store.account_usage().await {
                    Ok(Some(account)) => Ok(Arc::new((account, self.svc.clock.now()))),
                    Ok(None) => Err("the provider reports no usage".to_owned()),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await;
        match fetched {
            Ok(fetched) => {
                *hub.last_known.lock().unwrap_or_else(|e| e.into_inner()) = Some(fetched.clone());
                Some(ProviderUsage {
                    account: fetched.0.clone(),
                    fetched_at: fetched.1,
                    stale: false,
                })
            }
            Err(e) => {
                tracing::warn!(error = %e, "the provider's usage figures are unavailable; serving the last known");
                *hub.last_failure.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(std::time::Instant::now());
                last_known()
            }
        }
    }

    /// The plan's upload limits, when the provider's figures are already known (never
    /// waits for the provider).
    pub async fn account_limits(&self) -> AccountLimits {
        let known = self.storage.account.get(&()).await.or_else(|| {
            self.storage
                .last_known
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        });
        known.map_or_else(AccountLimits::default, |fetched| AccountLimits {
            image_max_bytes: fetched.0.image_max_bytes,
            video_max_bytes: fetched.0.video_max_bytes,
        })
    }

    /// The storage figures now.
    pub async fn usage(&self) -> AppResult<StorageUsage> {
        let by_kind = rows::usage_by_kind(&mut self.svc.db.read().await?.conn()).await?;
        let mut images = KindUsage::default();
        let mut videos = KindUsage::default();
        for row in by_kind {
            let usage = KindUsage {
                count: row.items,
                bytes: row.original_bytes + row.variant_bytes,
            };
            match row.kind {
                MediaKind::Video => videos = usage,
                MediaKind::Image => images = usage,
            }
        }
        let used_bytes = images.bytes + videos.bytes;
        let limit_bytes = i64::try_from(self.settings.storage_limit).unwrap_or(i64::MAX);
        let percent = if limit_bytes > 0 {
            ((used_bytes as f64 / limit_bytes as f64) * 1000.0).round() / 10.0
        } else {
            0.0
        };
        Ok(StorageUsage {
            used_bytes,
            limit_bytes,
            percent,
            images,
            videos,
            provider: self.store.provider(),
            provider_usage: self.provider_usage().await,
        })
    }
}

/// Upload limits of the provider's plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountLimits {
    pub image_max_bytes: Option<u64>,
    pub video_max_bytes: Option<u64>,
}

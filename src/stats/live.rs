//! The numbers in memory: served without touching the database, invalidated on change,
//! and pushed to subscribers at most a few times a second. A new year in Istanbul
//! invalidates them by itself.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::{Stats, istanbul_year};
use crate::app::App;
use crate::error::AppResult;

/// The shortest time between two pushes to subscribers.
const MIN_PUSH_INTERVAL: Duration = Duration::from_millis(250);
/// How often the calendar is checked for a new year.
const CALENDAR_TICK: Duration = Duration::from_secs(1);

struct Cached {
    stats: Option<Arc<Stats>>,
    /// The Istanbul year the cached numbers were computed in.
    year: i32,
    generation: u64,
}

/// The cache and the push channel for the statistics.
pub struct StatsHub {
    cache: Mutex<Cached>,
    updates: watch::Sender<Option<Arc<Stats>>>,
    changed: Notify,
}

impl Default for StatsHub {
    fn default() -> Self {
        StatsHub {
            cache: Mutex::new(Cached {
                stats: None,
                year: 0,
                generation: 0,
            }),
            updates: watch::Sender::new(None),
            changed: Notify::new(),
        }
    }
}

impl StatsHub {
    fn lock(&self) -> std::sync::MutexGuard<'_, Cached> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current numbers: from memory, or computed once after a change.
    pub async fn current(&self, app: &App) -> AppResult<Arc<Stats>> {
        let generation = {
            let cached = self.lock();
            if let Some(stats) = &cached.stats {
                return Ok(stats.clone());
            }
            cached.generation
        };
        let stats = Arc::new(super::load(app).await?);
        let mut cached = self.lock();
        // A change that landed while we were reading makes this result stale: serve it
        // to this caller, but keep the cache empty for the next one.
        if cached.generation == generation {
            cached.stats = Some(stats.clone());
            cached.year = istanbul_year(app.clock.now());
        }
        Ok(stats)
    }

    /// Forgets the cached numbers and schedules a push to subscribers.
    pub fn invalidate(&self) {
        {
            let mut cached = self.lock();
            cached.stats = None;
            cached.generation += 1;
        }
        self.changed.notify_one();
    }

    /// Changes each time the numbers are invalidated: answers computed under an older
    /// generation are out of date.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// A receiver of every pushed value (the latest one only, when a reader lags).
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<Stats>>> {
        self.updates.subscribe()
    }

    /// How many subscribers are listening.
    pub fn subscriber_count(&self) -> usize {
        self.updates.receiver_count()
    }

    /// Whether the cached numbers were computed in an earlier Istanbul year.
    fn year_turned(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        let cached = self.lock();
        cached.stats.is_some() && cached.year != istanbul_year(now)
    }

    /// Recomputes and pushes the numbers if they changed.
    async fn push(&self, app: &App) {
        match self.current(app).await {
            Ok(stats) => {
                self.updates.send_if_modified(|current| {
                    let differs = current.as_deref() != Some(&*stats);
                    if differs {
                        *current = Some(stats);
                    }
                    differs
                });
            }
            Err(e) => tracing::error!(error = ?e, "refreshing the statistics failed"),
        }
    }

    /// Runs the pusher for as long as the application lives.
    pub fn spawn_pusher(app: Weak<App>) {
        tokio::spawn(async move {
            while let Some(app) = app.upgrade() {
                let changed = tokio::select! {
                    _ = app.stats.changed.notified() => true,
                    _ = tokio::time::sleep(CALENDAR_TICK) => false,
                };
                if !changed && app.stats.year_turned(app.clock.now()) {
                    tracing::info!("a new year began in Istanbul; refreshing the statistics");
                    app.stats.invalidate();
                    continue;
                }
                if changed {
                    // The first change of a burst goes out at once; changes during the
                    // pause leave a wake-up behind and go out together after it.
                    app.stats.push(&app).await;
                    drop(app);
                    tokio::time::sleep(MIN_PUSH_INTERVAL).await;
                }
            }
        });
    }
}

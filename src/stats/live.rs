//! The numbers in memory: computed once per change (the [`TOPIC`] generation is the
//! cache key, so any instance's change is seen) and pushed to subscribers at most a few
//! times a second. A new year in Istanbul invalidates them by itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use super::{Statistics, Stats, TOPIC, istanbul_year};
use crate::error::AppResult;

/// The shortest time between two pushes to subscribers.
const MIN_PUSH_INTERVAL: Duration = Duration::from_millis(250);
/// The wait before computing again after a failure.
const RETRY_INTERVAL: Duration = Duration::from_secs(1);
/// How often the calendar is checked for a new year.
const CALENDAR_TICK: Duration = Duration::from_secs(1);

/// Numbers computed under one generation of [`TOPIC`] in one Istanbul year.
struct Cached {
    generation: u64,
    year: i32,
    stats: Arc<Stats>,
}

/// The cache and the push channel of the statistics.
pub struct StatsHub {
    cache: Mutex<Option<Cached>>,
    updates: watch::Sender<Option<Arc<Stats>>>,
}

impl StatsHub {
    pub(super) fn new() -> Self {
        StatsHub {
            cache: Mutex::new(None),
            updates: watch::Sender::new(None),
        }
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Statistics {
    /// The current numbers: from memory, or computed once after a change.
    pub async fn current(&self) -> AppResult<Arc<Stats>> {
        let generation = self.generation();
        let year = istanbul_year(self.svc.clock.now());
        if let Some(cached) = &*self.hub.cached()
            && cached.generation == generation
            && cached.year == year
        {
            return Ok(cached.stats.clone());
        }
        let stats = Arc::new(self.load().await?);
        // A change that landed while we were reading makes this result stale: serve it
        // to this caller, but do not keep it for the next one.
        if self.generation() == generation {
            *self.hub.cached() = Some(Cached {
                generation,
                year,
                stats: stats.clone(),
            });
        }
        Ok(stats)
    }

    /// Moves with every change of the numbers: anything computed under an older
    /// generation is out of date.
    pub fn generation(&self) -> u64 {
        self.svc.events.generation(TOPIC)
    }

    /// A receiver of every pushed value (the latest one only, when a reader lags).
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<Stats>>> {
        self.hub.updates.subscribe()
    }

    /// How many subscribers are listening.
    pub fn subscriber_count(&self) -> usize {
        self.hub.updates.receiver_count()
    }

    /// Recomputes and pushes the numbers if they changed; false when they could not be
    /// computed.
    async fn push(&self) -> bool {
        match self.current().await {
            Ok(stats) => {
                self.hub.updates.send_if_modified(|current| {
                    let differs = current.as_deref() != Some(&*stats);
                    if differs {
                        *current = Some(stats);
                    }
                    differs
                });
                true
            }
            Err(e) => {
                tracing::error!(error = ?e, "refreshing the statistics failed; trying again shortly");
                false
            }
        }
    }
}

/// Pushes new numbers to subscribers until the instance stops: the first change of a
/// burst goes out at once, changes during the pause after it go out together.
pub(super) fn spawn_pusher(statistics: Statistics) {
    let mut changes = statistics.svc.events.subscribe(TOPIC);
    let stopping = statistics.svc.stopping.clone();
    tokio::spawn(async move {
        let mut pushed_year = istanbul_year(statistics.svc.clock.now());
        loop {
            tokio::select! {
                changed = changes.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    changes.borrow_and_update();
                    // Until it works: subscribers must not keep old numbers after a
                    // failure (a database that was briefly away).
                    while !statistics.push().await {
                        tokio::select! {
                            () = tokio::time::sleep(RETRY_INTERVAL) => {}
                            () = stopping.cancelled() => return,
                        }
                    }
                    tokio::select! {
                        () = tokio::time::sleep(MIN_PUSH_INTERVAL) => {}
                        () = stopping.cancelled() => break,
                    }
                }
                () = tokio::time::sleep(CALENDAR_TICK) => {
                    let year = istanbul_year(statistics.svc.clock.now());
                    if year != pushed_year {
                        pushed_year = year;
                        tracing::info!("a new year began in Istanbul; refreshing the statistics");
                        statistics.svc.events.publish(TOPIC);
                    }
                }
                () = stopping.cancelled() => break,
            }
        }
    });
}

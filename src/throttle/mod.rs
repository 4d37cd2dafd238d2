//! Sliding-window rate limiting for abusable operations (sign-in, reset, public forms,
//! visits). On PostgreSQL the events are counted in the database, so every instance
//! behind a load balancer sees the same counts and a restart forgets nothing; each
//! decision is one round trip. On SQLite (one instance by design) they are counted in
//! memory.

mod memory;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::db::{Conn, Db, DbError, throttle as rows};
use crate::error::AppResult;
use crate::networks::{BLOCK_SHARE, client_block, client_network};

use self::memory::Memory;

/// The longest window any caller uses; older events are forgotten.
const MAX_WINDOW_MS: i64 = 3600 * 1000;

/// The key counting `scope` events of one client address.
pub fn client_key(scope: &str, client: IpAddr) -> String {
    format!("{scope}:{}", client_network(client))
}

/// The key counting `scope` events of one client's block of networks.
pub fn block_key(scope: &str, client: IpAddr) -> String {
    format!("{scope}-block:{}", client_block(client))
}

/// The limits of a public write path (reviews, contact messages): per client network,
/// per block of networks, and for everyone together.
#[derive(Debug, Clone, Copy)]
pub struct PublicLimits {
    pub per_network: Limit,
    pub per_block: Limit,
    pub total: Limit,
}

/// The RATE_LIMITED answer, with the wait in whole minutes for people and in seconds
/// (`extensions.retryAfter`) for programs.
pub fn too_many_attempts(retry_after: Duration) -> crate::error::AppError {
    let secs = retry_after.as_secs().max(1);
    let minutes = secs.div_ceil(60);
    crate::error::AppError::rate_limited(
        format!("Too many attempts. Try again in {minutes} minute(s)."),
        secs,
    )
}

/// A limit: at most `max` events per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: usize,
    pub window: Duration,
}

impl Limit {
    /// `max` events per `window`.
    pub const fn per(max: usize, window: Duration) -> Self {
        Limit { max, window }
    }

    /// The same limit for a block of networks: [`BLOCK_SHARE`] times as many events.
    pub const fn for_block(self) -> Self {
        Limit::per(self.max.saturating_mul(BLOCK_SHARE), self.window)
    }

    /// No limit: the event is only counted (for decisions that read the count).
    pub const UNLIMITED: Limit = Limit::per(usize::MAX, Duration::from_secs(3600));

    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis())
            .unwrap_or(MAX_WINDOW_MS)
            .min(MAX_WINDOW_MS)
    }
}

/// Counts events per key over sliding windows, in memory or in the database.
pub struct Throttle {
    clock: Arc<dyn Clock>,
    store: Store,
}

enum Store {
    Memory(Memory),
    Shared(Db),
}

impl Throttle {
    /// Events in this instance's memory.
    pub fn in_memory(clock: Arc<dyn Clock>) -> Self {
        Throttle {
            clock,
            store: Store::Memory(Memory::default()),
        }
    }

    /// Events in `db` when it is PostgreSQL (shared by its instances), else in memory.
    pub fn for_db(db: &Db, clock: Arc<dyn Clock>) -> Self {
        match db.backend() {
            crate::db::Backend::Postgres => Throttle {
                clock,
                store: Store::Shared(db.clone()),
            },
            crate::db::Backend::Sqlite => Throttle::in_memory(clock),
        }
    }

    /// Records an event for `key` if it stays within `limit`; otherwise `Err(retry_after)`.
    pub async fn hit(&self, key: &str, limit: Limit) -> AppResult<Result<(), Duration>> {
        self.hit_all(&[(key, limit)]).await
    }

    /// Records one `scope` event of `client` if its network stays within `limit` and its
    /// block within [`Limit::for_block`].
    pub async fn hit_client(
        &self,
        scope: &str,
        client: IpAddr,
        limit: Limit,
    ) -> AppResult<Result<(), Duration>> {
        self.hit_all(&[
            (&client_key(scope, client), limit),
            (&block_key(scope, client), limit.for_block()),
        ])
        .await
    }

    /// Records one `scope` event of `client` if the network, its block and everyone
    /// together all stay within `limits`.
    pub async fn hit_public(
        &self,
        scope: &str,
        client: IpAddr,
        limits: &PublicLimits,
    ) -> AppResult<Result<(), Duration>> {
        self.hit_all(&[
            (&client_key(scope, client), limits.per_network),
            (&block_key(scope, client), limits.per_block),
            (&format!("{scope}-all"), limits.total),
        ])
        .await
    }

    /// Records an event for every key if each stays within its limit ([`Limit::UNLIMITED`]
    /// only counts); otherwise records nothing and answers the longest wait. One
    /// decision: no other attempt, on any instance, comes between the checks and the
    /// recording.
    pub async fn hit_all(&self, hits: &[(&str, Limit)]) -> AppResult<Result<(), Duration>> {
        let now = self.now();
        match &self.store {
            Store::Memory(memory) => Ok(memory.hit_all(hits, now)),
            Store::Shared(db) => {
                let (keys, limits) = shared_hits(hits);
                let wait = shared(db, async |c| rows::hit(c, &keys, &limits, now).await).await?;
                Ok(waited(wait))
            }
        }
    }

    /// [`Throttle::hit_all`] inside the transaction of `conn`: on PostgreSQL the events
    /// are recorded only if it commits, and the keys stay locked until it ends.
    pub async fn hit_all_in(
        &self,
        conn: &mut Conn<'_>,
        hits: &[(&str, Limit)],
    ) -> AppResult<Result<(), Duration>> {
        let now = self.now();
        match (&self.store, conn) {
            (Store::Shared(_), Conn::Pg(c)) => {
                let (keys, limits) = shared_hits(hits);
                Ok(waited(rows::hit(c, &keys, &limits, now).await?))
            }
            _ => self.hit_all(hits).await,
        }
    }

    /// How many events of `key` fall within the last `window`.
    pub async fn count(&self, key: &str, window: Duration) -> AppResult<usize> {
        let now = self.now();
        let window = Limit::per(0, window).window_ms();
        match &self.store {
            Store::Memory(memory) => Ok(memory.count(key, window, now)),
            Store::Shared(db) => {
                let n = shared(db, async |c| rows::count(c, key, now - window).await).await?;
                Ok(usize::try_from(n).unwrap_or(0))
            }
        }
    }

    /// Takes back the latest event of each key (an attempt that turned out to succeed).
    pub async fn undo(&self, keys: &[&str]) -> AppResult<()> {
        match &self.store {
            Store::Memory(memory) => memory.undo(keys),
            Store::Shared(db) => shared(db, async |c| rows::undo(c, keys).await).await?,
        }
        Ok(())
    }

    /// Forgets every event of each key.
    pub async fn forget(&self, keys: &[&str]) -> AppResult<()> {
        match &self.store {
            Store::Memory(memory) => memory.forget(keys),
            Store::Shared(db) => shared(db, async |c| rows::forget(c, keys).await).await?,
        }
        Ok(())
    }

    /// Forgets every key that starts with `prefix`.
    pub async fn clear_prefix(&self, prefix: &str) -> AppResult<()> {
        match &self.store {
            Store::Memory(memory) => memory.clear_prefix(prefix),
            Store::Shared(db) => {
                shared(db, async |c| rows::clear_prefix(c, prefix).await).await?;
            }
        }
        Ok(())
    }

    /// Deletes the stored events older than any window (memory sweeps itself).
    pub async fn sweep(&self) -> AppResult<usize> {
        match &self.store {
            Store::Memory(_) => Ok(0),
            Store::Shared(db) => {
                let before = self.now() - MAX_WINDOW_MS;
                Ok(shared(db, async |c| rows::sweep(c, before).await).await?)
            }
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}

/// The keys and `(max, window)`s of hits, as the database takes them.
fn shared_hits<'k>(hits: &[(&'k str, Limit)]) -> (Vec<&'k str>, Vec<(Option<i64>, i64)>) {
    hits.iter()
        .map(|(key, limit)| {
            let max =
                (limit.max != usize::MAX).then(|| i64::try_from(limit.max).unwrap_or(i64::MAX));
            (*key, (max, limit.window_ms()))
        })
        .unzip()
}

/// The database's answer (a wait in milliseconds, 0 when recorded) as a decision.
fn waited(wait_ms: i64) -> Result<(), Duration> {
    match u64::try_from(wait_ms) {
        Ok(0) | Err(_) => Ok(()),
        Ok(ms) => Err(Duration::from_millis(ms)),
    }
}

/// Runs `query` on a PostgreSQL connection of `db`.
async fn shared<T>(
    db: &Db,
    query: impl AsyncFnOnce(&mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<T>,
) -> Result<T, DbError> {
    let mut pooled = db.write().await?;
    match pooled.conn() {
        Conn::Pg(c) => Ok(query(c).await?),
        Conn::Sqlite(_) => Err(DbError::Pool(
            "the shared rate limits need PostgreSQL".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn throttle() -> (Arc<ManualClock>, Throttle) {
        let clock = Arc::new(ManualClock::new());
        (clock.clone(), Throttle::in_memory(clock))
    }

    async fn hit(throttle: &Throttle, key: &str, limit: Limit) -> Result<(), Duration> {
        throttle.hit(key, limit).await.unwrap()
    }

    #[tokio::test]
    async fn refuses_past_the_limit_until_the_window_moves_on() {
        let (clock, throttle) = throttle();
        let limit = Limit::per(2, Duration::from_secs(60));
        assert!(hit(&throttle, "k", limit).await.is_ok());
        assert!(hit(&throttle, "k", limit).await.is_ok());
        let retry = hit(&throttle, "k", limit).await.unwrap_err();
        assert!(retry <= Duration::from_secs(60) && retry >= Duration::from_secs(59));
        clock.advance(chrono::Duration::seconds(61));
        assert!(hit(&throttle, "k", limit).await.is_ok());
    }

    #[tokio::test]
    async fn an_undone_attempt_no_longer_counts() {
        let (_, throttle) = throttle();
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(hit(&throttle, "k", limit).await.is_ok());
        throttle.undo(&["k"]).await.unwrap();
        assert!(hit(&throttle, "k", limit).await.is_ok());
    }

    #[tokio::test]
    async fn keys_are_independent_and_clearable_by_prefix() {
        let (_, throttle) = throttle();
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(hit(&throttle, "login:a|1", limit).await.is_ok());
        assert!(hit(&throttle, "login:a|1", limit).await.is_err());
        assert!(hit(&throttle, "login:b|1", limit).await.is_ok());
        throttle.clear_prefix("login:a|").await.unwrap();
        assert!(hit(&throttle, "login:a|1", limit).await.is_ok());
        assert!(hit(&throttle, "login:b|1", limit).await.is_err());
    }

    #[tokio::test]
    async fn forgetting_a_key_leaves_keys_it_is_a_prefix_of() {
        let (_, throttle) = throttle();
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(hit(&throttle, "login:1.2.3.4", limit).await.is_ok());
        assert!(hit(&throttle, "login:1.2.3.45", limit).await.is_ok());
        throttle.forget(&["login:1.2.3.4"]).await.unwrap();
        assert!(hit(&throttle, "login:1.2.3.4", limit).await.is_ok());
        assert!(hit(&throttle, "login:1.2.3.45", limit).await.is_err());
    }

    #[tokio::test]
    async fn a_block_of_networks_gets_a_few_clients_allowances() {
        let (_, throttle) = throttle();
        let limit = Limit::per(2, Duration::from_secs(60));
        let hit_from = async |client: &str| {
            let client: IpAddr = client.parse().unwrap();
            throttle.hit_client("s", client, limit).await.unwrap()
        };
        for network in 0..BLOCK_SHARE {
            let client = format!("2001:db8:5:{network}::1");
            assert!(hit_from(&client).await.is_ok());
            assert!(hit_from(&client).await.is_ok());
            assert!(hit_from(&client).await.is_err());
        }
        assert!(hit_from("2001:db8:5:ff::1").await.is_err());
        assert!(hit_from("2001:db8:6::1").await.is_ok());
    }

    #[tokio::test]
    async fn unlimited_events_are_only_counted() {
        let (clock, throttle) = throttle();
        for _ in 0..3 {
            assert!(hit(&throttle, "k", Limit::UNLIMITED).await.is_ok());
        }
        let hour = Duration::from_secs(3600);
        assert_eq!(throttle.count("k", hour).await.unwrap(), 3);
        clock.advance(chrono::Duration::seconds(3601));
        assert!(hit(&throttle, "k", Limit::UNLIMITED).await.is_ok());
        assert_eq!(throttle.count("k", hour).await.unwrap(), 1);
        let Store::Memory(memory) = &throttle.store else {
            unreachable!("an in-memory throttle")
        };
        assert_eq!(
            memory.stored("k"),
            1,
            "events older than any window are dropped"
        );
    }
}

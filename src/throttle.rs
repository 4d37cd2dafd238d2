//! Sliding-window rate limiting for abusable operations (sign-in, reset, public forms).
//! Kept in memory per instance: cheap to check on every attempt, and an attacker
//! spreading attempts over instances still meets each instance's limit.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::Clock;

/// The longest window any caller uses; older events are forgotten.
const MAX_WINDOW_MS: i64 = 3600 * 1000;
/// How many recordings pass between sweeps of idle keys.
const SWEEP_EVERY: u64 = 4096;

/// How many clients' allowances a block of networks (an IPv4 /24, an IPv6 /48) gets
/// together: one customer rotating through the /64s of a /48 counts as four clients.
pub const BLOCK_SHARE: usize = 4;

/// The key counting `scope` events of one client address.
pub fn client_key(scope: &str, client: IpAddr) -> String {
    format!("{scope}:{}", client_network(client))
}

/// The key counting `scope` events of one client's block of networks.
pub fn block_key(scope: &str, client: IpAddr) -> String {
    format!("{scope}-block:{}", client_block(client))
}

/// The part of a client address that throttling counts by: the whole IPv4 address, or
/// the /64 network of an IPv6 one (every IPv6 client holds at least a /64 to rotate in).
pub fn client_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The block of networks a client address belongs to: its IPv4 /24 or IPv6 /48 (what
/// one customer of a provider, or one cloud tenant, can rotate addresses within).
pub fn client_block(ip: IpAddr) -> String {
    let v4_block = |v4: std::net::Ipv4Addr| {
        let o = v4.octets();
        format!("{}.{}.{}.0/24", o[0], o[1], o[2])
    };
    match ip {
        IpAddr::V4(v4) => v4_block(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_block(v4),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
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

    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis())
            .unwrap_or(MAX_WINDOW_MS)
            .min(MAX_WINDOW_MS)
    }
}

/// Counts events per key over sliding windows.
pub struct RateLimiter {
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    events: HashMap<String, VecDeque<i64>>,
    recorded: u64,
}

impl RateLimiter {
    /// An empty limiter reading time from `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        RateLimiter {
            clock,
            state: Mutex::new(State::default()),
        }
    }

    /// Records an event for `key` if it stays within `limit`; otherwise `Err(retry_after)`.
    pub fn hit(&self, key: &str, limit: Limit) -> Result<(), Duration> {
        self.hit_all(&[(key, limit)])
    }

    /// Records an event for every key if each stays within its limit; otherwise records
    /// nothing and answers the longest wait. One decision: no other attempt can come
    /// between the checks and the recording.
    pub fn hit_all(&self, hits: &[(&str, Limit)]) -> Result<(), Duration> {
        let now = self.clock.now().timestamp_millis();
        let mut state = self.lock();
        let mut wait = None;
        for (key, limit) in hits {
            if let Some(events) = state.events.get_mut(*key)
                && let Err(retry_after) = within(events, *limit, now)
            {
                wait = wait.max(Some(retry_after));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, _) in hits {
            state
                .events
                .entry((*key).to_owned())
                .or_default()
                .push_back(now);
            state.note_recording(now);
        }
        Ok(())
    }

    /// Records one `scope` event of `client` if the network, its block and everyone
    /// together all stay within `limits`.
    pub fn hit_public(
        &self,
        scope: &str,
        client: IpAddr,
        limits: &PublicLimits,
    ) -> Result<(), Duration> {
        self.hit_all(&[
            (&client_key(scope, client), limits.per_network),
            (&block_key(scope, client), limits.per_block),
            (&format!("{scope}-all"), limits.total),
        ])
    }

    /// Records one `scope` event of `client` if its network stays within `limit` and its
    /// block within [`Limit::for_block`].
    pub fn hit_client(&self, scope: &str, client: IpAddr, limit: Limit) -> Result<(), Duration> {
        self.hit_all(&[
            (&client_key(scope, client), limit),
            (&block_key(scope, client), limit.for_block()),
        ])
    }

    /// Takes back the latest `scope` event of `client` (network and block).
    pub fn undo_client(&self, scope: &str, client: IpAddr) {
        self.undo(&client_key(scope, client));
        self.undo(&block_key(scope, client));
    }

    /// Records an event for `key` without any limit (a count other decisions read).
    pub fn record(&self, key: &str) {
        let now = self.clock.now().timestamp_millis();
        let mut state = self.lock();
        let events = state.events.entry(key.to_owned()).or_default();
        forget_old(events, now);
        events.push_back(now);
        state.note_recording(now);
    }

    /// How many events of `key` fall within the last `window`.
    pub fn count(&self, key: &str, window: Duration) -> usize {
        let now = self.clock.now().timestamp_millis();
        let window = Limit::per(0, window).window_ms();
        self.lock().events.get_mut(key).map_or(0, |events| {
            forget_old(events, now);
            events.iter().filter(|t| now - **t < window).count()
        })
    }

    /// Forgets every event of `key`.
    pub fn forget(&self, key: &str) {
        self.lock().events.remove(key);
    }

    /// Takes back the latest event of `key` (an attempt that turned out to succeed).
    pub fn undo(&self, key: &str) {
        if let Some(events) = self.lock().events.get_mut(key) {
            events.pop_back();
        }
    }

    /// Forgets every key that starts with `prefix`.
    pub fn clear_prefix(&self, prefix: &str) {
        self.lock().events.retain(|k, _| !k.starts_with(prefix));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn note_recording(&mut self, now: i64) {
        self.recorded += 1;
        if self.recorded.is_multiple_of(SWEEP_EVERY) {
            self.events
                .retain(|_, events| events.back().is_some_and(|last| now - last < MAX_WINDOW_MS));
        }
    }
}

/// Drops the events older than any window.
fn forget_old(events: &mut VecDeque<i64>, now: i64) {
    while events.front().is_some_and(|t| now - t >= MAX_WINDOW_MS) {
        events.pop_front();
    }
}

fn within(events: &mut VecDeque<i64>, limit: Limit, now: i64) -> Result<(), Duration> {
    let window = limit.window_ms();
    forget_old(events, now);
    let recent = events.iter().filter(|t| now - **t < window).count();
    if recent < limit.max {
        return Ok(());
    }
    // The oldest event still inside the window decides when one more is allowed.
    let blocking = events
        .iter()
        .rev()
        .filter(|t| now - **t < window)
        .nth(limit.max - 1)
        .copied()
        .unwrap_or(now);
    let wait_ms = (blocking + window - now).max(1000);
    Err(Duration::from_millis(
        u64::try_from(wait_ms).unwrap_or(1000),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn refuses_past_the_limit_until_the_window_moves_on() {
        let clock = Arc::new(ManualClock::new());
        let limiter = RateLimiter::new(clock.clone());
        let limit = Limit::per(2, Duration::from_secs(60));
        assert!(limiter.hit("k", limit).is_ok());
        assert!(limiter.hit("k", limit).is_ok());
        let retry = limiter.hit("k", limit).unwrap_err();
        assert!(retry <= Duration::from_secs(60) && retry >= Duration::from_secs(59));
        clock.advance(chrono::Duration::seconds(61));
        assert!(limiter.hit("k", limit).is_ok());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        assert_eq!(
            client_network("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_network("2001:db8:1:2:bbbb::9".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_network("203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
        assert_eq!(
            client_network("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
    }

    #[test]
    fn blocks_are_the_ipv4_24_and_the_ipv6_48() {
        assert_eq!(
            client_block("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1::/48"
        );
        assert_eq!(
            client_block("203.0.113.7".parse().unwrap()),
            "203.0.113.0/24"
        );
        assert_eq!(
            client_block("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.0/24"
        );
    }

    #[test]
    fn an_undone_attempt_no_longer_counts() {
        let limiter = RateLimiter::new(Arc::new(ManualClock::new()));
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(limiter.hit("k", limit).is_ok());
        limiter.undo("k");
        assert!(limiter.hit("k", limit).is_ok());
    }

    #[test]
    fn keys_are_independent_and_clearable() {
        let limiter = RateLimiter::new(Arc::new(ManualClock::new()));
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(limiter.hit("login:a|1", limit).is_ok());
        assert!(limiter.hit("login:a|1", limit).is_err());
        assert!(limiter.hit("login:b|1", limit).is_ok());
        limiter.clear_prefix("login:a|");
        assert!(limiter.hit("login:a|1", limit).is_ok());
    }

    #[test]
    fn forgetting_a_key_leaves_keys_it_is_a_prefix_of() {
        let limiter = RateLimiter::new(Arc::new(ManualClock::new()));
        let limit = Limit::per(1, Duration::from_secs(60));
        assert!(limiter.hit("login:1.2.3.4", limit).is_ok());
        assert!(limiter.hit("login:1.2.3.45", limit).is_ok());
        limiter.forget("login:1.2.3.4");
        assert!(limiter.hit("login:1.2.3.4", limit).is_ok());
        assert!(limiter.hit("login:1.2.3.45", limit).is_err());
    }

    #[test]
    fn a_block_of_networks_gets_a_few_clients_allowances() {
        let limiter = RateLimiter::new(Arc::new(ManualClock::new()));
        let limit = Limit::per(2, Duration::from_secs(60));
        for network in 0..BLOCK_SHARE {
            let client: IpAddr = format!("2001:db8:5:{network}::1").parse().unwrap();
            assert!(limiter.hit_client("s", client, limit).is_ok());
            assert!(limiter.hit_client("s", client, limit).is_ok());
            assert!(limiter.hit_client("s", client, limit).is_err());
        }
        let same_block: IpAddr = "2001:db8:5:ff::1".parse().unwrap();
        assert!(limiter.hit_client("s", same_block, limit).is_err());
        let other_block: IpAddr = "2001:db8:6::1".parse().unwrap();
        assert!(limiter.hit_client("s", other_block, limit).is_ok());
    }

    #[test]
    fn recorded_events_older_than_any_window_are_dropped() {
        let clock = Arc::new(ManualClock::new());
        let limiter = RateLimiter::new(clock.clone());
        limiter.record("k");
        clock.advance(chrono::Duration::seconds(3601));
        limiter.record("k");
        assert_eq!(limiter.lock().events["k"].len(), 1);
        assert_eq!(limiter.count("k", Duration::from_secs(7200)), 1);
    }
}

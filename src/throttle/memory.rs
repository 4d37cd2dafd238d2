//! Rate-limit events kept in this instance's memory (SQLite: one instance by design).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use super::{Limit, MAX_WINDOW_MS};

/// How many recordings pass between sweeps of idle keys.
const SWEEP_EVERY: u64 = 4096;

/// Events per key, newest last.
#[derive(Default)]
pub(super) struct Memory {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    events: HashMap<String, VecDeque<i64>>,
    recorded: u64,
}

impl Memory {
    /// Records an event at `now` for every key if each stays within its limit;
    /// otherwise records nothing and answers the longest wait.
    pub(super) fn hit_all(&self, hits: &[(&str, Limit)], now: i64) -> Result<(), Duration> {
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
            let events = state.events.entry((*key).to_owned()).or_default();
            forget_old(events, now);
            events.push_back(now);
            state.note_recording(now);
        }
        Ok(())
    }

    /// How many events of `key` fall within `window_ms` before `now`.
    pub(super) fn count(&self, key: &str, window_ms: i64, now: i64) -> usize {
        self.lock().events.get_mut(key).map_or(0, |events| {
            forget_old(events, now);
            events.iter().filter(|t| now - **t < window_ms).count()
        })
    }

    /// Takes back the latest event of each key.
    pub(super) fn undo(&self, keys: &[&str]) {
        let mut state = self.lock();
        for key in keys {
            if let Some(events) = state.events.get_mut(*key) {
                events.pop_back();
            }
        }
    }

    /// Forgets every event of each key.
    pub(super) fn forget(&self, keys: &[&str]) {
        let mut state = self.lock();
        for key in keys {
            state.events.remove(*key);
        }
    }

    /// Forgets every key that starts with `prefix`.
    pub(super) fn clear_prefix(&self, prefix: &str) {
        self.lock().events.retain(|k, _| !k.starts_with(prefix));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    pub(super) fn stored(&self, key: &str) -> usize {
        self.lock().events.get(key).map_or(0, VecDeque::len)
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
        .nth(limit.max.saturating_sub(1))
        .copied()
        .unwrap_or(now);
    let wait_ms = (blocking + window - now).max(1000);
    Err(Duration::from_millis(
        u64::try_from(wait_ms).unwrap_or(1000),
    ))
}

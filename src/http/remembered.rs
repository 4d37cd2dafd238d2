//! Answers kept in memory until a topic they follow is announced again (on any
//! instance) or until the moment they stop being true on their own (a sale that starts
//! or ends), within a budget of bytes. Public GraphQL answers and storefront pages use
//! it.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::events::{Events, Topic};

/// The topics an answer follows, with their generations when it was computed (taken
/// before computing it, so that a change meanwhile leaves it already out of date).
pub type Generations = Arc<[(Topic, u64)]>;

/// `topics` with their generations now.
pub fn generations(events: &Events, topics: &[Topic]) -> Generations {
    topics
        .iter()
        .map(|topic| (*topic, events.generation(*topic)))
        .collect()
}

#[derive(Clone)]
struct Entry<V> {
    generations: Generations,
    expires: Option<DateTime<Utc>>,
    value: V,
}

/// Remembered values of type `V` by key.
pub struct Remembered<V> {
    entries: moka::sync::Cache<String, Entry<V>>,
}

impl<V: Clone + Send + Sync + 'static> Remembered<V> {
    /// At most `max_bytes` of keys and values, as `size` weighs a value.
    pub fn new(max_bytes: u64, size: fn(&V) -> usize) -> Self {
        Remembered {
            entries: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(move |key: &String, entry: &Entry<V>| {
                    u32::try_from(key.len() + size(&entry.value)).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The value remembered for `key`, if none of its topics was announced since and it
    /// has not expired by `now`.
    pub fn get(&self, events: &Events, now: DateTime<Utc>, key: &str) -> Option<V> {
        let entry = self.entries.get(key)?;
        let current = entry
            .generations
            .iter()
            .all(|(topic, generation)| events.generation(*topic) == *generation)
            && entry.expires.is_none_or(|expires| now < expires);
        current.then_some(entry.value)
    }

    /// Remembers `value`, computed under `generations`, until `expires` (if ever).
    pub fn remember(
        &self,
        key: String,
        generations: Generations,
        expires: Option<DateTime<Utc>>,
        value: V,
    ) {
        self.entries.insert(
            key,
            Entry {
                generations,
                expires,
                value,
            },
        );
    }
}

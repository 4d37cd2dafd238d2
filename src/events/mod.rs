//! Change announcements. A domain publishes a topic when something changed; every part
//! that keeps a copy (a cache, a live push) follows the topic's generation, a number
//! that moves with each change. Topics carry no data: listeners read what is new.
//!
//! Published inside a transaction ([`Events::publish_on_commit`]), a topic is announced
//! only once the transaction commits — in this process at once, and on PostgreSQL to
//! every other instance through `NOTIFY` ([`listener`]).

pub mod listener;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::db::{DbError, Tx, events as announcements};

/// A kind of change. Topics are declared by the domains that publish them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Topic(&'static str);

impl Topic {
    /// A topic with this name (short, unique, the same on every instance).
    pub const fn new(name: &'static str) -> Self {
        Topic(name)
    }

    /// The topic's name.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// The topics and their generations; cheap to clone.
#[derive(Clone, Default)]
pub struct Events {
    topics: Arc<Mutex<HashMap<Topic, watch::Sender<u64>>>>,
}

impl Events {
    fn sender(&self, topic: Topic) -> watch::Sender<u64> {
        self.topics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(topic)
            .or_insert_with(|| watch::Sender::new(0))
            .clone()
    }

    /// Announces in this process that `topic` changed.
    pub fn publish(&self, topic: Topic) {
        self.sender(topic)
            .send_modify(|generation| *generation += 1);
    }

    /// Announces `topic` once `tx` commits: in this process then, and to the other
    /// instances through the database in the same commit.
    pub async fn publish_on_commit(&self, tx: &mut Tx, topic: Topic) -> Result<(), DbError> {
        announcements::notify(&mut tx.conn(), topic.name()).await?;
        let events = self.clone();
        tx.after_commit(move || events.publish(topic));
        Ok(())
    }

    /// The generation of `topic`: anything computed under an older one is out of date.
    pub fn generation(&self, topic: Topic) -> u64 {
        *self.sender(topic).borrow()
    }

    /// Follows `topic`: the receiver sees each new generation (the latest, when it lags).
    pub fn subscribe(&self, topic: Topic) -> watch::Receiver<u64> {
        self.sender(topic).subscribe()
    }

    /// The topic named `name`, if anything here publishes or follows it.
    fn known(&self, name: &str) -> Option<Topic> {
        self.topics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .find(|t| t.name() == name)
            .copied()
    }

    /// Announces every known topic (after announcements from elsewhere may have been lost).
    fn publish_all(&self) {
        let topics: Vec<Topic> = self
            .topics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect();
        for topic in topics {
            self.publish(topic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGED: Topic = Topic::new("changed");

    #[tokio::test]
    async fn subscribers_see_every_generation_of_their_topic() {
        let events = Events::default();
        let mut changes = events.subscribe(CHANGED);
        assert_eq!(events.generation(CHANGED), 0);
        events.publish(CHANGED);
        changes.changed().await.unwrap();
        assert_eq!(*changes.borrow_and_update(), 1);
        events.publish(Topic::new("other"));
        assert_eq!(events.generation(CHANGED), 1);
    }

    #[test]
    fn topics_announced_from_elsewhere_are_found_by_name() {
        let events = Events::default();
        let _following = events.subscribe(CHANGED);
        assert_eq!(events.known("changed"), Some(CHANGED));
        assert_eq!(events.known("unheard-of"), None);
        events.publish_all();
        assert_eq!(events.generation(CHANGED), 1);
    }
}

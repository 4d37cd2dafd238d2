//! Caps on how many of something (connections, websockets, subscriptions) one client
//! and everyone together may hold at once. A slot is held for as long as its guard
//! lives; dropping it gives the place back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::throttle::client_network;

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// This client holds its share already.
    Client,
    /// Everyone together holds every slot.
    Everyone,
}

/// Slots counted per client network (an IPv4 address, an IPv6 /64) and in total.
#[derive(Clone)]
pub struct Slots {
    inner: Arc<Inner>,
}

struct Inner {
    per_client: usize,
    total: usize,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    total: usize,
    by_client: HashMap<String, usize>,
}

impl Slots {
    /// At most `per_client` slots per client network and `total` in all.
    pub fn new(per_client: usize, total: usize) -> Self {
        Slots {
            inner: Arc::new(Inner {
                per_client,
                total,
                held: Mutex::new(Held::default()),
            }),
        }
    }

    /// A slot for `client`, counted against its network's share and the total.
    pub fn take(&self, client: IpAddr) -> Result<Slot, Full> {
        self.take_keyed(Some(client_network(client)))
    }

    /// A slot counted against the total only (a trusted proxy speaks for many clients).
    pub fn take_shared(&self) -> Result<Slot, Full> {
        self.take_keyed(None)
    }

    fn take_keyed(&self, key: Option<String>) -> Result<Slot, Full> {
        let mut held = self.lock();
        if held.total >= self.inner.total {
            return Err(Full::Everyone);
        }
        if let Some(key) = &key {
            let count = held.by_client.entry(key.clone()).or_default();
            if *count >= self.inner.per_client {
                return Err(Full::Client);
            }
            *count += 1;
        }
        held.total += 1;
        Ok(Slot {
            slots: self.clone(),
            key,
        })
    }

    /// How many slots are held in all.
    pub fn held(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.inner.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A held slot; dropping it frees it.
pub struct Slot {
    slots: Slots,
    key: Option<String>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.lock();
        held.total = held.total.saturating_sub(1);
        if let Some(key) = &self.key
            && let Some(count) = held.by_client.get_mut(key)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.by_client.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_holds_its_share_and_everyone_the_total() {
        let slots = Slots::new(2, 3);
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        let first = slots.take(a).unwrap();
        let _second = slots.take(a).unwrap();
        assert_eq!(slots.take(a).err(), Some(Full::Client));
        let _third = slots.take(b).unwrap();
        assert_eq!(slots.take(b).err(), Some(Full::Everyone));
        drop(first);
        assert!(slots.take(b).is_ok());
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        let slots = Slots::new(1, 10);
        let _held = slots.take("2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert_eq!(
            slots.take("2001:db8:1:2::9".parse().unwrap()).err(),
            Some(Full::Client)
        );
        assert!(slots.take("2001:db8:1:3::1".parse().unwrap()).is_ok());
    }
}

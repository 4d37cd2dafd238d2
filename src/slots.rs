//! Caps on how many of something (connections, websockets, subscriptions) one client,
//! its block of networks and everyone together may hold at once. A slot is held for as
//! long as its guard lives; dropping it gives the place back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::networks::{BLOCK_SHARE, client_block, client_network};

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// This client, or its block of networks, holds its share already.
    Client,
    /// Everyone together holds every slot.
    Everyone,
}

/// Slots counted per client network (an IPv4 address, an IPv6 /64), per block of
/// networks and in total.
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
    by_block: HashMap<String, usize>,
}

/// Where a slot is counted besides the total.
struct Owner {
    network: String,
    block: String,
}

impl Slots {
    /// At most `per_client` slots per client network, [`BLOCK_SHARE`] times that per
    /// block, and `total` in all.
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
        self.take_keyed(Some(Owner {
            network: client_network(client),
            block: client_block(client),
        }))
    }

    /// A slot counted against the total only (a trusted proxy speaks for many clients).
    pub fn take_shared(&self) -> Result<Slot, Full> {
        self.take_keyed(None)
    }

    fn take_keyed(&self, owner: Option<Owner>) -> Result<Slot, Full> {
        let mut held = self.lock();
        if held.total >= self.inner.total {
            return Err(Full::Everyone);
        }
        if let Some(owner) = &owner {
            let per_block = self.inner.per_client.saturating_mul(BLOCK_SHARE);
            let network = held.by_client.get(&owner.network).copied().unwrap_or(0);
            let block = held.by_block.get(&owner.block).copied().unwrap_or(0);
            if network >= self.inner.per_client || block >= per_block {
                return Err(Full::Client);
            }
            *held.by_client.entry(owner.network.clone()).or_default() += 1;
            *held.by_block.entry(owner.block.clone()).or_default() += 1;
        }
        held.total += 1;
        Ok(Slot {
            slots: self.clone(),
            owner,
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
    owner: Option<Owner>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.lock();
        held.total = held.total.saturating_sub(1);
        if let Some(owner) = &self.owner {
            give_back(&mut held.by_client, &owner.network);
            give_back(&mut held.by_block, &owner.block);
        }
    }
}

fn give_back(counts: &mut HashMap<String, usize>, key: &str) {
    if let Some(count) = counts.get_mut(key) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(key);
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

    #[test]
    fn a_block_of_networks_holds_a_few_clients_shares() {
        let slots = Slots::new(2, 100);
        let held: Vec<Slot> = (0..BLOCK_SHARE)
            .flat_map(|n| {
                let ip: IpAddr = format!("2001:db8:7:{n}::1").parse().unwrap();
                [slots.take(ip).unwrap(), slots.take(ip).unwrap()]
            })
            .collect();
        assert_eq!(
            slots.take("2001:db8:7:ff::1".parse().unwrap()).err(),
            Some(Full::Client)
        );
        assert!(slots.take("2001:db8:8::1".parse().unwrap()).is_ok());
        drop(held);
        assert!(slots.take("2001:db8:7:ff::1".parse().unwrap()).is_ok());
    }
}

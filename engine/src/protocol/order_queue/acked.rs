//! The acknowledged orders the queue remembers: a bounded window of the most recent ones.

use std::collections::{BTreeMap, VecDeque};

/// Most acknowledged order ids remembered (with the lease that acknowledged each). At the
/// executors' pace (a few orders a second) this is hours of history; at 20 orders a second it
/// is over 40 minutes — far longer than any retry of an enqueue or ack (seconds). See the
/// module docs of `order_queue` for what is answered about an order older than the window.
pub const ACKED_WINDOW: usize = 50_000;

/// Order id → acknowledging lease for the newest `capacity` acks, plus how many there were.
#[derive(Clone, Debug)]
pub struct AckedWindow {
    by_id: BTreeMap<String, u64>,
    oldest_first: VecDeque<String>,
    total: u64,
    capacity: usize,
}

impl AckedWindow {
    pub fn new(capacity: usize) -> Self {
        Self {
            by_id: BTreeMap::new(),
            oldest_first: VecDeque::new(),
            total: 0,
            capacity: capacity.max(1),
        }
    }

    /// Remembers an ack, forgetting the oldest one beyond the window.
    pub fn remember(&mut self, order_id: String, lease_id: u64) {
        if self.by_id.insert(order_id.clone(), lease_id).is_none() {
            self.oldest_first.push_back(order_id);
        }
        self.total = self.total.saturating_add(1);
        while self.oldest_first.len() > self.capacity {
            if let Some(old) = self.oldest_first.pop_front() {
                self.by_id.remove(&old);
            }
        }
    }

    /// The lease that acknowledged `order_id`, if it is still in the window.
    pub fn lease_of(&self, order_id: &str) -> Option<u64> {
        self.by_id.get(order_id).copied()
    }

    pub fn contains(&self, order_id: &str) -> bool {
        self.by_id.contains_key(order_id)
    }

    /// Ids remembered now (at most the capacity).
    pub fn len(&self) -> usize {
        self.oldest_first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.oldest_first.is_empty()
    }

    /// Every ack ever made, remembered or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Lets a snapshot carry the count of acks older than its window.
    pub fn set_total(&mut self, total: u64) {
        self.total = total.max(self.len() as u64);
    }

    /// (order id, lease id), oldest first: the order a snapshot keeps, so eviction replays.
    pub fn iter_oldest_first(&self) -> impl Iterator<Item = (&str, u64)> {
        self.oldest_first
            .iter()
            .map(|id| (id.as_str(), self.by_id.get(id).copied().unwrap_or(0)))
    }
}

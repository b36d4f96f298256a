//! A map that remembers only its newest `capacity` keys: the bounded per-order tables of the
//! replicated state machines (executed orders, 2PC decisions, finished transactions, retried
//! operations). Without a bound every such table grows with every order a run ever handled, and
//! so do the snapshots that carry it (`protocol/raft/snapshot.rs`).
//!
//! Eviction is by insertion order, which the log fixes, so every replica that applies the same
//! entries forgets the same keys. What forgetting costs is named where each bound is chosen: a
//! question about a key older than the window gets the answer for an unknown key.
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentMap<K, V> {
    by_key: BTreeMap<K, V>,
    oldest_first: VecDeque<K>,
    capacity: usize,
    /// Keys ever inserted, remembered or not.
    total: u64,
}

/// The form a snapshot stores: the remembered entries oldest first, and the total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentList<K, V> {
    pub entries: Vec<(K, V)>,
    pub total: u64,
}

impl<K: Ord + Clone, V> RecentMap<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            by_key: BTreeMap::new(),
            oldest_first: VecDeque::new(),
            capacity: capacity.max(1),
            total: 0,
        }
    }

    /// Inserts `key` if it is not remembered (the first value wins) and returns whether it was
    /// new, forgetting the oldest key beyond the capacity.
    pub fn insert_first(&mut self, key: K, value: V) -> bool {
        self.insert_evicting(key, value).0
    }

    /// `insert_first`, also returning the key it forgot (so a durable copy can forget it too).
    pub fn insert_evicting(&mut self, key: K, value: V) -> (bool, Option<K>) {
        if self.by_key.contains_key(&key) {
            return (false, None);
        }
        self.by_key.insert(key.clone(), value);
        self.oldest_first.push_back(key);
        self.total = self.total.saturating_add(1);
        let mut evicted = None;
        while self.oldest_first.len() > self.capacity {
            if let Some(old) = self.oldest_first.pop_front() {
                self.by_key.remove(&old);
                evicted = Some(old);
            }
        }
        (true, evicted)
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.by_key.get(key)
    }

    pub fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.by_key.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.oldest_first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.oldest_first.is_empty()
    }

    /// Keys ever inserted (the window's size is `len`).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.by_key.iter()
    }
}

impl<K: Ord + Clone, V: Clone> RecentMap<K, V> {
    pub fn to_list(&self) -> RecentList<K, V> {
        let entries = self
            .oldest_first
            .iter()
            .filter_map(|k| self.by_key.get(k).map(|v| (k.clone(), v.clone())))
            .collect();
        RecentList {
            entries,
            total: self.total,
        }
    }

    /// Rebuilds a window from a snapshot's list (keeping the newest `capacity` of them).
    pub fn from_list(capacity: usize, list: RecentList<K, V>) -> Self {
        let mut map = Self::new(capacity);
        for (k, v) in list.entries {
            map.insert_first(k, v);
        }
        map.total = list.total.max(map.total);
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_keys_first_value_wins_and_round_trips_through_a_list() {
        let mut m = RecentMap::new(3);
        assert!(m.insert_first("a", 1));
        assert!(!m.insert_first("a", 9), "the first value wins");
        for (k, v) in [("b", 2), ("c", 3), ("d", 4)] {
            assert!(m.insert_first(k, v));
        }
        assert_eq!(m.get(&"a"), None, "the oldest is forgotten");
        assert_eq!(m.get(&"a"), None);
        assert_eq!((m.len(), m.total()), (3, 4));
        let back = RecentMap::from_list(3, m.to_list());
        assert_eq!(back, m);
        let list = m.to_list();
        assert_eq!(list.entries, vec![("b", 2), ("c", 3), ("d", 4)]);
    }
}

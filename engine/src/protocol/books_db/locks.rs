//! The primary's per-key locks (seed 001: "apply under a per-key lock"). An operation takes
//! all its keys at once or waits; waiters are granted strictly in arrival order among those
//! that conflict, so a stream of small orders cannot starve a big one (no barging). Keys are
//! taken in sorted order by construction (one call for all keys), so there is no deadlock.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Clone, Debug, Default)]
pub struct KeyLocks {
    /// key → the operation holding it.
    held: BTreeMap<String, u64>,
    /// Operations waiting, oldest first, with their keys.
    waiting: VecDeque<(u64, Vec<String>)>,
}

impl KeyLocks {
    /// Takes every key for `op` now (true) or queues the request (false).
    pub fn acquire(&mut self, op: u64, keys: Vec<String>) -> bool {
        let blocked_by_waiter = self.waiting.iter().any(|(_, w)| overlaps(w, &keys));
        if !blocked_by_waiter && keys.iter().all(|k| !self.held.contains_key(k)) {
            for k in keys {
                self.held.insert(k, op);
            }
            return true;
        }
        self.waiting.push_back((op, keys));
        false
    }

    /// Frees `op`'s keys (or drops it from the queue) and returns the operations that now hold
    /// their keys, in the order they had asked.
    pub fn release(&mut self, op: u64) -> Vec<u64> {
        self.held.retain(|_, holder| *holder != op);
        self.waiting.retain(|(w, _)| *w != op);
        let mut granted = Vec::new();
        let mut still: VecDeque<(u64, Vec<String>)> = VecDeque::new();
        let mut claimed: BTreeSet<String> = BTreeSet::new();
        while let Some((w, keys)) = self.waiting.pop_front() {
            let free = keys
                .iter()
                .all(|k| !self.held.contains_key(k) && !claimed.contains(k));
            if free {
                for k in &keys {
                    self.held.insert(k.clone(), w);
                }
                granted.push(w);
            } else {
                claimed.extend(keys.iter().cloned());
                still.push_back((w, keys));
            }
        }
        self.waiting = still;
        granted
    }

    /// Forgets everything (the node stopped being primary: its in-flight writes are void).
    pub fn clear(&mut self) {
        self.held.clear();
        self.waiting.clear();
    }

    pub fn held_keys(&self) -> usize {
        self.held.len()
    }

    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// The operation holding `key`, if any.
    pub fn holder(&self, key: &str) -> Option<u64> {
        self.held.get(key).copied()
    }
}

fn overlaps(a: &[String], b: &[String]) -> bool {
    a.iter().any(|k| b.contains(k))
}

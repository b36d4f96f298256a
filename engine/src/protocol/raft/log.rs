//! The replicated log: entries indexed from 1, plus a record of what changed since the driver
//! last persisted it. Index 0 is the empty prefix, with term 0, that every log shares.
//!
//! After compaction (`snapshot.rs`) the entries through `offset` are gone: the log holds
//! `offset + 1 ..= last_index`, remembers only the term at `offset`, and answers nothing about
//! earlier indexes (they are committed, so every log that matters agrees on them).
use serde::{Deserialize, Serialize};

/// One log entry. `command: None` is the no-op a new leader appends to commit the entries of
/// earlier terms (§5.4.2, §8); state machines skip it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry<C> {
    pub term: u64,
    pub index: u64,
    pub command: Option<C>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaftLog<C> {
    /// Entries `offset + 1 ..= offset + entries.len()`.
    entries: Vec<Entry<C>>,
    /// The last index a snapshot covers (0: none), and its term.
    offset: u64,
    offset_term: u64,
    /// Lowest index written or truncated since the last `take_unpersisted`.
    dirty_from: Option<u64>,
}

impl<C: Clone> RaftLog<C> {
    /// A log restored from disk; nothing in it needs persisting again.
    pub(super) fn from_persisted(offset: u64, offset_term: u64, entries: Vec<Entry<C>>) -> Self {
        Self {
            entries,
            offset,
            offset_term,
            dirty_from: None,
        }
    }

    /// The entries still held (after the compacted prefix).
    pub fn entries(&self) -> &[Entry<C>] {
        &self.entries
    }

    /// The last index compacted into a snapshot (0: none).
    pub fn snapshot_index(&self) -> u64 {
        self.offset
    }

    pub fn last_index(&self) -> u64 {
        self.offset + self.entries.len() as u64
    }

    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(self.offset_term, |e| e.term)
    }

    pub fn get(&self, index: u64) -> Option<&Entry<C>> {
        // Bounds-check in u64 first: on wasm32 a huge index from a message would otherwise
        // wrap when cast to a 32-bit usize and alias a real entry.
        if index <= self.offset || index > self.last_index() {
            return None;
        }
        self.entries.get((index - self.offset - 1) as usize)
    }

    /// The term of the entry at `index`; 0 for index 0; the snapshot's term at its last index;
    /// None past the end and inside the compacted prefix.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == self.offset {
            Some(self.offset_term)
        } else {
            self.get(index).map(|e| e.term)
        }
    }

    /// §5.4.1: a log ending at (`last_index`, `last_term`) is at least as up to date as ours
    /// when its last term is higher, or equal with an index at least as long.
    pub fn is_up_to_date(&self, last_index: u64, last_term: u64) -> bool {
        let (my_term, my_index) = (self.last_term(), self.last_index());
        last_term > my_term || (last_term == my_term && last_index >= my_index)
    }

    /// Up to `max` entries starting at `from` (empty when `from` is past the end).
    pub fn slice_from(&self, from: u64, max: u64) -> Vec<Entry<C>> {
        let start = from.max(self.offset + 1);
        let end = self
            .last_index()
            .min(start.saturating_add(max).saturating_sub(1));
        (start..=end).filter_map(|i| self.get(i).cloned()).collect()
    }

    /// Entries `from..=to`, clamped to the entries still held.
    pub fn range(&self, from: u64, to: u64) -> Vec<Entry<C>> {
        let to = to.min(self.last_index());
        (from.max(self.offset + 1)..=to)
            .filter_map(|i| self.get(i).cloned())
            .collect()
    }

    /// The first index holding the same term as the entry at `index` (for the conflict hint).
    pub fn first_index_of_term_at(&self, index: u64) -> u64 {
        let Some(term) = self.term_at(index) else {
            return self.last_index() + 1;
        };
        let mut first = index;
        while first > self.offset + 1 && self.term_at(first - 1) == Some(term) {
            first -= 1;
        }
        first
    }

    /// Appends one entry; the caller guarantees `entry.index == last_index() + 1`.
    pub(super) fn push(&mut self, entry: Entry<C>) {
        self.mark_dirty(entry.index);
        self.entries.push(entry);
    }

    /// Drops every entry with index ≥ `from` (a conflicting suffix, §5.3).
    pub(super) fn truncate_from(&mut self, from: u64) {
        // The compacted prefix is committed: nothing may replace it.
        if from <= self.offset || from > self.last_index() {
            return;
        }
        self.mark_dirty(from);
        self.entries.truncate((from - self.offset - 1) as usize);
    }

    /// Forgets every entry through `index` (which the caller has applied and snapshotted).
    pub(super) fn compact_through(&mut self, index: u64) {
        let Some(term) = self.term_at(index) else {
            return;
        };
        if index <= self.offset {
            return;
        }
        self.entries.drain(..(index - self.offset) as usize);
        self.offset = index;
        self.offset_term = term;
    }

    /// Installs a leader's snapshot ending at (`index`, `term`): an entry of ours that matches
    /// it keeps the entries after it (§7: "retain the log entries following it"); otherwise the
    /// whole log is replaced by the snapshot.
    pub(super) fn install(&mut self, index: u64, term: u64) {
        if self.term_at(index) == Some(term) && index >= self.offset {
            self.compact_through(index);
            return;
        }
        self.entries.clear();
        self.offset = index;
        self.offset_term = term;
        self.mark_dirty(index + 1);
    }

    /// The index from which the disk must be rewritten, with the entries to write, if anything
    /// changed since the last call.
    pub(super) fn take_unpersisted(&mut self) -> Option<(u64, Vec<Entry<C>>)> {
        let from = self.dirty_from.take()?.max(self.offset + 1);
        Some((from, self.range(from, self.last_index())))
    }

    pub(super) fn has_unpersisted(&self) -> bool {
        self.dirty_from.is_some()
    }

    fn mark_dirty(&mut self, index: u64) {
        self.dirty_from = Some(self.dirty_from.map_or(index, |d| d.min(index)));
    }
}

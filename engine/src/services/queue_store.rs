//! The queue node's disk: an append-only log of `QueueRecord`s, one durable key per record
//! (`queue/log/000000000123`), replayed at boot. Persisting an operation writes only its own
//! few records, so its cost does not grow with the run's history. When more than
//! `LOG_COMPACT_RECORDS` records follow the last snapshot, a snapshot of the whole state is
//! appended and every older key deleted: the snapshot costs O(state), once per that many
//! records, and the log and boot time stay bounded.
//!
//! The snapshot is written before the old keys are deleted, oldest first. Replay starts at the
//! newest snapshot, and a crash keeps a prefix of the writes (`sim/disk.rs`), so it finds the
//! old log alone, or the snapshot with a contiguous tail of the old keys: nothing is lost.
//!
//! A full disk refuses the write; the records stay here, in order, and are written first at
//! the next append that succeeds, so the log on disk never skips one. The caller answers no
//! request whose records are not written (and synced).

use crate::protocol::order_queue::{OrderQueue, QueueConfig, QueueRecord};
use crate::sim::{DiskError, DurableStore};
use std::collections::VecDeque;

pub const LOG_PREFIX: &str = "queue/log/";
/// Records after a snapshot before the next compaction. Bigger means rarer O(state) snapshots
/// but a longer replay at boot.
pub const LOG_COMPACT_RECORDS: u64 = 4_096;

pub fn log_key(index: u64) -> String {
    format!("{LOG_PREFIX}{index:012}")
}

/// Where the log stands on disk: which keys exist and how many follow the snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueStore {
    /// Index of the oldest key still on disk.
    first_index: u64,
    /// Index the next record gets.
    next_index: u64,
    /// Records written since the newest snapshot (or since the log began).
    since_snapshot: u64,
    /// Records the disk refused (it was full), oldest first: written before any newer one.
    unwritten: VecDeque<QueueRecord>,
}

impl QueueStore {
    /// Rebuilds the queue from the log on `disk`. Refuses a log with a gap, an unreadable
    /// record or a record that does not fit the state before it, with the key at fault.
    pub fn load(disk: &DurableStore, cfg: QueueConfig) -> Result<(OrderQueue, QueueStore), String> {
        let mut store = QueueStore::default();
        let mut records: Vec<QueueRecord> = Vec::new();
        for (key, text) in disk.scan_prefix(LOG_PREFIX) {
            let index: u64 = key[LOG_PREFIX.len()..]
                .parse()
                .map_err(|_| format!("{key}: not a log key"))?;
            if !records.is_empty() && index != store.next_index {
                return Err(format!("{key}: the log has a gap before it"));
            }
            if records.is_empty() {
                store.first_index = index;
            }
            let record: QueueRecord =
                serde_json::from_str(text).map_err(|e| format!("{key}: unreadable record: {e}"))?;
            if matches!(record, QueueRecord::Snapshot(_)) {
                records.clear(); // superseded by the snapshot
                store.since_snapshot = 0;
            } else {
                store.since_snapshot += 1;
            }
            records.push(record);
            store.next_index = index + 1;
        }
        let q = OrderQueue::replay(&records, cfg)?;
        Ok((q, store))
    }

    /// Appends the queue's new records (after any the disk refused before); compacts when the
    /// log has grown past the bound. Returns the number of records appended (0: nothing
    /// changed, nothing written), or Err if the disk refused them: they wait here.
    pub fn append(
        &mut self,
        disk: &mut DurableStore,
        q: &mut OrderQueue,
    ) -> Result<usize, DiskError> {
        self.unwritten.extend(q.take_records());
        let mut appended = 0;
        while let Some(record) = self.unwritten.front() {
            disk.put(&log_key(self.next_index), record)?;
            self.unwritten.pop_front();
            self.next_index += 1;
            self.since_snapshot += 1;
            appended += 1;
        }
        if self.since_snapshot > LOG_COMPACT_RECORDS {
            self.compact(disk, q)?;
        }
        Ok(appended)
    }

    /// Writes a snapshot of `q`, then deletes every key before it.
    pub fn compact(&mut self, disk: &mut DurableStore, q: &OrderQueue) -> Result<(), DiskError> {
        let snapshot_index = self.next_index;
        disk.put(
            &log_key(snapshot_index),
            &QueueRecord::Snapshot(q.to_durable()),
        )?;
        self.next_index = snapshot_index + 1;
        self.since_snapshot = 0;
        while self.first_index < snapshot_index {
            disk.remove(&log_key(self.first_index))?;
            self.first_index += 1;
        }
        Ok(())
    }

    /// Keys on disk now.
    pub fn log_len(&self) -> u64 {
        self.next_index - self.first_index
    }
}

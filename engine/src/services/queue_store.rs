//! The queue node's disk: an append-only log of `QueueRecord`s, one durable key per record
//! (`queue/log/000000000123`), replayed at boot. Persisting an operation writes only its own
//! few records, so its cost does not grow with the run's history. When more than
//! `LOG_COMPACT_RECORDS` records follow the last snapshot, a snapshot of the whole state is
//! appended and every older key deleted: the snapshot costs O(state), once per that many
//! records, and the log and boot time stay bounded.
//!
//! The snapshot is written before the old keys are deleted (both in one `durable` call, which
//! the world applies at once): replay starts at the newest snapshot, so whichever order a real
//! disk finished them in, nothing is lost.

use crate::protocol::order_queue::{OrderQueue, QueueConfig, QueueRecord};
use crate::sim::node_state::DurableStore;

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

    /// Appends the queue's new records; compacts when the log has grown past the bound.
    /// Returns the number of records appended (0: nothing changed, nothing written).
    pub fn append(&mut self, disk: &mut DurableStore, q: &mut OrderQueue) -> usize {
        let records = q.take_records();
        for record in &records {
            disk.put(&log_key(self.next_index), record);
            self.next_index += 1;
            self.since_snapshot += 1;
        }
        if self.since_snapshot > LOG_COMPACT_RECORDS {
            self.compact(disk, q);
        }
        records.len()
    }

    /// Writes a snapshot of `q`, then deletes every key before it.
    pub fn compact(&mut self, disk: &mut DurableStore, q: &OrderQueue) {
        let snapshot_index = self.next_index;
        disk.put(
            &log_key(snapshot_index),
            &QueueRecord::Snapshot(q.to_durable()),
        );
        for index in self.first_index..snapshot_index {
            disk.remove(&log_key(index));
        }
        self.first_index = snapshot_index;
        self.next_index = snapshot_index + 1;
        self.since_snapshot = 0;
    }

    /// Keys on disk now.
    pub fn log_len(&self) -> u64 {
        self.next_index - self.first_index
    }
}

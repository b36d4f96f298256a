//! Raft's stable storage (shared by the executor and books-database clusters) in the node's
//! durable store: the hard state under one key, the newest snapshot under another and each log
//! entry after it under its own key, so a persist costs the entries it writes, not the whole
//! log, and a compaction deletes the keys its snapshot covers: the disk holds O(state + entries
//! since the snapshot), not the run's history.
//!
//! One `Ready::persist` is written inside one `NodeCtx::durable` call, so a crash keeps all of
//! it or none of it (`sim/disk.rs`: writes become durable in order, a step at a time).

use crate::protocol::raft::{Command, Entry, HardState, PersistOps, PersistentState, Snapshot};
use crate::sim::{DiskError, NodeCtx};

/// A driver snapshots its state machine once this many applied entries follow the last
/// snapshot. Bigger means rarer O(state) snapshots but a longer log, disk and restart replay.
pub const COMPACT_EVERY_ENTRIES: u64 = 4_096;

const HARD_STATE: &str = "raft/hard_state";
const SNAPSHOT: &str = "raft/snapshot";
/// The last index stored (the snapshot's when no entry follows it).
const LOG_LEN: &str = "raft/log_len";
/// The first entry index stored: the snapshot's last index + 1 (a small key, so a persist
/// need not parse the snapshot to find it).
const LOG_FIRST: &str = "raft/log_first";

fn entry_key(index: u64) -> String {
    format!("raft/log/{index:012}")
}

/// What this node persisted before its last crash (empty on the first boot).
pub fn load<C: Command>(ctx: &NodeCtx) -> Result<PersistentState<C>, String> {
    ctx.durable(|d| {
        let hard_state: HardState = d.get(HARD_STATE).unwrap_or_default();
        let snapshot: Option<Snapshot> = d.get(SNAPSHOT);
        let first = snapshot.as_ref().map_or(1, |s| s.last_index + 1);
        let len: u64 = d.get(LOG_LEN).unwrap_or(0);
        let mut log = Vec::new();
        for index in first..=len {
            let entry: Entry<C> = d
                .get(&entry_key(index))
                .ok_or_else(|| format!("raft log entry {index} of {len} is missing"))?;
            log.push(entry);
        }
        Ok(PersistentState {
            hard_state,
            snapshot,
            log,
        })
    })
}

/// Writes one `Ready::persist`: the snapshot (deleting the entries it covers), the hard state,
/// then the log suffix from `ops.log_from`. The
/// writes are in the page cache when this returns; the caller must `sync` before it sends
/// anything that promises them. A full disk refuses the first write, so nothing is half-done.
pub fn apply<C: Command>(ctx: &NodeCtx, ops: &PersistOps<C>) -> Result<(), String> {
    ctx.durable(|d| {
        let old_first: u64 = d.get(LOG_FIRST).unwrap_or(1);
        let new_first = ops
            .snapshot
            .as_ref()
            .map_or(old_first, |s| s.last_index + 1);
        let old_len: u64 = d.get(LOG_LEN).unwrap_or(0);
        let stored_len = old_len.max(new_first - 1);
        if ops.log_from < new_first || ops.log_from > stored_len + 1 {
            return Err(format!(
                "persist from index {} but entries {new_first}..={stored_len} are stored",
                ops.log_from
            ));
        }
        for (offset, entry) in ops.entries.iter().enumerate() {
            if entry.index != ops.log_from + offset as u64 {
                return Err(format!(
                    "entry {} written where {} was expected",
                    entry.index,
                    ops.log_from + offset as u64
                ));
            }
        }
        let write = |r: Result<(), DiskError>| r.map_err(|e| e.to_string());
        write(d.writable())?;
        if let Some(snapshot) = &ops.snapshot {
            write(d.put(SNAPSHOT, snapshot))?;
            write(d.put(LOG_FIRST, &new_first))?;
            for index in old_first..new_first.min(old_len + 1) {
                write(d.remove(&entry_key(index)))?;
            }
        }
        for index in ops.log_from..=stored_len {
            write(d.remove(&entry_key(index)))?;
        }
        for entry in &ops.entries {
            write(d.put(&entry_key(entry.index), entry))?;
        }
        write(d.put(LOG_LEN, &(ops.log_from - 1 + ops.entries.len() as u64)))?;
        write(d.put(HARD_STATE, &ops.hard_state))
    })
}

//! Raft's stable storage (shared by the executor and books-database clusters) in the node's durable store: the hard state under one key and each
//! log entry under its own key, so a persist costs the entries it writes, not the whole log.

use crate::protocol::raft::{Command, Entry, HardState, PersistOps, PersistentState};
use crate::sim::{DiskError, NodeCtx};

const HARD_STATE: &str = "raft/hard_state";
const LOG_LEN: &str = "raft/log_len";

fn entry_key(index: u64) -> String {
    format!("raft/log/{index:012}")
}

/// What this node persisted before its last crash (empty on the first boot).
pub fn load<C: Command>(ctx: &NodeCtx) -> Result<PersistentState<C>, String> {
    ctx.durable(|d| {
        let hard_state: HardState = d.get(HARD_STATE).unwrap_or_default();
        let len: u64 = d.get(LOG_LEN).unwrap_or(0);
        let mut log = Vec::new();
        for index in 1..=len {
            let entry: Entry<C> = d
                .get(&entry_key(index))
                .ok_or_else(|| format!("raft log entry {index} of {len} is missing"))?;
            log.push(entry);
        }
        Ok(PersistentState { hard_state, log })
    })
}

/// Writes one `Ready::persist`: the hard state, then the log suffix from `ops.log_from`. The
/// writes are in the page cache when this returns; the caller must `sync` before it sends
/// anything that promises them. A full disk refuses the first write, so nothing is half-done.
pub fn apply<C: Command>(ctx: &NodeCtx, ops: &PersistOps<C>) -> Result<(), String> {
    ctx.durable(|d| {
        let stored_len: u64 = d.get(LOG_LEN).unwrap_or(0);
        if ops.log_from == 0 || ops.log_from > stored_len + 1 {
            return Err(format!(
                "persist from index {} but entries 1..={stored_len} are stored",
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

//! Log compaction (§7 of the Raft paper, chapter 5 of Ongaro's thesis): once the state machine
//! has applied a prefix of the log, the driver hands the core a snapshot of its state at that
//! index and the core forgets the prefix. Without it the log, the disk holding it and a
//! restart's replay all grow with every order the cluster ever handled.
//!
//! The core does not know the state machine's shape: `data` is whatever the driver serialised
//! (JSON in this project) and gets back, byte for byte, on a restart or when a leader sends its
//! snapshot to a follower that lags behind the leader's compacted prefix (`InstallSnapshot`).
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Snapshot {
    /// The last log index the snapshot covers (its state has applied 1..=last_index).
    pub last_index: u64,
    /// The term of that entry, so the log's consistency check still works at its boundary.
    pub last_term: u64,
    /// The state machine after applying every entry through `last_index`.
    pub data: String,
}

//! The state a node must keep across crashes (term, vote, log), and its role.
use super::error::RaftError;
use super::log::Entry;
use super::ready::PersistOps;
use super::snapshot::Snapshot;
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Follower,
    /// Asking for pre-votes (thesis §9.6): the term is unchanged until a majority agrees.
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre-candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// The durable scalars of Raft: the latest term seen and whom this node voted for in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HardState {
    pub term: u64,
    pub voted_for: Option<NodeId>,
}

/// Everything a node must find again after a restart. The driver keeps one per node (its
/// simulated disk), updates it with [`PersistentState::apply`] and hands a copy to
/// `RaftNode::new` on restart.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersistentState<C> {
    pub hard_state: HardState,
    /// The newest snapshot (None: the log starts at index 1).
    pub snapshot: Option<Snapshot>,
    /// Entries with indexes S + 1, S + 2, ... in order, where S is the snapshot's last index
    /// (0 without one).
    pub log: Vec<Entry<C>>,
}

impl<C> Default for PersistentState<C> {
    fn default() -> Self {
        Self {
            hard_state: HardState::default(),
            snapshot: None,
            log: Vec::new(),
        }
    }
}

impl<C> PersistentState<C> {
    /// The last index the snapshot covers (0 without one).
    pub fn snapshot_index(&self) -> u64 {
        self.snapshot.as_ref().map_or(0, |s| s.last_index)
    }
}

impl<C: Clone> PersistentState<C> {
    /// A node that has never run: term 0, no vote, empty log.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Writes one `Ready::persist` to this "disk": the snapshot, if any, replacing every entry
    /// it covers; the new hard state; then drops every entry with index ≥ `ops.log_from` and
    /// appends `ops.entries`.
    pub fn apply(&mut self, ops: &PersistOps<C>) -> Result<(), RaftError> {
        if let Some(snapshot) = &ops.snapshot {
            let covered = snapshot.last_index.saturating_sub(self.snapshot_index()) as usize;
            self.log.drain(..covered.min(self.log.len()));
            self.snapshot = Some(snapshot.clone());
        }
        let first = self.snapshot_index() + 1;
        let stored_last = self.snapshot_index() + self.log.len() as u64;
        if ops.log_from < first || ops.log_from > stored_last + 1 {
            return Err(RaftError::CorruptPersistedState(format!(
                "persist starts at index {} but the disk holds entries {first}..={stored_last}",
                ops.log_from
            )));
        }
        for (offset, entry) in ops.entries.iter().enumerate() {
            if entry.index != ops.log_from + offset as u64 {
                return Err(RaftError::CorruptPersistedState(format!(
                    "persisted entry {} found where index {} was expected",
                    entry.index,
                    ops.log_from + offset as u64
                )));
            }
        }
        self.hard_state = ops.hard_state;
        self.log.truncate((ops.log_from - first) as usize);
        self.log.extend(ops.entries.iter().cloned());
        Ok(())
    }

    /// Checks that this is a log the core could have written: indexes S+1..n in order after a
    /// snapshot ending at S, terms never decreasing and never above the persisted term.
    pub fn validate(&self) -> Result<(), RaftError> {
        let mut prev_term = self.snapshot.as_ref().map_or(0, |s| s.last_term);
        if prev_term > self.hard_state.term {
            return Err(RaftError::CorruptPersistedState(format!(
                "snapshot of term {prev_term} above the current term {}",
                self.hard_state.term
            )));
        }
        for (position, entry) in self.log.iter().enumerate() {
            let expected = self.snapshot_index() + position as u64 + 1;
            let why = if entry.index != expected {
                format!(
                    "entry at position {position} has index {}, expected {expected}",
                    entry.index
                )
            } else if entry.term < prev_term {
                format!(
                    "entry {} has term {} after term {prev_term}",
                    entry.index, entry.term
                )
            } else if entry.term > self.hard_state.term {
                format!(
                    "entry {} has term {} above the current term {}",
                    entry.index, entry.term, self.hard_state.term
                )
            } else {
                prev_term = entry.term;
                continue;
            };
            return Err(RaftError::CorruptPersistedState(why));
        }
        Ok(())
    }
}

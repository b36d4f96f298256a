//! The state a node must keep across crashes (term, vote, log), and its role.
use super::error::RaftError;
use super::log::Entry;
use super::ready::PersistOps;
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
    /// Entries with indexes 1, 2, 3, ... in order.
    pub log: Vec<Entry<C>>,
}

impl<C> Default for PersistentState<C> {
    fn default() -> Self {
        Self {
            hard_state: HardState::default(),
            log: Vec::new(),
        }
    }
}

impl<C: Clone> PersistentState<C> {
    /// A node that has never run: term 0, no vote, empty log.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Writes one `Ready::persist` to this "disk": the new hard state, then drops every entry
    /// with index ≥ `ops.log_from` and appends `ops.entries`.
    pub fn apply(&mut self, ops: &PersistOps<C>) -> Result<(), RaftError> {
        let stored_last = self.log.len() as u64;
        if ops.log_from == 0 || ops.log_from > stored_last + 1 {
            return Err(RaftError::CorruptPersistedState(format!(
                "persist starts at index {} but the disk holds entries 1..={stored_last}",
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
        self.log.truncate((ops.log_from - 1) as usize);
        self.log.extend(ops.entries.iter().cloned());
        Ok(())
    }

    /// Checks that this is a log the core could have written: indexes 1..n in order, terms
    /// never decreasing and never above the persisted term.
    pub fn validate(&self) -> Result<(), RaftError> {
        let mut prev_term = 0;
        for (position, entry) in self.log.iter().enumerate() {
            let expected = position as u64 + 1;
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

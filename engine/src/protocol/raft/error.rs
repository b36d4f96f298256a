//! Errors of the Raft core. None of them panics: bad input is reported and ignored.
use crate::sim::NodeId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RaftError {
    InvalidConfig(String),
    InvalidMembership(String),
    /// The persisted term / vote / log handed to `RaftNode::new` or `PersistentState::apply`
    /// is not a log this core could have written.
    CorruptPersistedState(String),
    /// A message from a node that is not a member of this cluster (a wiring bug in the driver).
    UnknownSender(NodeId),
    /// A message that breaks the protocol's shape (e.g. non-contiguous entry indexes);
    /// it was ignored without changing any state.
    MalformedMessage(String),
    /// `compact` through an index the driver has not applied, or one already compacted.
    InvalidCompaction(String),
}

impl fmt::Display for RaftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RaftError::InvalidConfig(why) => write!(f, "invalid raft config: {why}"),
            RaftError::InvalidMembership(why) => write!(f, "invalid raft membership: {why}"),
            RaftError::CorruptPersistedState(why) => {
                write!(f, "corrupt persisted raft state: {why}")
            }
            RaftError::UnknownSender(id) => write!(f, "raft message from non-member {id}"),
            RaftError::MalformedMessage(why) => write!(f, "malformed raft message: {why}"),
            RaftError::InvalidCompaction(why) => write!(f, "invalid log compaction: {why}"),
        }
    }
}

impl std::error::Error for RaftError {}

/// `propose` on a node that is not the leader; `leader_hint` is the leader it last heard from
/// in its current term, if any, so a client can redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NotLeader {
    pub leader_hint: Option<NodeId>,
}

impl fmt::Display for NotLeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.leader_hint {
            Some(id) => write!(f, "not the leader; try {id}"),
            None => write!(f, "not the leader; no leader known"),
        }
    }
}

impl std::error::Error for NotLeader {}

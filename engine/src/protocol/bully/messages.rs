//! What Bully nodes say to each other, and what a node asks its driver to do.

use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

/// A message between executor nodes running the Bully election.
///
/// Every message carries an epoch so that the highest epoch anyone has seen spreads with the
/// ordinary traffic: a node that announces itself with a stale epoch is corrected within one
/// round trip (see `node.rs`), which keeps the epoch usable as a fencing token.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BullyMsg {
    /// "I am starting an election": sent only to nodes with a higher id.
    Election { epoch_seen: u64 },
    /// "I am alive and higher than you; I take over" (the paper's OK).
    Answer { epoch_seen: u64 },
    /// "I am the coordinator for `epoch`": broadcast once by the winner.
    Coordinator { epoch: u64 },
    /// The coordinator's periodic ping; followers that stop hearing it start an election.
    Heartbeat { epoch: u64 },
    /// "I won; stop whatever you are doing until I proclaim myself": sent by the winner to
    /// every lower node before its `Coordinator` (Garcia-Molina's halt phase). A leader that
    /// receives it stops leading at once, so two coordinators never act at the same time.
    Halt { epoch_seen: u64 },
    /// "I have stopped": the answer to `Halt`.
    HaltAck { epoch_seen: u64 },
}

impl BullyMsg {
    /// Short stable name for traces and the UI.
    pub fn label(&self) -> &'static str {
        match self {
            BullyMsg::Election { .. } => "bully.election",
            BullyMsg::Answer { .. } => "bully.answer",
            BullyMsg::Coordinator { .. } => "bully.coordinator",
            BullyMsg::Heartbeat { .. } => "bully.heartbeat",
            BullyMsg::Halt { .. } => "bully.halt",
            BullyMsg::HaltAck { .. } => "bully.halt_ack",
        }
    }

    /// The epoch this message carries (the highest the sender knew, or its leader's).
    pub fn epoch(&self) -> u64 {
        match self {
            BullyMsg::Election { epoch_seen }
            | BullyMsg::Answer { epoch_seen }
            | BullyMsg::Halt { epoch_seen }
            | BullyMsg::HaltAck { epoch_seen } => *epoch_seen,
            BullyMsg::Coordinator { epoch } | BullyMsg::Heartbeat { epoch } => *epoch,
        }
    }
}

/// Something the driver must carry out (or may show) after a call into a `BullyNode`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BullyOutput {
    /// Send `msg` to one node.
    Send { to: NodeId, msg: BullyMsg },
    /// Send `msg` to every other member.
    Broadcast { msg: BullyMsg },
    /// This node won: it leads with `epoch` (use it as the fencing token). The driver should
    /// persist `epoch` before sending anything else, and pass it to `BullyNode::recover`
    /// after a restart, so this node never claims the same epoch twice.
    BecameLeader { epoch: u64 },
    /// This node now follows `node`, which leads with `epoch`.
    LeaderIs { node: NodeId, epoch: u64 },
}

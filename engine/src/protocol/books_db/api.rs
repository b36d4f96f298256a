//! The database's wire vocabulary (seed 003's gRPC service, as simulated messages).
use super::command::{DbCommand, DbResult};
use crate::protocol::two_pc::Decision;
use crate::sim::NodeId;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DbRequest {
    /// Read / ReadStock. `replica = false` goes to the primary (strong); `true` is answered by
    /// whichever node receives it, from its own applied state (possibly stale).
    Read {
        book: String,
        replica: bool,
    },
    ReadAll {
        replica: bool,
    },
    GetStatus,
    /// A recorded 2PC decision (Bully / lease coordinators keep theirs here).
    ReadDecision {
        txn: String,
    },
    /// Write, DecrementStock / IncrementStock, Prepare / Commit / AbortTransaction,
    /// RecordDecision: through the primary, the per-key locks and the replicated log.
    Exec(DbCommand),
}

impl DbRequest {
    pub fn label(&self) -> &'static str {
        match self {
            DbRequest::Read { replica: false, .. } => "ReadStock",
            DbRequest::Read { replica: true, .. } => "ReplicaRead",
            DbRequest::ReadAll { .. } => "ReadAll",
            DbRequest::GetStatus => "GetStatus",
            DbRequest::ReadDecision { .. } => "ReadDecision",
            DbRequest::Exec(cmd) => cmd.label(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DbStatus {
    pub node: NodeId,
    pub role: String,
    pub term: u64,
    pub primary: Option<NodeId>,
    pub commit_index: u64,
    pub applied_index: u64,
    pub prepared: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DbReply {
    Stock {
        book: String,
        stock: Option<u32>,
        reserved: u32,
        applied_index: u64,
    },
    All {
        stock: BTreeMap<String, u32>,
        applied_index: u64,
    },
    Status(DbStatus),
    Decision(Option<Decision>),
    /// The write is replicated on a quorum and applied at `index`.
    Written {
        result: DbResult,
        index: u64,
    },
    /// This node is a backup: ask the primary (if it knows one).
    NotPrimary {
        hint: Option<NodeId>,
    },
}

impl DbReply {
    pub fn label(&self) -> &'static str {
        match self {
            DbReply::Stock { .. } => "Stock",
            DbReply::All { .. } => "AllStock",
            DbReply::Status(_) => "Status",
            DbReply::Decision(_) => "Decision",
            DbReply::Written {
                result: DbResult::Vote(crate::protocol::two_pc::Vote::Commit),
                ..
            } => "VoteCommit",
            DbReply::Written {
                result: DbResult::Vote(_),
                ..
            } => "VoteAbort",
            DbReply::Written {
                result: DbResult::Refused(_),
                ..
            } => "Refused",
            DbReply::Written { .. } => "Written",
            DbReply::NotPrimary { .. } => "NotPrimary",
        }
    }
}

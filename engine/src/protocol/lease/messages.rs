//! The lock protocol on the wire: an executor (client) asks the lock node (server).
//!
//! `req_id` is chosen by the client and echoed in the reply, so the client can tell which of
//! its requests a reply answers — and therefore when that request was sent (see `client.rs`).

use crate::sim::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeaseRequest {
    /// Redis `SET key client NX PX ttl`.
    Acquire {
        req_id: u64,
        key: String,
        ttl_us: u64,
    },
    /// Extend our own lock: only succeeds while we still hold it with `token`.
    Renew {
        req_id: u64,
        key: String,
        token: u64,
        ttl_us: u64,
    },
    /// Give the lock up early (graceful step-down).
    Release {
        req_id: u64,
        key: String,
        token: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeaseReply {
    /// The lock is ours; `token` is the fencing token to attach to every guarded action.
    Acquired {
        req_id: u64,
        token: u64,
    },
    /// Someone else holds it until `expires_at_us` on the server's clock (informational only:
    /// the client never compares a server time with its own clock).
    Held {
        req_id: u64,
        holder: NodeId,
        expires_at_us: u64,
    },
    Renewed {
        req_id: u64,
    },
    /// The lock expired or passed to someone else: stop acting as leader at once.
    Lost {
        req_id: u64,
    },
    Released {
        req_id: u64,
    },
    /// A release for a lock we did not hold (already expired or taken over): nothing changed.
    NotHolder {
        req_id: u64,
    },
    /// The request was malformed (key too long, ttl out of range, server full).
    Rejected {
        req_id: u64,
        reason: String,
    },
}

impl LeaseRequest {
    pub fn label(&self) -> &'static str {
        match self {
            LeaseRequest::Acquire { .. } => "lease.acquire",
            LeaseRequest::Renew { .. } => "lease.renew",
            LeaseRequest::Release { .. } => "lease.release",
        }
    }

    pub fn req_id(&self) -> u64 {
        match self {
            LeaseRequest::Acquire { req_id, .. }
            | LeaseRequest::Renew { req_id, .. }
            | LeaseRequest::Release { req_id, .. } => *req_id,
        }
    }
}

impl LeaseReply {
    pub fn label(&self) -> &'static str {
        match self {
            LeaseReply::Acquired { .. } => "lease.acquired",
            LeaseReply::Held { .. } => "lease.held",
            LeaseReply::Renewed { .. } => "lease.renewed",
            LeaseReply::Lost { .. } => "lease.lost",
            LeaseReply::Released { .. } => "lease.released",
            LeaseReply::NotHolder { .. } => "lease.not_holder",
            LeaseReply::Rejected { .. } => "lease.rejected",
        }
    }

    pub fn req_id(&self) -> u64 {
        match self {
            LeaseReply::Acquired { req_id, .. }
            | LeaseReply::Held { req_id, .. }
            | LeaseReply::Renewed { req_id }
            | LeaseReply::Lost { req_id }
            | LeaseReply::Released { req_id }
            | LeaseReply::NotHolder { req_id }
            | LeaseReply::Rejected { req_id, .. } => *req_id,
        }
    }
}

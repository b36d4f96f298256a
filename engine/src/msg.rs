//! Every message that crosses the simulated network. One enum so the trace, the page and the
//! runner can name any message; each protocol's own message type nests inside. No floats.

use crate::checkout::{CheckoutResponse, FieldError, SuggestedBook};
use crate::clock::VectorClock;
use crate::protocol::books_db::{DbCommand, DbReply, DbRequest};
use crate::protocol::bully::BullyMsg;
use crate::protocol::lease::{LeaseReply, LeaseRequest};
use crate::protocol::order_queue::{Lease, QueueEntry, QueueStatus};
use crate::protocol::payment::{PayReply, PayRequest};
use crate::protocol::raft::RaftMsg;
use crate::protocol::two_pc::{Decision, DecisionAnswer};
use serde::{Deserialize, Serialize};

/// The events of an order's validation DAG (seed 000): a ∥ b; c after a; d after b;
/// e after c and d; f after e.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DagEvent {
    VerifyItems,
    VerifyUserData,
    VerifyCardFormat,
    CheckUserData,
    CheckCardData,
    GetSuggestions,
}

impl DagEvent {
    pub const ALL: [DagEvent; 6] = [
        DagEvent::VerifyItems,
        DagEvent::VerifyUserData,
        DagEvent::VerifyCardFormat,
        DagEvent::CheckUserData,
        DagEvent::CheckCardData,
        DagEvent::GetSuggestions,
    ];

    /// The letter of the seed's diagram.
    pub fn letter(self) -> char {
        match self {
            DagEvent::VerifyItems => 'a',
            DagEvent::VerifyUserData => 'b',
            DagEvent::VerifyCardFormat => 'c',
            DagEvent::CheckUserData => 'd',
            DagEvent::CheckCardData => 'e',
            DagEvent::GetSuggestions => 'f',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DagEvent::VerifyItems => "VerifyItems",
            DagEvent::VerifyUserData => "VerifyUserData",
            DagEvent::VerifyCardFormat => "VerifyCreditCardFormat",
            DagEvent::CheckUserData => "CheckUserData",
            DagEvent::CheckCardData => "CheckCreditCardData",
            DagEvent::GetSuggestions => "GetSuggestions",
        }
    }

    /// Events that must finish (successfully) before this one may start.
    pub fn depends_on(self) -> &'static [DagEvent] {
        match self {
            DagEvent::VerifyItems | DagEvent::VerifyUserData => &[],
            DagEvent::VerifyCardFormat => &[DagEvent::VerifyItems],
            DagEvent::CheckUserData => &[DagEvent::VerifyUserData],
            DagEvent::CheckCardData => &[DagEvent::VerifyCardFormat, DagEvent::CheckUserData],
            DagEvent::GetSuggestions => &[DagEvent::CheckCardData],
        }
    }

    /// The service that runs it.
    pub fn service(self) -> &'static str {
        match self {
            DagEvent::VerifyItems | DagEvent::VerifyUserData | DagEvent::VerifyCardFormat => {
                "verification"
            }
            DagEvent::CheckUserData | DagEvent::CheckCardData => "fraud",
            DagEvent::GetSuggestions => "suggestions",
        }
    }
}

/// What a validator answers for one event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventOutcome {
    pub ok: bool,
    pub errors: Vec<FieldError>,
    pub suggestions: Vec<SuggestedBook>,
    /// Things worth showing that are not failures (low-confidence fraud flag, model fallback…).
    pub notes: Vec<String>,
}

/// How a validator took the final-clock broadcast.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClearOutcome {
    Cleared,
    /// The validator's clock for this order is not ≤ the final clock: cache kept, conflict flagged.
    Conflict {
        local: VectorClock,
    },
    UnknownOrder,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DequeueResult {
    Leased(Lease),
    Empty,
    Fenced { highest_term: u64 },
}

/// Commands replicated through the executor cluster's Raft log.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExecCommand {
    /// The order was executed by the leader of `term`; applying it twice is a no-op.
    Executed { order_id: String, term: u64 },
    /// The 2PC decision for `txn` (order `order_id`), recorded before phase 2. The first
    /// committed entry for a transaction wins; later ones are no-ops.
    Decided {
        txn: String,
        order_id: String,
        decision: Decision,
        term: u64,
    },
}

impl ExecCommand {
    /// The leader term the command was proposed in.
    pub fn term(&self) -> u64 {
        match self {
            ExecCommand::Executed { term, .. } | ExecCommand::Decided { term, .. } => *term,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Msg {
    Ping {
        seq: u64,
    },
    Pong {
        seq: u64,
    },

    // client ⇄ orchestrator
    Checkout {
        body: String,
    },
    CheckoutReply {
        response: CheckoutResponse,
    },

    // orchestrator ⇄ validators
    InitOrder {
        order_id: String,
        request: crate::checkout::CheckoutRequest,
        vc: VectorClock,
    },
    InitAck {
        order_id: String,
        vc: VectorClock,
    },
    RunEvent {
        order_id: String,
        event: DagEvent,
        vc: VectorClock,
    },
    EventDone {
        order_id: String,
        event: DagEvent,
        outcome: EventOutcome,
        vc: VectorClock,
    },
    ClearOrder {
        order_id: String,
        final_vc: VectorClock,
    },
    ClearAck {
        order_id: String,
        outcome: ClearOutcome,
    },

    // order queue
    Enqueue {
        entry: QueueEntry,
    },
    EnqueueReply {
        result: Result<u32, String>,
    },
    Dequeue {
        term: u64,
        /// Unique per executor: a retry after a lost reply repeats it and gets the same lease.
        request_id: u64,
    },
    DequeueReply {
        result: DequeueResult,
    },
    AckOrder {
        order_id: String,
        lease_id: u64,
        term: u64,
    },
    AckReply {
        result: Result<(), String>,
    },
    QueueStatusRequest,
    QueueStatusReply {
        status: QueueStatus,
    },

    // executor cluster
    Raft(RaftMsg<ExecCommand>),
    Bully(BullyMsg),
    LeaseReq(LeaseRequest),
    LeaseRep(LeaseReply),

    // books database cluster
    DbRaft(RaftMsg<DbCommand>),
    Db(DbRequest),
    DbReply(DbReply),

    // payment
    Pay(PayRequest),
    PayReply(PayReply),

    // 2PC: a participant in PREPARED asks the coordinator cluster for the outcome
    DecisionQuery {
        txn: String,
    },
    DecisionReply {
        txn: String,
        answer: DecisionAnswer,
    },
}

impl Msg {
    /// A short name for the trace and the page.
    pub fn label(&self) -> &'static str {
        match self {
            Msg::Ping { .. } => "Ping",
            Msg::Pong { .. } => "Pong",
            Msg::Checkout { .. } => "Checkout",
            Msg::CheckoutReply { .. } => "CheckoutReply",
            Msg::InitOrder { .. } => "InitOrder",
            Msg::InitAck { .. } => "InitAck",
            Msg::RunEvent { event, .. } => event.name(),
            Msg::EventDone { outcome, .. } => {
                if outcome.ok {
                    "EventOk"
                } else {
                    "EventFailed"
                }
            }
            Msg::ClearOrder { .. } => "ClearOrder",
            Msg::ClearAck { .. } => "ClearAck",
            Msg::Enqueue { .. } => "Enqueue",
            Msg::EnqueueReply { .. } => "EnqueueReply",
            Msg::Dequeue { .. } => "Dequeue",
            Msg::DequeueReply {
                result: DequeueResult::Leased(_),
            } => "Leased",
            Msg::DequeueReply {
                result: DequeueResult::Empty,
            } => "QueueEmpty",
            Msg::DequeueReply {
                result: DequeueResult::Fenced { .. },
            } => "Fenced",
            Msg::AckOrder { .. } => "AckOrder",
            Msg::AckReply { .. } => "AckReply",
            Msg::QueueStatusRequest => "QueueStatus?",
            Msg::QueueStatusReply { .. } => "QueueStatus",
            Msg::Raft(m) => m.label(),
            Msg::Bully(m) => m.label(),
            Msg::LeaseReq(m) => m.label(),
            Msg::LeaseRep(m) => m.label(),
            // Seed 003 calls the primary's replication RPC InternalReplicate.
            Msg::DbRaft(RaftMsg::AppendEntries { entries, .. }) if !entries.is_empty() => {
                "InternalReplicate"
            }
            Msg::DbRaft(RaftMsg::AppendReply { success: true, .. }) => "ReplicateAck",
            Msg::DbRaft(m) => m.label(),
            Msg::Db(r) => r.label(),
            Msg::DbReply(r) => r.label(),
            Msg::Pay(r) => r.label(),
            Msg::PayReply(r) => r.label(),
            Msg::DecisionQuery { .. } => "OutcomeQuery",
            Msg::DecisionReply { .. } => "Outcome",
        }
    }
}

//! The diagram's event types, and which trace records become local events.

use super::WorldClock;
use crate::facts::Fact;
use crate::sim::trace::{DropReason, TraceKind};
use crate::sim::{Micros, NodeId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StEvent {
    /// The trace record's sequence number (a stable id for selection and deep links).
    pub seq: u64,
    pub t_us: Micros,
    pub node: NodeId,
    /// The order this event belongs to (0 = none).
    pub corr: u64,
    pub kind: StKind,
    /// The world vector clock right after the event.
    pub clock: WorldClock,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StKind {
    Send {
        msg: u64,
        to: NodeId,
        label: &'static str,
        /// When the network means to deliver it (an on-wire arrow points there).
        deliver_at_us: Micros,
        fate: MsgFate,
    },
    Receive {
        msg: u64,
        from: NodeId,
        label: &'static str,
        /// The send event, when it is still held (None: sent before the diagram's memory).
        send_seq: Option<u64>,
    },
    Local {
        kind: LocalKind,
        /// For people (tooltips); never parsed.
        label: String,
    },
}

/// What became of a sent message so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgFate {
    OnWire,
    /// Received; the receive event's seq.
    Delivered(u64),
    Dropped(DropReason),
}

/// Local events by kind, so the page can give each its own shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    Crash,
    Restart,
    Pause,
    Resume,
    BecameLeader,
    SteppedDown,
    /// A checkout DAG event (a–f) ran.
    DagEvent,
    /// An order's status changed, it was dequeued or executed.
    Order,
    /// A 2PC transaction changed state.
    Txn,
    /// The books database applied, acknowledged or served something.
    Database,
    Payment,
    /// A service asked the optional LLM, used its answer, or fell back.
    Llm,
}

/// A mark where a message fell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StDrop {
    pub t_us: Micros,
    pub msg: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub label: &'static str,
    pub reason: DropReason,
    pub send_seq: Option<u64>,
}

/// The local event a trace record stands for, if it is one a reader cares about.
pub fn local(kind: &TraceKind) -> Option<(LocalKind, String)> {
    let event = match kind {
        TraceKind::Crash => (LocalKind::Crash, "crashed".to_string()),
        TraceKind::Restart { incarnation } => (
            LocalKind::Restart,
            format!("restarted (incarnation {incarnation})"),
        ),
        TraceKind::Pause => (LocalKind::Pause, "paused".to_string()),
        TraceKind::Resume => (LocalKind::Resume, "resumed".to_string()),
        TraceKind::Leader { cluster, term } => (
            LocalKind::BecameLeader,
            format!("leads {cluster} in term {term}"),
        ),
        TraceKind::StepDown { cluster, term } => (
            LocalKind::SteppedDown,
            format!("steps down in {cluster} (term {term})"),
        ),
        TraceKind::Event { name } => (LocalKind::DagEvent, name.clone()),
        TraceKind::Order { order_id, status } => (LocalKind::Order, format!("{order_id} {status}")),
        TraceKind::Dequeued { order_id, term, .. } => (
            LocalKind::Order,
            format!("{order_id} dequeued (term {term})"),
        ),
        TraceKind::Executed { order_id, term } => (
            LocalKind::Order,
            format!("{order_id} executed (term {term})"),
        ),
        TraceKind::Fact(fact) => (fact_kind(fact), fact.describe()),
        _ => return None,
    };
    Some(event)
}

fn fact_kind(fact: &Fact) -> LocalKind {
    match fact {
        Fact::Txn { .. } => LocalKind::Txn,
        Fact::Payment { .. } => LocalKind::Payment,
        Fact::DbApplied { .. }
        | Fact::StockChanged { .. }
        | Fact::DbAcked { .. }
        | Fact::ReadIssued { .. }
        | Fact::ReadAnswered { .. } => LocalKind::Database,
        Fact::LlmAsked { .. } | Fact::LlmSettled { .. } => LocalKind::Llm,
    }
}

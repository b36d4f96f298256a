//! A receipt for every fault: what it actually did, measured from the trace in a fixed window
//! after it, and a warning when it did nothing at all.
//!
//! Why a window and not causality: the trace does not say which fault caused a drop or an
//! election, and two faults close together share the blame. What a receipt can say honestly
//! is "in the 5 s after this fault, this much happened that a fault of this kind causes":
//! messages dropped *for the reason this fault gives* (a partition's drops are "partition"
//! drops, a crash's are "sender/receiver down"), messages duplicated, elections won, leaders
//! stepping down, transactions aborted, orders the queue handed out again (redelivered) and
//! RPC replies that came back after their caller gave up (a request that timed out and is
//! retried or abandoned). All zero means the fault was inert — a crash of an idle validator,
//! a partition that split no conversation — and the receipt warns, so nobody mistakes an
//! inert fault for resilience.

use crate::facts::Fact;
use crate::protocol::two_pc::TxnState;
use crate::sim::trace::{DropReason, TraceEvent, TraceKind};
use crate::sim::Micros;
use crate::system::inputs::{Action, TimedInput};
use serde::Serialize;

/// How long after a fault its effects are counted.
pub const RECEIPT_WINDOW_MS: u64 = 5_000;

/// Which drops a fault is credited with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropsCounted {
    /// Sender or receiver down (crash, pause, torn disk).
    NodeDown,
    Partition,
    LinkCut,
    Loss,
    /// Every drop but a late reply (latency, clocks, disks, models: they drop nothing
    /// themselves, but what they slow down may be cut off elsewhere).
    Any,
}

impl DropsCounted {
    fn counts(self, reason: DropReason) -> bool {
        match self {
            DropsCounted::NodeDown => {
                matches!(reason, DropReason::SenderDown | DropReason::ReceiverDown)
            }
            DropsCounted::Partition => reason == DropReason::Partition,
            DropsCounted::LinkCut => reason == DropReason::LinkCut,
            DropsCounted::Loss => reason == DropReason::Loss,
            DropsCounted::Any => reason != DropReason::NoCaller,
        }
    }
}

/// What happened in a receipt's window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Effects {
    pub messages_dropped: u64,
    pub messages_duplicated: u64,
    pub messages_held: u64,
    pub elections: u64,
    pub step_downs: u64,
    pub transactions_aborted: u64,
    pub orders_redelivered: u64,
    pub rpcs_timed_out: u64,
    /// During a model outage: checks the model's service answered (by rules alone).
    pub answered_without_model: u64,
}

impl Effects {
    pub fn is_none(&self) -> bool {
        *self == Effects::default()
    }
}

/// One fault's receipt: a typed observation (the report and the page read it as is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub at_ms: u64,
    /// The input's verb ("crash", "partition", …) and the input itself, as a scenario writes it.
    pub verb: String,
    pub input: String,
    /// True for a fault that breaks something; false for one that undoes (restart, heal, loss 0).
    pub injects: bool,
    pub counts_drops: DropsCounted,
    /// The service whose answers count as degraded (a model outage's node).
    #[serde(skip)]
    degraded_node: Option<crate::sim::NodeId>,
    pub window_ms: u64,
    pub effects: Effects,
    /// True once the window has passed (the counts are final).
    pub closed: bool,
    /// Set when a fault that injects something had no effect at all in its window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// The receipts of one run, in the order the faults were applied.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub receipts: Vec<Receipt>,
    /// Receipts before this index are closed (windows are equal, so they close in order).
    first_open: usize,
}

/// Whether `action` is a fault verb, and whether it breaks something (vs undoes).
fn classify(action: &Action) -> Option<(bool, DropsCounted)> {
    use DropsCounted::*;
    Some(match action {
        Action::Checkout(_)
        | Action::StockReads(_)
        | Action::DeclineRate { .. }
        | Action::Llm { .. }
        | Action::LlmReply { .. }
        | Action::Nemesis(_) => return None,
        Action::Crash(_) | Action::Pause(_) | Action::CrashLeader(_) | Action::CorruptDisk(_) => {
            (true, NodeDown)
        }
        Action::Restart(_) | Action::Resume(_) | Action::RestartCrashed => (false, NodeDown),
        Action::Partition(_) | Action::PartitionOneWay(..) | Action::IsolateLeader(_) => {
            (true, Partition)
        }
        Action::Cut(..) | Action::Hold(..) => (true, LinkCut),
        Action::Heal | Action::HealLink(..) | Action::Release(..) => (false, Any),
        Action::Loss(p) => (*p > 0.0, Loss),
        Action::Duplicate(p) => (*p > 0.0, Any),
        Action::Reorder(on) => (*on, Any),
        Action::Latency { .. } => (true, Any),
        Action::Slow { extra_ms, .. } => (*extra_ms > 0, Any),
        Action::Clock {
            drift_ppm, skew_ms, ..
        } => (*drift_ppm != 0 || skew_ms.is_some(), Any),
        Action::ModelOutage { on, .. } | Action::DiskFull { on, .. } => (*on, Any),
    })
}

impl Ledger {
    /// Opens a receipt for `input` if it is a fault verb, carried out at `now` in `world`.
    pub fn open(&mut self, input: &TimedInput, now: Micros, world: &crate::sim::World) {
        let Some((injects, counts_drops)) = classify(&input.action) else {
            return;
        };
        let json = input.to_json();
        let verb = json
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "at_ms" && *k != "when").cloned())
            .unwrap_or_default();
        let degraded_node = match &input.action {
            Action::ModelOutage { model, on: true } => world.node_id(model),
            _ => None,
        };
        self.receipts.push(Receipt {
            at_ms: now / 1000,
            verb,
            input: json.to_string(),
            injects,
            counts_drops,
            degraded_node,
            window_ms: RECEIPT_WINDOW_MS,
            effects: Effects::default(),
            closed: false,
            warning: None,
        });
    }

    /// Credits `ev` to every open receipt whose window covers it; closes the ones it passed.
    pub fn observe(&mut self, ev: &TraceEvent) {
        while let Some(r) = self.receipts.get_mut(self.first_open) {
            if ev.t_us <= (r.at_ms + r.window_ms) * 1000 {
                break;
            }
            close(r);
            self.first_open += 1;
        }
        for r in &mut self.receipts[self.first_open..] {
            if ev.t_us >= r.at_ms * 1000 {
                credit(&mut r.effects, r.counts_drops, ev);
                if r.degraded_node == Some(ev.node) && matches!(ev.kind, TraceKind::Event { .. }) {
                    r.effects.answered_without_model += 1;
                }
            }
        }
    }

    /// Closes every receipt (the end of a run): a window cut short still counts what it saw.
    pub fn close_all(&mut self) {
        for r in &mut self.receipts[self.first_open..] {
            close(r);
        }
        self.first_open = self.receipts.len();
    }

    /// Receipts of faults that had no effect at all.
    pub fn inert(&self) -> impl Iterator<Item = &Receipt> {
        self.receipts.iter().filter(|r| r.warning.is_some())
    }
}

fn close(r: &mut Receipt) {
    r.closed = true;
    if r.injects && r.effects.is_none() {
        r.warning = Some(format!(
            "no effect: in the {} ms after it, no message was dropped, duplicated or held, no leader changed, no transaction aborted, no order redelivered, no request timed out and no check answered without its model",
            r.window_ms
        ));
    }
}

fn credit(e: &mut Effects, drops: DropsCounted, ev: &TraceEvent) {
    match &ev.kind {
        TraceKind::Drop {
            reason: DropReason::NoCaller,
            ..
        } => e.rpcs_timed_out += 1,
        TraceKind::Drop { reason, .. } if drops.counts(*reason) => e.messages_dropped += 1,
        TraceKind::Duplicate { .. } => e.messages_duplicated += 1,
        TraceKind::Held { .. } => e.messages_held += 1,
        TraceKind::Leader { .. } => e.elections += 1,
        TraceKind::StepDown { .. } => e.step_downs += 1,
        TraceKind::Order { status, .. } if status == "redelivered" => e.orders_redelivered += 1,
        TraceKind::Fact(f) => {
            if matches!(
                f.as_ref(),
                Fact::Txn {
                    state: TxnState::Aborted,
                    ..
                }
            ) {
                e.transactions_aborted += 1;
            }
        }
        _ => {}
    }
}

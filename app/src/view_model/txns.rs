//! The 2PC transactions as plain Rust, from the snapshot's typed `Fact::Txn` events (never
//! from log text): one row per transaction with its state, abort reason in words and the time
//! of each phase, and the steps an order's journey shows after it leaves the queue.
use crate::view_model::orders::{fate, journey, Fate, JourneyStep, StepState};
use engine::protocol::two_pc::TxnState;
use engine::sim::{Micros, NodeId};
use engine::snapshot::txns::TxnEvent;
use engine::snapshot::Snapshot;

/// Rows the transactions table draws (newest first).
pub const TXN_ROWS: usize = 60;

/// One transaction: where it stands and when each phase began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnRow {
    pub txn: String,
    pub order_id: String,
    /// The coordinator that recorded the latest change.
    pub coordinator: NodeId,
    pub state: TxnState,
    /// Why it aborted, in words.
    pub reason: Option<String>,
    pub started_us: Option<Micros>,
    pub prepare_us: Option<Micros>,
    /// When the decision (commit or abort) was taken.
    pub decided_us: Option<Micros>,
    /// When every participant acknowledged phase 2.
    pub finished_us: Option<Micros>,
}

impl TxnRow {
    fn new(e: &TxnEvent) -> Self {
        TxnRow {
            txn: e.txn.clone(),
            order_id: e.order_id.clone(),
            coordinator: e.node,
            state: e.state,
            reason: None,
            started_us: None,
            prepare_us: None,
            decided_us: None,
            finished_us: None,
        }
    }

    /// Folds in one state change; each phase keeps the first time it was reached (a new
    /// coordinator finishing an orphan repeats states).
    fn absorb(&mut self, e: &TxnEvent) {
        self.state = e.state;
        self.coordinator = e.node;
        if let Some(r) = &e.reason {
            self.reason = Some(r.to_string());
        }
        let slot = match e.state {
            TxnState::Started => &mut self.started_us,
            TxnState::Preparing => &mut self.prepare_us,
            TxnState::Committing | TxnState::Aborting => &mut self.decided_us,
            TxnState::Committed | TxnState::Aborted => &mut self.finished_us,
        };
        slot.get_or_insert(e.t_us);
    }

    /// "committed", "aborting", …
    pub fn state_word(&self) -> String {
        self.state.as_str().to_lowercase()
    }

    /// The CSS modifier for the state.
    pub fn state_class(&self) -> &'static str {
        match self.state {
            TxnState::Committed | TxnState::Committing => "is-committed",
            TxnState::Aborted => "is-aborted",
            TxnState::Aborting => "is-aborting",
            TxnState::Started | TxnState::Preparing => "is-open",
        }
    }

    pub fn aborted(&self) -> bool {
        matches!(self.state, TxnState::Aborting | TxnState::Aborted)
    }
}

/// Every transaction in `events` (oldest first), in the order they started.
pub fn txn_rows(events: &[TxnEvent]) -> Vec<TxnRow> {
    let mut rows: Vec<TxnRow> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in events {
        let i = *index.entry(e.txn.as_str()).or_insert_with(|| {
            rows.push(TxnRow::new(e));
            rows.len() - 1
        });
        rows[i].absorb(e);
    }
    rows
}

/// The newest `TXN_ROWS` transactions, newest first.
pub fn recent_txns(events: &[TxnEvent]) -> Vec<TxnRow> {
    let mut rows = txn_rows(events);
    rows.reverse();
    rows.truncate(TXN_ROWS);
    rows
}

/// The transaction of one order, if it has started.
pub fn order_txn(events: &[TxnEvent], order_id: &str) -> Option<TxnRow> {
    let mine: Vec<TxnEvent> = events
        .iter()
        .filter(|e| e.order_id == order_id)
        .cloned()
        .collect();
    txn_rows(&mine).pop()
}

/// The journey's steps for the two-phase commit: prepare → decision → commit or abort.
pub fn txn_steps(row: Option<&TxnRow>, coordinator: impl Fn(NodeId) -> String) -> Vec<JourneyStep> {
    let Some(t) = row else {
        return vec![
            step(
                "Prepare",
                "stock and payment asked to vote",
                None,
                StepState::Todo,
            ),
            step(
                "Decision",
                "commit only if both vote yes",
                None,
                StepState::Todo,
            ),
        ];
    };
    let prepare = match t.prepare_us {
        Some(at) if t.decided_us.is_none() => step(
            "Prepare",
            &format!(
                "{} asked stock and payment to vote",
                coordinator(t.coordinator)
            ),
            Some(at),
            StepState::Active,
        ),
        Some(at) => step(
            "Prepare",
            "stock and payment voted",
            Some(at),
            StepState::Done,
        ),
        None => step(
            "Prepare",
            &format!("{} started {}", coordinator(t.coordinator), t.txn),
            t.started_us,
            StepState::Active,
        ),
    };
    let because = t
        .reason
        .as_deref()
        .map(|r| format!(" — {r}"))
        .unwrap_or_default();
    let decision = match (t.decided_us, t.aborted()) {
        (Some(at), true) => step(
            "Decision",
            &format!("abort{because}"),
            Some(at),
            StepState::Failed,
        ),
        (Some(at), false) => step(
            "Decision",
            "commit: every participant voted yes",
            Some(at),
            StepState::Done,
        ),
        (None, _) => step(
            "Decision",
            "commit only if both vote yes",
            None,
            StepState::Todo,
        ),
    };
    let outcome = match (t.state, t.finished_us) {
        (TxnState::Committed, at) => step(
            "Committed",
            "stock taken and payment captured on every participant",
            at,
            StepState::Done,
        ),
        (TxnState::Aborted, at) => step(
            "Aborted",
            &format!("reservations released{because}"),
            at,
            StepState::Failed,
        ),
        (TxnState::Committing, _) => step(
            "Committing",
            "phase 2: telling every participant to commit",
            None,
            StepState::Active,
        ),
        (TxnState::Aborting, _) => step(
            "Aborting",
            "phase 2: telling every participant to abort",
            None,
            StepState::Active,
        ),
        _ => step(
            "Outcome",
            "commit or abort on every participant",
            None,
            StepState::Todo,
        ),
    };
    vec![prepare, decision, outcome]
}

/// Whether this deployment runs the fulfilment half (a books database).
pub fn has_fulfilment(s: &Snapshot) -> bool {
    s.nodes.iter().any(|n| n.service == "books-db")
}

/// An order's overall state, its 2PC transaction included.
pub fn order_fate(s: &Snapshot, order_id: &str) -> Option<Fate> {
    let order = s.orders.iter().find(|o| o.order_id == order_id)?;
    Some(fate(
        order,
        s.queue.as_ref(),
        s.tracks.get(order_id).map(|t| &**t),
        order_txn(&s.txns, order_id).as_ref(),
    ))
}

/// An order's whole journey: validation, queue, lease, then (with a database) the two-phase
/// commit's prepare, decision and outcome, then execution.
pub fn order_journey(s: &Snapshot, order_id: &str) -> Vec<JourneyStep> {
    let Some(order) = s.orders.iter().find(|o| o.order_id == order_id) else {
        return Vec::new();
    };
    let two_pc = if has_fulfilment(s) {
        let name = |id: NodeId| {
            s.nodes
                .iter()
                .find(|n| n.id == id)
                .map_or_else(|| format!("node {}", id.0), |n| n.name.clone())
        };
        txn_steps(order_txn(&s.txns, order_id).as_ref(), name)
    } else {
        Vec::new()
    };
    let track = s.tracks.get(order_id).map(|t| &**t);
    journey(order, s.queue.as_ref(), track, &two_pc, s.now_us)
}

fn step(label: &str, detail: &str, t_us: Option<Micros>, state: StepState) -> JourneyStep {
    JourneyStep {
        label: label.into(),
        detail: detail.into(),
        t_us,
        state,
    }
}

#[cfg(test)]
#[path = "txns_tests.rs"]
mod tests;

//! Every event ticks its clock: within one order, each traced event that carries a vector
//! clock carries one strictly greater than the previous clocked event of the same order on the
//! same node, and no two clocked events of the order carry the same clock.
//! Fidge 1988 and Mattern 1989 (each event increments its own entry; a receive first takes the
//! element-wise maximum); seed 000 ("each event updates and propagates vector clocks").
//!
//! Why a second clock checker beside `dag_causality.rs`: that one compares only the six DAG
//! events along the DAG's edges. An orchestrator that ticks once per order passes it, yet its
//! "validated" event carries exactly the clock of GetSuggestions at the suggestions service
//! (and "received" the clock of CheckoutReceived), so a causal cone read off these clocks would
//! call two different events equal. Both halves of this check catch that.
//!
//! What it deliberately does not follow: message edges. The trace records a delivery when the
//! message reaches the node, not when its task takes it in — a paused node, or a validator
//! waiting on the LLM, processes its inbox later, and an RPC whose deadline fires at the
//! instant its answer lands never merges it — so "the receiver's next event must know what the
//! message carried" is not something the trace can state soundly (a first version did, and
//! raised false alarms in 20 % of the swarm's seeds). Program order is exact: each service keeps
//! one clock per order and only ever merges into it. A crash wipes what a node knew (its
//! per-order clocks die with it), so its program order restarts.

use super::Invariant;
use crate::clock::VectorClock;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::NodeId;
use crate::system::observer::Observer;
use std::collections::{BTreeMap, BTreeSet};

pub const NAME: &str = "every event ticks its clock";

/// Orders whose clocks are remembered; the oldest correlation ids are forgotten first.
const MAX_ORDERS: usize = 512;

#[derive(Default)]
pub struct ClocksTick {
    /// (order's corr, node) → the clock of the node's last clocked event for the order.
    last: BTreeMap<(u64, NodeId), VectorClock>,
    /// Order's corr → every clock its events carried so far, written out (a clock prints its
    /// entries in process order, so equal clocks print alike), with the first event's seq.
    seen: BTreeMap<u64, BTreeMap<String, u64>>,
    /// The correlation ids remembered, to forget the oldest order whole.
    orders: BTreeSet<u64>,
}

impl ClocksTick {
    /// Remembers `corr`, forgetting the oldest order once there are too many (rare: once per
    /// new order, so the scan of `last` does not run on every event).
    fn remember(&mut self, corr: u64) {
        if self.orders.insert(corr) && self.orders.len() > MAX_ORDERS {
            if let Some(oldest) = self.orders.pop_first() {
                self.last.retain(|k, _| k.0 != oldest);
                self.seen.remove(&oldest);
            }
        }
    }

    fn judge(&mut self, ev: &TraceEvent, vc: &VectorClock) -> Option<String> {
        let key = (ev.corr, ev.node);
        let mut broken = None;
        if let Some(before) = self.last.get(&key) {
            if !before.happened_before(vc) {
                broken = Some(format!(
                    "order c{}: {} at node {} has clock {vc}, not after {before}, the clock of the order's previous event there",
                    ev.corr,
                    what(&ev.kind),
                    ev.node.0
                ));
            }
        }
        let seen = self.seen.entry(ev.corr).or_default();
        let written = vc.to_string();
        if let Some(first) = seen.get(&written) {
            broken.get_or_insert_with(|| {
                format!(
                    "order c{}: {} at node {} repeats the clock {vc} of event #{first} (no tick)",
                    ev.corr,
                    what(&ev.kind),
                    ev.node.0
                )
            });
        } else {
            seen.insert(written, ev.seq);
        }
        self.last.insert(key, vc.clone());
        broken
    }
}

fn what(kind: &TraceKind) -> String {
    match kind {
        TraceKind::Event { name } => name.clone(),
        TraceKind::Order { order_id, status } => format!("{order_id} {status}"),
        other => other.name().to_string(),
    }
}

impl Invariant for ClocksTick {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        "Fidge 1988; Mattern 1989 (every event ticks; receive = max, then tick); seed 000"
    }

    fn check(&mut self, ev: &TraceEvent, _: &Observer) -> Option<String> {
        if matches!(ev.kind, TraceKind::Crash) {
            self.last.retain(|k, _| k.1 != ev.node);
            return None;
        }
        match (&ev.vc, ev.corr) {
            (Some(vc), corr) if corr != 0 => {
                self.remember(corr);
                self.judge(ev, vc)
            }
            _ => None,
        }
    }
}

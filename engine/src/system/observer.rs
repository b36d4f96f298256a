//! Facts derived from the trace, incrementally: who led which cluster when, which orders were
//! dequeued and executed. The report, the invariants and the page all read these instead of
//! asking services, so they see exactly what happened on the wire.

use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeaderSpan {
    pub cluster: String,
    pub term: u64,
    pub node: NodeId,
    pub from_us: Micros,
    /// None while still leading.
    pub to_us: Option<Micros>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DequeueFact {
    pub order_id: String,
    pub executor: NodeId,
    pub term: u64,
    pub lease_id: u64,
    pub t_us: Micros,
}

#[derive(Clone, Debug, Default)]
pub struct Observer {
    pub leaders: Vec<LeaderSpan>,
    pub dequeues: Vec<DequeueFact>,
    /// Order id → (execution count, first time).
    pub executed: BTreeMap<String, (u32, Micros)>,
    /// Order id → last lifecycle status seen ("received", "approved", "enqueued", …).
    pub order_status: BTreeMap<String, String>,
    seen: u64,
}

impl Observer {
    /// Events not yet observed (by sequence number).
    pub fn next_seq(&self) -> u64 {
        self.seen
    }

    pub fn observe(&mut self, ev: &TraceEvent) {
        self.seen = ev.seq + 1;
        match &ev.kind {
            TraceKind::Leader { cluster, term } => {
                self.leaders.push(LeaderSpan { cluster: cluster.clone(), term: *term, node: ev.node, from_us: ev.t_us, to_us: None });
            }
            TraceKind::StepDown { cluster, .. } => self.close(|s| &s.cluster == cluster && s.node == ev.node, ev.t_us),
            TraceKind::Crash => self.close(|s| s.node == ev.node, ev.t_us),
            TraceKind::Dequeued { order_id, executor, term, lease_id } => self.dequeues.push(DequeueFact {
                order_id: order_id.clone(),
                executor: *executor,
                term: *term,
                lease_id: *lease_id,
                t_us: ev.t_us,
            }),
            TraceKind::Executed { order_id, .. } => {
                let e = self.executed.entry(order_id.clone()).or_insert((0, ev.t_us));
                e.0 += 1;
            }
            TraceKind::Order { order_id, status } => {
                self.order_status.insert(order_id.clone(), status.clone());
            }
            _ => {}
        }
    }

    fn close(&mut self, matches: impl Fn(&LeaderSpan) -> bool, t: Micros) {
        for span in self.leaders.iter_mut().filter(|s| s.to_us.is_none()) {
            if matches(span) {
                span.to_us = Some(t);
            }
        }
    }

    /// The span of `node` leading `cluster` in `term`, if it ever did.
    pub fn led(&self, cluster: &str, term: u64, node: NodeId) -> Option<&LeaderSpan> {
        self.leaders.iter().find(|s| s.cluster == cluster && s.term == term && s.node == node)
    }

    /// Who leads `cluster` now according to the trace (the newest open span).
    pub fn current_leader(&self, cluster: &str) -> Option<&LeaderSpan> {
        self.leaders.iter().rev().find(|s| s.cluster == cluster && s.to_us.is_none())
    }
}

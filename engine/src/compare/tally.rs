//! Counts from the trace as it is written: messages sent and dropped, leader changes, and the
//! time each replicated cluster spent with no node leading it.
//!
//! "Without a leader" starts when the node leading a cluster steps down or crashes and ends at
//! the next `Leader` event of that cluster. A newer leader elected while an old one still
//! believes it leads ends the gap at once (the old one's later step-down changes nothing).

use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use crate::system::System;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterGaps {
    /// Who leads now, and since when nobody has (when nobody does).
    leader: Option<NodeId>,
    leaderless_since_us: Micros,
    pub leaderless_us: Micros,
    pub elections_won: u32,
    /// Who led when: the first `MAX_SPANS` reigns, for drawing the two runs' lanes.
    pub spans: Vec<Reign>,
}

/// One node's time as a cluster's leader; `to_us` None while it still leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reign {
    pub node: NodeId,
    pub term: u64,
    pub from_us: Micros,
    pub to_us: Option<Micros>,
}

/// Reigns kept per cluster (a long run with a flapping leader would otherwise grow without
/// bound; the leaderless total above stays exact regardless).
pub const MAX_SPANS: usize = 1_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: u64,
    pub dropped: u64,
    pub clusters: BTreeMap<String, ClusterGaps>,
}

impl Tally {
    fn observe(&mut self, ev: &TraceEvent) {
        match &ev.kind {
            TraceKind::Send { .. } => self.sent += 1,
            TraceKind::Drop { .. } => self.dropped += 1,
            TraceKind::Leader { cluster, term } => {
                let gaps = self.clusters.entry(cluster.clone()).or_default();
                if gaps.leader.is_none() {
                    gaps.leaderless_us += ev.t_us - gaps.leaderless_since_us;
                }
                gaps.end_reign(ev.t_us);
                gaps.leader = Some(ev.node);
                gaps.elections_won += 1;
                if gaps.spans.len() < MAX_SPANS {
                    gaps.spans.push(Reign {
                        node: ev.node,
                        term: *term,
                        from_us: ev.t_us,
                        to_us: None,
                    });
                }
            }
            TraceKind::StepDown { cluster, .. } => {
                if let Some(gaps) = self.clusters.get_mut(cluster) {
                    gaps.lose(ev.node, ev.t_us);
                }
            }
            TraceKind::Crash => {
                for gaps in self.clusters.values_mut() {
                    gaps.lose(ev.node, ev.t_us);
                }
            }
            _ => {}
        }
    }

    /// Leaderless time of `cluster` up to `end_us` (from time 0 if it never had a leader).
    pub fn leaderless_us(&self, cluster: &str, end_us: Micros) -> Micros {
        match self.clusters.get(cluster) {
            None => end_us,
            Some(g) if g.leader.is_none() => {
                g.leaderless_us + end_us.saturating_sub(g.leaderless_since_us)
            }
            Some(g) => g.leaderless_us,
        }
    }
}

impl ClusterGaps {
    fn lose(&mut self, node: NodeId, t_us: Micros) {
        if self.leader == Some(node) {
            self.end_reign(t_us);
            self.leader = None;
            self.leaderless_since_us = t_us;
        }
    }

    /// Closes the open reign (if any) at `t_us`.
    fn end_reign(&mut self, t_us: Micros) {
        if let Some(open) = self.spans.last_mut().filter(|r| r.to_us.is_none()) {
            open.to_us = Some(t_us);
        }
    }
}

/// Starts counting `sys`'s trace from now on (before it has run: from time 0).
pub fn install(sys: &mut System) -> Rc<RefCell<Tally>> {
    let tally = Rc::new(RefCell::new(Tally::default()));
    let sink = tally.clone();
    sys.world_mut()
        .set_trace_sink(Some(Box::new(move |ev| sink.borrow_mut().observe(ev))));
    tally
}

//! Lease exclusion: at most one executor acts as lease holder at any moment of true time.
//! Gray & Cheriton, "Leases: An Efficient Fault-Tolerant Mechanism for Distributed File Cache
//! Consistency" (SOSP 1989): a lease is only as safe as the bound on how far the holder's and
//! the server's clocks can disagree in rate; `protocol/lease/client.rs` states that bound
//! (safety margin ≥ (client drift + server drift) × ttl). Checked only in lease-lock worlds:
//! Raft and Bully make no such promise (a deposed Raft leader may believe it leads until it
//! hears of the new term), and there the fencing checks carry safety alone.
//!
//! What "acts" means, from the trace alone: an executor holds from its `Leader` event until its
//! `StepDown` or `Crash`, except while paused — a paused node does nothing, and its step-down
//! is only written when it runs again (at the same instant it resumes, if its own clock says the
//! lease ran out meanwhile). Holding sets are judged over each stretch of true time between two
//! events, never at a single instant: events of one instant are written one after the other
//! (a resume, then the step-down it causes), and a moment of zero length is not a moment.

use super::leader_only_dequeues::EXECUTOR_CLUSTER;
use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{fmt_secs, Micros, NodeId};
use crate::system::observer::Observer;
use std::collections::{BTreeMap, BTreeSet};

pub const NAME: &str = "one lease holder at a time";
pub const SOURCE: &str =
    "Gray & Cheriton 1989 (leases, bounded clock drift); lease/client.rs margin bound";

#[derive(Default)]
pub struct LeaseExclusion {
    /// Executors that believe they hold the lease, with their fencing token.
    holding: BTreeMap<NodeId, u64>,
    paused: BTreeSet<NodeId>,
    /// The true time of the last event: the sets above have held since then.
    since_us: Micros,
    /// The overlap going on now was already reported (once per overlap, not per event).
    reported: bool,
}

impl LeaseExclusion {
    fn acting(&self) -> Vec<(NodeId, u64)> {
        self.holding
            .iter()
            .filter(|(n, _)| !self.paused.contains(n))
            .map(|(n, t)| (*n, *t))
            .collect()
    }

    /// The verdict on the stretch [since_us, until_us) of true time.
    fn judge(&mut self, until_us: Micros) -> Option<String> {
        let acting = self.acting();
        if acting.len() < 2 {
            self.reported = false;
            return None;
        }
        if std::mem::replace(&mut self.reported, true) {
            return None;
        }
        let who: Vec<String> = acting
            .iter()
            .map(|(n, token)| format!("{n} (token {token})"))
            .collect();
        Some(format!(
            "{} acted as lease holders at once from {} to at least {}",
            who.join(" and "),
            fmt_secs(self.since_us),
            fmt_secs(until_us)
        ))
    }

    fn apply(&mut self, ev: &TraceEvent) {
        match &ev.kind {
            TraceKind::Leader { cluster, term } if cluster == EXECUTOR_CLUSTER => {
                self.holding.insert(ev.node, *term);
            }
            TraceKind::StepDown { cluster, .. } if cluster == EXECUTOR_CLUSTER => {
                self.holding.remove(&ev.node);
            }
            TraceKind::Crash => {
                self.holding.remove(&ev.node);
                self.paused.remove(&ev.node);
            }
            TraceKind::Pause => {
                self.paused.insert(ev.node);
            }
            TraceKind::Resume => {
                self.paused.remove(&ev.node);
            }
            _ => {}
        }
    }
}

impl Invariant for LeaseExclusion {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        SOURCE
    }

    fn check(&mut self, ev: &TraceEvent, _facts: &Observer) -> Option<String> {
        let verdict = if ev.t_us > self.since_us {
            self.judge(ev.t_us)
        } else {
            None
        };
        self.since_us = self.since_us.max(ev.t_us);
        self.apply(ev);
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t_us: Micros, node: u32, kind: TraceKind) -> TraceEvent {
        TraceEvent {
            seq: 0,
            t_us,
            node: NodeId(node),
            corr: 0,
            vc: None,
            kind,
        }
    }

    fn leader(t: Micros, node: u32, term: u64) -> TraceEvent {
        let cluster = EXECUTOR_CLUSTER.to_string();
        ev(t, node, TraceKind::Leader { cluster, term })
    }

    fn step_down(t: Micros, node: u32, term: u64) -> TraceEvent {
        let cluster = EXECUTOR_CLUSTER.to_string();
        ev(t, node, TraceKind::StepDown { cluster, term })
    }

    /// The violations the checker reports over `events`.
    fn run(events: &[TraceEvent]) -> Vec<String> {
        let mut c = LeaseExclusion::default();
        let facts = Observer::default();
        events.iter().filter_map(|e| c.check(e, &facts)).collect()
    }

    #[test]
    fn a_handover_after_the_old_holder_stepped_down_is_fine() {
        let events = [
            leader(10, 1, 1),
            step_down(50, 1, 1),
            leader(60, 2, 2),
            ev(90, 3, TraceKind::Timer),
        ];
        assert!(run(&events).is_empty());
    }

    #[test]
    fn two_holders_over_a_stretch_of_time_are_caught_once() {
        let events = [
            leader(10, 1, 1),
            leader(60, 2, 2),
            ev(70, 3, TraceKind::Timer),
            ev(80, 3, TraceKind::Timer),
            step_down(90, 1, 1),
        ];
        let found = run(&events);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("n1 (token 1) and n2 (token 2)"),
            "{found:?}"
        );
    }

    #[test]
    fn two_holders_within_one_instant_are_not_an_overlap() {
        // A paused holder resumes, finds its lease over by its own clock and steps down at the
        // same instant; the successor took over while it was paused.
        let events = [
            leader(10, 1, 1),
            ev(20, 1, TraceKind::Pause),
            leader(60, 2, 2),
            ev(80, 1, TraceKind::Resume),
            step_down(80, 1, 1),
            ev(90, 3, TraceKind::Timer),
        ];
        assert!(run(&events).is_empty());
    }

    #[test]
    fn a_crashed_holder_holds_nothing_and_other_clusters_do_not_count() {
        let db = |t, node, term| {
            let cluster = "books-db".to_string();
            ev(t, node, TraceKind::Leader { cluster, term })
        };
        let events = [
            leader(10, 1, 1),
            db(15, 5, 1),
            ev(20, 1, TraceKind::Crash),
            leader(60, 2, 2),
            ev(90, 3, TraceKind::Timer),
        ];
        assert!(run(&events).is_empty());
    }
}

//! The verdict on one swarm run: every violation the live checkers found, the end-of-run
//! checkers, and the liveness demands of the healed phase — every approved order decided,
//! every live database replica equal to the most advanced one.
//!
//! Why liveness is judged here and not by a checker: "eventually" has no moment at which a
//! checker could say it failed; the healed phase supplies that moment (its end), which only
//! the swarm knows.

use crate::invariants::Checker;
use crate::system::System;
use crate::view::NodeView;

/// One thing that went wrong; `invariant` names the property (the shrinker keeps it failing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub invariant: String,
    pub t_ms: u64,
    pub detail: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {} ms: {}", self.invariant, self.t_ms, self.detail)
    }
}

pub const UNDECIDED: &str = "every approved order decided once healed";
pub const UNCONVERGED: &str = "replicas converge once healed";

pub fn outcome(sys: &System) -> super::Outcome {
    let failures = failures(sys);
    let decided = sys
        .observer
        .txns
        .values()
        .filter(|t| t.state.is_final())
        .count();
    super::Outcome {
        failures,
        trace_hash: sys.world().trace_hash(),
        events: sys.world().trace().total(),
        orders_decided: decided,
    }
}

/// Every failure of a finished run, live violations first.
pub fn failures(sys: &System) -> Vec<Failure> {
    let t_ms = sys.now() / 1000;
    let mut out: Vec<Failure> = sys
        .checker
        .violations
        .iter()
        .chain(Checker::final_violations(sys).iter())
        .map(|v| Failure {
            invariant: v.invariant.to_string(),
            t_ms: v.t_us / 1000,
            detail: v.detail.clone(),
        })
        .collect();
    out.extend(undecided_orders(sys).into_iter().map(|detail| Failure {
        invariant: UNDECIDED.into(),
        t_ms,
        detail,
    }));
    out.extend(unconverged_replicas(sys).into_iter().map(|detail| Failure {
        invariant: UNCONVERGED.into(),
        t_ms,
        detail,
    }));
    out
}

/// Orders the client was told are approved that have no outcome at the end of the run.
fn undecided_orders(sys: &System) -> Vec<String> {
    crate::system::report::orders(sys)
        .iter()
        .filter(|o| o["final"] == "PENDING" && o.get("reason").is_none())
        .map(|o| {
            format!(
                "{} was approved but is still PENDING at the end of the healed phase",
                o["orderId"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// Live database replicas whose stock differs from the most advanced replica's (seed 003: once
/// replication catches up every replica holds the primary's data). The stock checker judges
/// each replica at its own applied index, so one left behind for good would pass it.
fn unconverged_replicas(sys: &System) -> Vec<String> {
    let w = sys.world();
    let views: Vec<(String, crate::view::BooksDbView)> = w
        .nodes()
        .into_iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
        .filter(|n| n.liveness == crate::sim::Liveness::Up)
        .filter_map(|n| match n.view {
            NodeView::BooksDb(v) => Some((n.name, v)),
            _ => None,
        })
        .collect();
    let Some((_, ahead)) = views.iter().max_by_key(|(_, v)| v.applied_index) else {
        return Vec::new();
    };
    views
        .iter()
        .filter(|(_, v)| v.stock != ahead.stock)
        .map(|(name, v)| {
            format!(
                "{name} (applied #{}) differs from the most advanced replica (#{})",
                v.applied_index, ahead.applied_index
            )
        })
        .collect()
}

//! The verdict on one swarm run: every violation the live checkers found, the end-of-run
//! checkers, and the liveness demands of the healed phase — every approved order decided,
//! every live database replica equal to the most advanced one.
//!
//! Why liveness is judged here and not by a checker: "eventually" has no moment at which a
//! checker could say it failed; the healed phase supplies that moment (its end), which only
//! the swarm knows.

use crate::invariants::stock_conservation::unconverged_replicas;
use crate::invariants::Checker;
use crate::system::System;

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

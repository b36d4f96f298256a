//! Safety properties, one file each, checked against the trace after every step (tests) or
//! every frame (the page). Each cites where the property comes from.

pub(crate) mod atomic_commitment;
mod clocks_tick;
mod dag_causality;
mod db_state_machine_safety;
mod election_safety;
pub mod executed_once;
mod fenced_dequeues;
pub mod leader_only_dequeues;
pub mod lease_exclusion;
pub mod linearizability;
pub mod no_order_lost;
pub mod one_acting_leader;
pub mod stock_conservation;

#[cfg(test)]
mod tests;

use crate::sim::trace::TraceEvent;
use crate::sim::Micros;
use crate::system::config::{ClusterConfig, Election};
use crate::system::observer::Observer;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub invariant: &'static str,
    pub t_us: Micros,
    pub detail: String,
}

/// A property checked one trace event at a time, with the observer's facts up to and
/// including that event.
pub trait Invariant {
    fn name(&self) -> &'static str;
    /// Where the property is stated (paper section, spec line).
    fn source(&self) -> &'static str;
    fn check(&mut self, ev: &TraceEvent, facts: &Observer) -> Option<String>;
}

pub struct Checker {
    invariants: Vec<Box<dyn Invariant>>,
    pub violations: Vec<Violation>,
}

/// The most violations kept (the first ones are the interesting ones).
pub const MAX_VIOLATIONS: usize = 100;

impl Default for Checker {
    fn default() -> Self {
        Self::for_config(&ClusterConfig::default())
    }
}

impl Checker {
    /// The properties that apply to a deployment of `cfg`.
    pub fn for_config(cfg: &ClusterConfig) -> Self {
        let mut invariants: Vec<Box<dyn Invariant>> = vec![
            Box::new(election_safety::ElectionSafety::default()),
            Box::new(one_acting_leader_for(cfg)),
            Box::new(leader_only_dequeues::LeaderOnlyDequeues),
            Box::new(fenced_dequeues::FencedDequeues::default()),
            Box::new(executed_once::ExecutedOnce),
            Box::new(dag_causality::DagCausality::default()),
            Box::new(clocks_tick::ClocksTick::default()),
            Box::new(atomic_commitment::AgreedDecisions::default()),
            Box::new(db_state_machine_safety::DbStateMachineSafety::default()),
        ];
        // Only the lease lock promises one holder at a time in true time.
        if cfg.election == Election::Lease {
            invariants.push(Box::new(lease_exclusion::LeaseExclusion::default()));
        }
        Self {
            invariants,
            violations: Vec::new(),
        }
    }

    pub fn check(&mut self, ev: &TraceEvent, facts: &Observer) {
        for inv in self.invariants.iter_mut() {
            if let Some(detail) = inv.check(ev, facts) {
                if self.violations.len() < MAX_VIOLATIONS {
                    self.violations.push(Violation {
                        invariant: inv.name(),
                        t_us: ev.t_us,
                        detail,
                    });
                }
            }
        }
    }

    /// (name, source) of every property checked, for the page's legend.
    pub fn catalogue(&self) -> Vec<(&'static str, &'static str)> {
        let mut all: Vec<_> = self
            .invariants
            .iter()
            .map(|i| (i.name(), i.source()))
            .collect();
        all.push((no_order_lost::NAME, no_order_lost::SOURCE));
        all.push((stock_conservation::NAME, stock_conservation::SOURCE));
        all.push((linearizability::NAME, linearizability::SOURCE));
        all
    }

    /// Properties that hold only at the end of a run (or at a quiet moment), checked on demand.
    pub fn final_violations(sys: &crate::system::System) -> Vec<Violation> {
        Self::final_violations_with(sys, sys.linearizability().as_ref())
    }

    /// `final_violations` with the linearizability verdicts already computed (a search: the
    /// report computes them once for its own field too).
    pub fn final_violations_with(
        sys: &crate::system::System,
        linearizability: Option<&linearizability::Report>,
    ) -> Vec<Violation> {
        let t_us = sys.now();
        let lost = no_order_lost::lost_orders(sys)
            .into_iter()
            .map(|id| Violation {
                invariant: no_order_lost::NAME,
                t_us,
                detail: format!("{id} was approved but has no outcome and is not in the queue"),
            });
        let torn = atomic_commitment::broken_transactions(&sys.observer)
            .into_iter()
            .map(|detail| Violation {
                invariant: atomic_commitment::NAME,
                t_us,
                detail,
            });
        let stock = sys
            .initial_stock()
            .map(|initial| stock_conservation::stock_mismatches(sys, &initial))
            .unwrap_or_default()
            .into_iter()
            .map(|detail| Violation {
                invariant: stock_conservation::NAME,
                t_us,
                detail,
            });
        let reads = linearizability
            .filter(|r| r.strong_reads.outcome == linearizability::Outcome::NotLinearizable)
            .map(|r| Violation {
                invariant: linearizability::NAME,
                t_us,
                detail: linearizability::describe(&r.strong_reads),
            });
        lost.chain(torn).chain(stock).chain(reads).collect()
    }
}

/// "One leader acting at a time" for every elected cluster of `cfg` but a lease-locked executor
/// cluster (the lease has its own holder checker), judged only if the network starts reliable:
/// nothing lost, duplicated or reordered, and a round trip well inside Bully's answer timeout.
fn one_acting_leader_for(cfg: &ClusterConfig) -> one_acting_leader::OneActingLeader {
    let mut clusters = vec![crate::services::books_db::CLUSTER.to_string()];
    if cfg.election != Election::Lease {
        clusters.push(leader_only_dequeues::EXECUTOR_CLUSTER.to_string());
    }
    let round_trip_us = 2 * (cfg.latency_ms + cfg.jitter_ms) * 1000;
    let answer_timeout_us = crate::protocol::bully::BullyConfig::default().answer_timeout_us;
    let reliable = cfg.loss == 0.0
        && cfg.duplicate == 0.0
        && !cfg.reorder
        && round_trip_us < answer_timeout_us;
    one_acting_leader::OneActingLeader::new(clusters, reliable)
}

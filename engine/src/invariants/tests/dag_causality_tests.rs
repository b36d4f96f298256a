//! Clocks respect causality, against an orchestrator that starts DAG events before their
//! prerequisites finished.

use super::*;
use crate::invariants::dag_causality::NAME;
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{checkout, config, order, system};

fn a_few_orders() -> System {
    let inputs = (0..4)
        .map(|n| checkout(2000 + 500 * n, order(n, "Dune", 1)))
        .collect();
    let mut sys = system(config(Election::Raft), 12, inputs);
    sys.run_until(secs(8));
    sys
}

#[test]
fn an_orchestrator_that_ignores_the_dags_edges_breaks_causality() {
    let (_, clean, broken) = honest_and_broken(Bug::DagIgnoresDependencies, NAME, a_few_orders);
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
}

//! One leader acting at a time, against a Bully winner that proclaims itself without halting
//! the coordinator it replaces.

use super::*;
use crate::invariants::leader_only_dequeues::EXECUTOR_CLUSTER;
use crate::invariants::one_acting_leader::NAME;
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{config, system};
use crate::system::inputs::{Action, TimedInput};

/// The highest executor leads, crashes (executor-1 takes over), and comes back to bully its
/// way back while executor-1 leads: the handover the halt phase exists for.
fn highest_executor_returns() -> System {
    let inputs = vec![
        TimedInput::at(3000, Action::Crash("executor-2".into())),
        TimedInput::at(8000, Action::Restart("executor-2".into())),
    ];
    let mut sys = system(config(Election::Bully), 1, inputs);
    sys.run_until(secs(12));
    sys
}

/// Who led the executors, in order of taking over (node names).
fn leaders(sys: &System) -> Vec<String> {
    let nodes = sys.world().nodes();
    sys.observer
        .leaders
        .iter()
        .filter(|s| s.cluster == EXECUTOR_CLUSTER)
        .map(|s| nodes[s.node.0 as usize].name.clone())
        .collect()
}

#[test]
fn a_bully_winner_that_does_not_halt_the_old_coordinator_leads_alongside_it() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::BullyProclaimsWithoutHalting,
        NAME,
        highest_executor_returns,
    );
    // The honest run does hand over twice, so its silence means something.
    assert_eq!(
        leaders(&honest),
        vec!["executor-2", "executor-1", "executor-2"]
    );
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken[0].contains("while n11 still led"),
        "executor-1 (n11) is the one left leading: {broken:#?}"
    );
}

#[test]
fn a_network_fault_ends_the_judgement_since_bully_promises_nothing_then() {
    // The same broken handover, but after a (harmless) network fault: Bully's premise of a
    // reliable network is gone, and the checker says nothing rather than cry wolf under
    // partitions, where two Bully leaders are expected (fencing covers that case).
    let _bug = plant(Bug::BullyProclaimsWithoutHalting);
    let inputs = vec![
        TimedInput::at(1000, Action::Loss(0.0)),
        TimedInput::at(3000, Action::Crash("executor-2".into())),
        TimedInput::at(8000, Action::Restart("executor-2".into())),
    ];
    let mut sys = system(config(Election::Bully), 1, inputs);
    sys.run_until(secs(12));
    assert_eq!(fired(&sys, NAME), Vec::<String>::new());
}

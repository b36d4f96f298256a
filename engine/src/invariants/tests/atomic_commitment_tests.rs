//! 2PC atomicity against a coordinator that commits when the payment node does not vote.

use super::*;
use crate::invariants::atomic_commitment::NAME;
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{checkout, config, finals, order, system};
use crate::system::inputs::{Action, TimedInput};

/// The payment node is down when the order arrives, and comes back later to hear phase 2.
fn payment_down_during_prepare() -> System {
    let inputs = vec![
        TimedInput::at(2500, Action::Crash("payment".into())),
        checkout(3000, order(1, "Dune", 1)),
        TimedInput::at(20_000, Action::Restart("payment".into())),
    ];
    let mut sys = system(config(Election::Raft), 6, inputs);
    sys.run_until(secs(40));
    sys
}

#[test]
fn a_coordinator_that_commits_on_a_prepare_timeout_breaks_2pc_atomicity() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::CommitOnPrepareTimeout,
        NAME,
        payment_down_during_prepare,
    );
    assert_eq!(finals(&honest)[0].0, "ABORTED", "the honest run aborts");
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken
            .iter()
            .any(|v| v.contains("finished COMMITTED") && v.contains("payment was not captured")),
        "{broken:#?}"
    );
}

//! No approved order lost, against an executor that acknowledges an order to the queue as
//! soon as it dequeues it, before its transaction is decided.

use super::*;
use crate::invariants::no_order_lost::NAME;
use crate::protocol::two_pc::TxnState;
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{
    checkout, config, finals, is_txn_state, order, run_until_fact, system,
};
use crate::system::inputs::Action;

/// The coordinator crashes while it prepares the order (before any decision exists).
fn coordinator_crashes_while_preparing() -> System {
    let mut sys = system(
        config(Election::Raft),
        8,
        vec![checkout(3000, order(1, "Dune", 1))],
    );
    let coordinator = run_until_fact(&mut sys, 20, |e| is_txn_state(e, TxnState::Preparing))
        .expect("the transaction prepares");
    let name = sys.world().nodes()[coordinator.0 as usize].name.clone();
    sys.act(Action::Crash(name)).expect("crash");
    sys.run_until(sys.now() + secs(40));
    sys
}

#[test]
fn an_executor_that_acknowledges_before_deciding_loses_the_order_when_it_crashes() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::AckBeforeDeciding,
        NAME,
        coordinator_crashes_while_preparing,
    );
    // Honest: the lease runs out and the next leader decides the order.
    let outcome = &finals(&honest)[0].0;
    assert!(outcome == "COMMITTED" || outcome == "ABORTED", "{outcome}");
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(broken[0].contains("ord-0001 was approved"), "{broken:#?}");
}

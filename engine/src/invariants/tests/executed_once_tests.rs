//! No order executed twice, against a queue that tells every lease of an acknowledged order
//! that it decided the order (only the lease that acknowledged it may hear that).

use super::*;
use crate::invariants::executed_once::NAME;
use crate::protocol::two_pc::TxnState;
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{
    checkout, config, finals, is_txn_state, order, run_until_fact, system,
};
use crate::system::inputs::Action;

/// Bully executors (whose "executed" record rests on the queue's acknowledgement): the leader
/// commits an order and is cut off from everyone just as it acknowledges it. Its lease runs
/// out, the order goes to the new leader, which finishes and acknowledges it; after the heal,
/// the old leader asks the queue again about its own, older lease.
fn leader_cut_off_while_acknowledging() -> System {
    let mut sys = system(
        config(Election::Bully),
        2,
        vec![checkout(3000, order(1, "Dune", 1))],
    );
    let leader = run_until_fact(&mut sys, 20, |e| is_txn_state(e, TxnState::Committed))
        .expect("the order commits");
    let names: Vec<(crate::sim::NodeId, String)> = sys
        .world()
        .nodes()
        .iter()
        .map(|n| (n.id, n.name.clone()))
        .collect();
    let (alone, rest): (Vec<_>, Vec<_>) = names.into_iter().partition(|(id, _)| *id == leader);
    let group = |g: Vec<(crate::sim::NodeId, String)>| g.into_iter().map(|n| n.1).collect();
    sys.act(Action::Partition(vec![group(alone), group(rest)]))
        .expect("a valid partition");
    sys.run_until(sys.now() + secs(25));
    sys.act(Action::Heal).expect("heal");
    sys.run_until(sys.now() + secs(10));
    sys
}

#[test]
fn a_queue_that_accepts_any_lease_of_an_acknowledged_order_lets_it_execute_twice() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::QueueAcksAnyLease,
        NAME,
        leader_cut_off_while_acknowledging,
    );
    assert_eq!(finals(&honest), vec![("COMMITTED".to_string(), None)]);
    let redelivered = honest
        .observer
        .dequeues
        .iter()
        .map(|d| d.executor)
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(redelivered.len(), 2, "two leaders were handed the order");
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(broken[0].contains("executed 2 times"), "{broken:#?}");
}

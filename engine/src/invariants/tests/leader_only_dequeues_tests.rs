//! Only the leader dequeues, at that moment: against a Raft executor that is deposed but keeps
//! dequeuing with its old term because its work loop was never told.

use super::*;
use crate::invariants::leader_only_dequeues::{EXECUTOR_CLUSTER, NAME};
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{checkout, config, order, system};
use crate::system::inputs::Action;

/// The executor leader is cut off from the other executors — but not from the queue, and the
/// others are cut off from the queue, so no newer term ever reaches it and fences the old
/// leader. The old leader loses its quorum and steps down (check-quorum); then orders arrive.
fn deposed_leader_still_reaches_the_queue() -> System {
    let mut sys = system(config(Election::Raft), 4, Vec::new());
    sys.run_until(secs(4));
    let leader = sys
        .observer
        .current_leader(EXECUTOR_CLUSTER)
        .expect("an executor leads by 4 s")
        .node;
    let names: Vec<(crate::sim::NodeId, String, String)> = sys
        .world()
        .nodes()
        .iter()
        .map(|n| (n.id, n.name.clone(), n.service.clone()))
        .collect();
    let (others, rest): (Vec<_>, Vec<_>) = names
        .into_iter()
        .partition(|(id, _, service)| service == "executor" && *id != leader);
    let group = |g: Vec<(crate::sim::NodeId, String, String)>| g.into_iter().map(|n| n.1).collect();
    sys.act(Action::Partition(vec![group(others), group(rest)]))
        .expect("a valid partition");
    sys.run_until(secs(8));
    let at = sys.now() / 1000;
    let orders = (0..3).map(|n| checkout(at + 200 * n, order(n, "Dune", 1)));
    sys.schedule(orders.collect()).expect("valid inputs");
    sys.run_until(secs(14));
    sys
}

#[test]
fn a_deposed_leader_that_keeps_dequeuing_is_caught() {
    let (honest, clean, broken) = honest_and_broken(
        Bug::DeposedLeaderKeepsDequeuing,
        NAME,
        deposed_leader_still_reaches_the_queue,
    );
    // The honest old leader did step down, and so nobody could dequeue: no order went out.
    let first = &honest.observer.leaders[0];
    assert!(first.to_us.is_some(), "the old leader stepped down");
    assert!(honest.observer.dequeues.is_empty());
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken[0].contains("after it had stopped leading"),
        "{broken:#?}"
    );
}

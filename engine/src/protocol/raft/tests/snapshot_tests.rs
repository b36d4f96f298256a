//! Log compaction (§7): a node forgets its applied prefix, its disk forgets it too, a restart
//! rebuilds the state machine from the snapshot, and a follower that missed compacted entries
//! is caught up by the leader's snapshot.
use super::super::{RaftConfig, RaftError, RaftNode};
use super::fixtures::members;
use super::harness::Net;
use super::invariants::Cmd;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;

fn elected_compacting(size: u32, seed: u64, every: u64) -> (Net, NodeId) {
    let mut net = Net::new(size, seed);
    net.compact_every = Some(every);
    net.run_until_true(6_000_000, |n| n.current_leader().is_some())
        .expect("a leader within 6 s");
    let leader = net.current_leader().expect("leader");
    (net, leader)
}

fn commands(net: &Net, id: NodeId) -> Vec<Cmd> {
    net.applied[&id].iter().filter_map(|e| e.command).collect()
}

#[test]
fn compacting_keeps_the_log_and_the_disk_bounded_and_every_node_applies_everything() {
    let (mut net, leader) = elected_compacting(3, 1, 10);
    for command in 1..=100 {
        net.propose(leader, command).expect("leader accepts");
        net.run_for(20_000);
    }
    net.run_for(3_000_000);
    for id in net.ids.clone() {
        assert_eq!(commands(&net, id), (1..=100).collect::<Vec<_>>(), "{id}");
        let node = net.node(id).expect("alive");
        assert!(node.log().snapshot_index() >= 90, "{id} compacted");
        assert!(node.log().entries().len() <= 12, "{id} log bounded");
        assert!(net.disk(id).log.len() <= 12, "{id} disk bounded");
        assert!(
            net.disk(id).snapshot.is_some(),
            "{id} disk holds its snapshot"
        );
    }
}

#[test]
fn a_follower_that_missed_compacted_entries_is_caught_up_by_the_leaders_snapshot() {
    let (mut net, leader) = elected_compacting(3, 2, 10);
    let lagging = net
        .ids
        .iter()
        .copied()
        .find(|id| *id != leader)
        .expect("a follower");
    net.crash(lagging);
    for command in 1..=50 {
        net.propose(leader, command).expect("leader accepts");
        net.run_for(20_000);
    }
    assert!(net.node(leader).expect("leader").log().snapshot_index() > 10);
    let installed_before = net.snapshots_installed;
    net.restart(lagging);
    net.run_for(3_000_000);
    assert!(
        net.snapshots_installed > installed_before,
        "a snapshot was sent"
    );
    assert_eq!(commands(&net, lagging), (1..=50).collect::<Vec<_>>());
    assert!(
        net.checker.violations.is_empty(),
        "{:?}",
        net.checker.violations
    );
}

#[test]
fn a_restart_rebuilds_the_state_machine_from_the_snapshot_and_the_entries_after_it() {
    let (mut net, leader) = elected_compacting(3, 3, 10);
    for command in 1..=25 {
        net.propose(leader, command).expect("leader accepts");
        net.run_for(20_000);
    }
    net.run_for(200_000);
    let follower = net
        .ids
        .iter()
        .copied()
        .find(|id| *id != leader)
        .expect("one");
    let snapshot_index = net.disk(follower).snapshot_index();
    assert!(snapshot_index >= 20, "compacted through {snapshot_index}");
    net.crash(follower);
    net.restart(follower);
    net.run_for(3_000_000);
    assert_eq!(commands(&net, follower), (1..=25).collect::<Vec<_>>());
    assert!(
        net.checker.violations.is_empty(),
        "{:?}",
        net.checker.violations
    );
}

#[test]
fn compacting_past_what_the_driver_applied_or_twice_is_refused() {
    let mut rng = SimRng::new(1);
    let cfg = RaftConfig::default();
    let mut node: RaftNode<Cmd> = RaftNode::new(
        members(1)[0],
        members(1),
        cfg,
        Default::default(),
        0,
        &mut rng,
    )
    .expect("node");
    node.tick(cfg.election_timeout_max_us, &mut rng);
    node.propose(7).expect("a single node leads at once");
    let ready = node.take_ready();
    let applied = ready.committed.last().map_or(0, |e| e.index);
    assert_eq!(applied, 2, "the no-op and the command");
    assert!(matches!(
        node.compact(applied + 1, String::new()),
        Err(RaftError::InvalidCompaction(_))
    ));
    node.compact(applied, "state".into())
        .expect("applied: allowed");
    assert!(matches!(
        node.compact(applied, "state".into()),
        Err(RaftError::InvalidCompaction(_))
    ));
    let persist = node
        .take_ready()
        .persist
        .expect("the snapshot must be persisted");
    assert_eq!(persist.snapshot.map(|s| s.last_index), Some(applied));
}

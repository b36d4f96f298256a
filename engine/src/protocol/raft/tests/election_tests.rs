//! Cluster-level election scenarios (the seeds' sequence diagrams) on the test network.
use super::super::{RaftConfig, Role};
use super::harness::Net;
use crate::sim::NodeId;

const MAX_TIMEOUT_US: u64 = 3_000_000;

fn ids(list: &[u32]) -> Vec<NodeId> {
    list.iter().map(|i| NodeId(*i)).collect()
}

/// Runs until some node leads; returns (leader, term, time).
fn elect(net: &mut Net, limit_us: u64) -> (NodeId, u64, u64) {
    let at = net.run_until_true(limit_us, |n| n.current_leader().is_some());
    let at = at.unwrap_or_else(|| panic!("seed {}: no leader by t={limit_us}", net.seed()));
    let leader = net.current_leader().expect("just elected");
    (leader, net.node(leader).expect("alive").term(), at)
}

#[test]
fn a_leader_is_elected_within_twice_the_max_timeout_after_start() {
    let mut worst_us = 0;
    for size in [3, 5, 7] {
        for seed in 0..100 {
            let mut net = Net::new(size, seed);
            let (_, _, at) = elect(&mut net, 2 * MAX_TIMEOUT_US);
            worst_us = worst_us.max(at);
            assert!(
                net.checker.violations.is_empty(),
                "{:?}",
                net.checker.violations
            );
        }
    }
    // The first timeout fires no earlier than the minimum; with 10 ms links one round suffices.
    assert!(worst_us >= RaftConfig::default().election_timeout_min_us);
}

#[test]
fn heartbeats_keep_a_leader_in_place_while_nothing_fails() {
    for seed in 0..20 {
        let mut net = Net::new(3, seed);
        let (leader, term, _) = elect(&mut net, 2 * MAX_TIMEOUT_US);
        net.run_for(60_000_000);
        assert_eq!(net.leaders(), vec![(leader, term)], "seed {seed}");
        for id in net.ids.clone() {
            let node = net.node(id).expect("alive");
            assert_eq!(
                (node.term(), node.leader_hint()),
                (term, Some(leader)),
                "seed {seed} {id}"
            );
        }
    }
}

#[test]
fn after_the_leader_crashes_a_new_leader_is_elected_with_a_higher_term() {
    for seed in 0..50 {
        let mut net = Net::new(3, seed);
        let (old, old_term, _) = elect(&mut net, 2 * MAX_TIMEOUT_US);
        net.run_for(1_000_000);
        net.crash(old);
        let crashed_at = net.now_us;
        let (new, new_term, at) = elect(&mut net, crashed_at + 3 * MAX_TIMEOUT_US);
        assert_ne!(new, old, "seed {seed}");
        assert!(new_term > old_term, "seed {seed}: {new_term} ≤ {old_term}");
        assert!(
            at - crashed_at <= 2 * MAX_TIMEOUT_US,
            "seed {seed}: took {} µs",
            at - crashed_at
        );
        // The old leader restarts as a follower and accepts the new leader.
        net.restart(old);
        net.run_for(2_000_000);
        assert_eq!(
            net.node(old).expect("restarted").leader_hint(),
            Some(new),
            "seed {seed}"
        );
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

#[test]
fn a_minority_side_of_a_partition_elects_nobody() {
    for seed in 0..50 {
        let mut net = Net::new(5, seed);
        let (old, old_term, _) = elect(&mut net, 2 * MAX_TIMEOUT_US);
        net.run_for(1_000_000);
        // The old leader and one follower are cut off from the other three.
        let partner = net
            .ids
            .iter()
            .copied()
            .find(|id| *id != old)
            .expect("five nodes");
        let minority = vec![old, partner];
        let majority: Vec<NodeId> = net
            .ids
            .iter()
            .copied()
            .filter(|id| !minority.contains(id))
            .collect();
        net.partition(&[&minority, &majority]);
        let split_at = net.now_us;
        net.run_for(30_000_000);
        for id in &minority {
            let node = net.node(*id).expect("alive");
            assert_ne!(
                node.role(),
                Role::Leader,
                "seed {seed}: {id} still leads a minority"
            );
        }
        let minority_won = net
            .checker
            .leaders_by_term()
            .iter()
            .any(|(term, id)| *term > old_term && minority.contains(id));
        assert!(
            !minority_won,
            "seed {seed}: minority elected a leader: {:?}",
            net.checker.leaders_by_term()
        );
        let (leader, term) = net
            .leaders()
            .into_iter()
            .next()
            .expect("the majority elects a leader");
        assert!(majority.contains(&leader) && term > old_term, "seed {seed}");
        assert!(net.now_us > split_at);
    }
}

#[test]
fn after_healing_there_is_one_leader_and_the_old_leader_stepped_down() {
    for seed in 0..50 {
        let mut net = Net::new(3, seed);
        let (old, old_term, _) = elect(&mut net, 2 * MAX_TIMEOUT_US);
        let others: Vec<NodeId> = net.ids.iter().copied().filter(|id| *id != old).collect();
        net.partition(&[&[old], &others]);
        net.run_for(10_000_000);
        net.heal();
        net.run_for(10_000_000);
        let leaders = net.leaders();
        assert_eq!(leaders.len(), 1, "seed {seed}: {leaders:?}");
        let (_, term) = leaders[0];
        assert!(term > old_term, "seed {seed}");
        let old_node = net.node(old).expect("alive");
        assert_eq!(
            old_node.term(),
            term,
            "seed {seed}: the old leader learned the new term"
        );
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

#[test]
fn an_isolated_leader_steps_down_within_one_election_timeout_plus_a_heartbeat() {
    let cfg = RaftConfig::default();
    for seed in 0..20 {
        let mut net = Net::new(3, seed);
        let (old, _, _) = elect(&mut net, 2 * MAX_TIMEOUT_US);
        net.run_for(700_000);
        let others = ids(&[0, 1, 2])
            .into_iter()
            .filter(|id| *id != old)
            .collect::<Vec<_>>();
        net.partition(&[&[old], &others]);
        let cut_at = net.now_us;
        let bound = cut_at + cfg.election_timeout_min_us + 2 * cfg.heartbeat_interval_us;
        let stepped = net.run_until_true(bound, |n| n.node(old).is_some_and(|x| !x.is_leader()));
        assert!(
            stepped.is_some(),
            "seed {seed}: {old} still leads at {bound}"
        );
    }
}

//! Cluster-level log replication: proposals, catch-up, and what survives a leader change.
use super::super::NotLeader;
use super::harness::Net;
use super::invariants::Cmd;
use crate::sim::NodeId;

fn elected(size: u32, seed: u64) -> (Net, NodeId) {
    let mut net = Net::new(size, seed);
    net.run_until_true(6_000_000, |n| n.current_leader().is_some())
        .expect("a leader within 6 s");
    let leader = net.current_leader().expect("leader");
    (net, leader)
}

/// The commands a node's state machine applied, skipping leader no-ops.
fn commands(net: &Net, id: NodeId) -> Vec<Cmd> {
    net.applied
        .get(&id)
        .map_or(Vec::new(), |a| a.iter().filter_map(|e| e.command).collect())
}

#[test]
fn proposals_on_the_leader_commit_on_a_majority_and_appear_in_order_everywhere() {
    for seed in 0..20 {
        let (mut net, leader) = elected(5, seed);
        let mut indexes = Vec::new();
        for command in 1..=10 {
            indexes.push(net.propose(leader, command).expect("leader accepts"));
            net.run_for(5_000);
        }
        assert!(
            indexes.windows(2).all(|w| w[1] == w[0] + 1),
            "seed {seed}: {indexes:?}"
        );
        net.run_for(100_000);
        let last = *indexes.last().expect("ten");
        let holding = net
            .ids
            .iter()
            .filter(|id| net.disk(**id).log.len() as u64 >= last)
            .count();
        assert!(
            holding >= 3,
            "seed {seed}: only {holding} disks hold the entries"
        );
        assert_eq!(
            commands(&net, leader),
            (1..=10).collect::<Vec<_>>(),
            "seed {seed}"
        );
        // Followers learn the commit index with the next heartbeat.
        net.run_for(600_000);
        for id in net.ids.clone() {
            assert_eq!(
                commands(&net, id),
                (1..=10).collect::<Vec<_>>(),
                "seed {seed} {id}"
            );
        }
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

#[test]
fn a_follower_refuses_proposals_and_names_the_leader() {
    let (mut net, leader) = elected(3, 1);
    net.run_for(600_000);
    let follower = net
        .ids
        .iter()
        .copied()
        .find(|id| *id != leader)
        .expect("follower");
    assert_eq!(
        net.propose(follower, 5),
        Err(NotLeader {
            leader_hint: Some(leader)
        })
    );
}

#[test]
fn a_follower_that_missed_hundreds_of_entries_catches_up_after_restart() {
    let (mut net, leader) = elected(3, 2);
    let lagging = net
        .ids
        .iter()
        .copied()
        .find(|id| *id != leader)
        .expect("follower");
    net.crash(lagging);
    for command in 1..=300 {
        net.propose(leader, command).expect("leader accepts");
        net.run_for(1_000);
    }
    net.run_for(1_000_000);
    net.restart(lagging);
    net.run_for(3_000_000);
    assert_eq!(commands(&net, lagging), (1..=300).collect::<Vec<_>>());
    assert_eq!(net.disk(lagging).log, net.disk(leader).log);
    assert!(
        net.checker.violations.is_empty(),
        "{:?}",
        net.checker.violations
    );
}

#[test]
fn committed_entries_survive_a_leader_crash_and_the_new_leader_keeps_going() {
    for seed in 0..20 {
        let (mut net, old) = elected(3, seed);
        for command in 1..=5 {
            net.propose(old, command).expect("leader accepts");
        }
        net.run_for(100_000);
        assert_eq!(commands(&net, old), vec![1, 2, 3, 4, 5], "seed {seed}");
        net.crash(old);
        let crashed_at = net.now_us;
        net.run_until_true(crashed_at + 6_000_000, |n| n.current_leader().is_some())
            .expect("new leader");
        let new = net.current_leader().expect("leader");
        net.propose(new, 6).expect("new leader accepts");
        net.run_for(700_000);
        net.restart(old);
        net.run_for(2_000_000);
        for id in net.ids.clone() {
            assert_eq!(
                commands(&net, id),
                vec![1, 2, 3, 4, 5, 6],
                "seed {seed} {id}"
            );
        }
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

#[test]
fn entries_proposed_to_a_cut_off_leader_never_commit_and_are_overwritten_after_healing() {
    for seed in 0..20 {
        let (mut net, old) = elected(5, seed);
        net.run_for(600_000);
        let partner = net
            .ids
            .iter()
            .copied()
            .find(|id| *id != old)
            .expect("partner");
        let rest: Vec<NodeId> = net
            .ids
            .iter()
            .copied()
            .filter(|id| *id != old && *id != partner)
            .collect();
        net.partition(&[&[old, partner], &rest]);
        net.propose(old, 666)
            .expect("the old leader does not know yet");
        net.run_for(8_000_000);
        let new = net.current_leader().expect("the majority elects a leader");
        assert!(rest.contains(&new), "seed {seed}");
        net.propose(new, 7).expect("new leader accepts");
        net.run_for(1_000_000);
        net.heal();
        net.run_for(10_000_000);
        let leader = net.current_leader().expect("one leader after healing");
        net.propose(leader, 8).expect("accepts");
        net.run_for(1_000_000);
        for id in net.ids.clone() {
            assert_eq!(
                commands(&net, id),
                vec![7, 8],
                "seed {seed} {id}: 666 must never apply"
            );
        }
        assert!(
            net.checker.violations.is_empty(),
            "seed {seed}: {:?}",
            net.checker.violations
        );
    }
}

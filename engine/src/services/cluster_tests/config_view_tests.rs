//! Configuration checks, what the nodes publish for the page, and the Raft driver's durability
//! contract (a vote is on disk before it leaves the node).

use super::harness::{build, entry, Fact, Setup};
use crate::protocol::lease::LeaseConfig;
use crate::protocol::order_queue::ShippingMethod;
use crate::protocol::raft::{HardState, RaftConfig};
use crate::services::executor::{add_executor_cluster, ElectionAlgorithm, ExecutorConfig};
use crate::sim::trace::TraceKind;
use crate::sim::{secs, World, WorldConfig};

#[test]
fn a_cluster_of_two_or_eight_executors_is_refused_with_a_clear_error() {
    let mut world = World::new(WorldConfig::new(1));
    for n in [2, 8] {
        let err =
            add_executor_cluster(&mut world, n, ExecutorConfig::default()).expect_err("refused");
        assert!(
            err.contains("3 to 7") && err.contains(&n.to_string()),
            "{err}"
        );
    }
    assert_eq!(world.node_count(), 0, "nothing was added");
}

#[test]
fn inconsistent_timing_settings_are_refused() {
    let raft = RaftConfig {
        heartbeat_interval_us: 2_000_000,
        ..RaftConfig::default()
    };
    let cfg = ExecutorConfig {
        algorithm: ElectionAlgorithm::Raft(raft),
        ..Default::default()
    };
    assert!(cfg
        .validate(3)
        .expect_err("heartbeat above timeout")
        .contains("heartbeat"));
    let lease = LeaseConfig {
        safety_margin_us: 5_000_000,
        ..LeaseConfig::default()
    };
    let cfg = ExecutorConfig {
        algorithm: ElectionAlgorithm::Lease(lease),
        ..Default::default()
    };
    assert!(cfg.validate(3).is_err());
    assert!(ExecutorConfig {
        poll_interval_us: 0,
        ..Default::default()
    }
    .validate(3)
    .is_err());
}

#[test]
fn seven_raft_executors_agree_on_one_leader_and_their_views_show_it() {
    let mut setup = Setup::new(3, ElectionAlgorithm::Raft(RaftConfig::default()));
    setup.executors = 7;
    let mut c = build(setup);
    c.world.run_for(secs(8));
    for i in 0..5 {
        c.submit(entry(&format!("v{i}"), ShippingMethod::Priority, 2, false));
    }
    c.world.run_for(secs(5));
    let leaders = c.current_leaders();
    let [leader] = leaders[..] else {
        panic!("leaders: {leaders:?}")
    };
    let lead = c.executor_view(leader).expect("leader view");
    assert_eq!(
        (lead.algorithm, lead.timer_deadline_us, lead.executed),
        ("raft", None, 5)
    );
    for id in c.executors.iter().copied().filter(|id| *id != leader) {
        let v = c.executor_view(id).expect("follower view");
        assert_eq!(
            (v.role.as_str(), v.term, v.leader),
            ("follower", lead.term, Some(leader))
        );
        assert_eq!(
            (v.commit_index, v.log_len, v.executed),
            (lead.commit_index, lead.log_len, 5)
        );
        let (start, deadline) = (
            v.timer_started_us.expect("timer"),
            v.timer_deadline_us.expect("timer"),
        );
        assert!(
            start <= c.world.now() && c.world.now() < deadline,
            "timer bar {start}..{deadline}"
        );
    }
    let q = c.queue_view().expect("queue view");
    assert_eq!(
        (q.status.executed, q.status.length, q.status.highest_term),
        (5, 0, lead.term)
    );
}

#[test]
fn a_raft_vote_is_on_disk_before_it_leaves_the_node() {
    for seed in 0..10 {
        let mut c = build(Setup::new(
            seed,
            ElectionAlgorithm::Raft(RaftConfig::default()),
        ));
        let granted = |f: &[Fact]| {
            f.iter().any(|x| {
                matches!(
                    x.kind,
                    TraceKind::Send {
                        label: "Vote✓", ..
                    }
                )
            })
        };
        assert!(
            c.step_until(secs(10), granted),
            "seed {seed}: no vote granted"
        );
        let facts = c.facts();
        let (voter, candidate) = facts
            .iter()
            .find_map(|f| match f.kind {
                TraceKind::Send {
                    label: "Vote✓", to,
                ..
                } => Some((f.node, to)),
                _ => None,
            })
            .expect("found above");
        // Crash the voter at once: whatever it promised must be on its disk.
        c.world.crash(voter).expect("crash");
        let hs: HardState = c
            .world
            .durable(voter)
            .and_then(|d| d.get("raft/hard_state"))
            .expect("hard state");
        assert_eq!(hs.voted_for, Some(candidate), "seed {seed}");
        c.world.restart(voter).expect("restart");
        c.world.run_for(crate::sim::ms(1));
        let v = c.executor_view(voter).expect("view after restart");
        assert!(
            v.term > hs.term || v.voted_for == Some(candidate),
            "seed {seed}: vote forgotten: {v:?}"
        );
    }
}

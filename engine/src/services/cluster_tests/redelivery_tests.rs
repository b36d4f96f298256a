//! An order whose leader crashes in the middle of executing it is executed exactly once. Each
//! test stops the world at one precise crash window (stepping one unit of work at a time) and
//! checks who records the effect, when, and how many times.

use super::harness::{build, entry, for_seeds, seeds, Cluster, Fact, Setup};
use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::order_queue::ShippingMethod;
use crate::protocol::raft::RaftConfig;
use crate::services::executor::ElectionAlgorithm;
use crate::sim::trace::TraceKind;
use crate::sim::{secs, NodeId};

fn has_executed(facts: &[Fact], id: &str) -> bool {
    facts
        .iter()
        .any(|f| matches!(&f.kind, TraceKind::Executed { order_id, .. } if order_id == id))
}

fn executors_of(c: &Cluster, id: &str) -> Vec<(NodeId, u64)> {
    c.facts()
        .iter()
        .filter_map(|f| match &f.kind {
            TraceKind::Executed { order_id, term } if order_id == id => Some((f.node, *term)),
            _ => None,
        })
        .collect()
}

fn dequeuers_of(c: &Cluster, id: &str) -> Vec<NodeId> {
    c.facts()
        .iter()
        .filter_map(|f| match &f.kind {
            TraceKind::Dequeued {
                order_id, executor, ..
            } if order_id == id => Some(*executor),
            _ => None,
        })
        .collect()
}

/// A settled cluster with one order submitted; returns it with the leader and its term.
fn with_one_order(
    seed: u64,
    algorithm: ElectionAlgorithm,
) -> Result<(Cluster, NodeId, u64), String> {
    let mut c = build(Setup::new(seed, algorithm));
    c.world.run_for(secs(8));
    let leaders = c.current_leaders();
    let [leader] = leaders[..] else {
        return Err(format!("expected one leader, views say {leaders:?}"));
    };
    let term = c.executor_view(leader).map(|v| v.term).ok_or("no view")?;
    c.submit(entry("o1", ShippingMethod::Express, 3, true));
    Ok((c, leader, term))
}

fn ensure(cond: bool, why: impl Into<String>) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(why.into())
    }
}

#[test]
fn a_raft_leader_that_crashes_between_execution_and_ack_is_not_repeated_by_its_successor() {
    let test =
        "a_raft_leader_that_crashes_between_execution_and_ack_is_not_repeated_by_its_successor";
    for_seeds(test, seeds(0..10), |seed| {
        let (mut c, leader, _) =
            with_one_order(seed, ElectionAlgorithm::Raft(RaftConfig::default()))?;
        ensure(
            c.step_until(secs(5), |f| has_executed(f, "o1")),
            "o1 never executed",
        )?;
        c.world.crash(leader)?; // its work loop has not run since: no AckOrder has left
        ensure(
            !c.facts().iter().any(|f| {
                matches!(
                    f.kind,
                    TraceKind::Send {
                        label: "AckOrder",
                        ..
                    }
                )
            }),
            "ack already sent",
        )?;
        c.world.run_for(secs(20));
        ensure(
            c.order_events("o1", "redelivered") == 1,
            "the unacknowledged lease should come back once",
        )?;
        let dequeuers = dequeuers_of(&c, "o1");
        ensure(
            dequeuers.len() == 2 && dequeuers[1] != leader,
            format!("dequeued by {dequeuers:?}"),
        )?;
        ensure(
            c.order_events("o1", "acked") == 1,
            "the successor acknowledges it",
        )?;
        let got = executors_of(&c, "o1");
        ensure(
            got.len() == 1 && got[0].0 == leader,
            format!("executed by {got:?}, expected once by {leader}"),
        )
    });
}

#[test]
fn a_raft_proposer_that_crashes_before_learning_of_the_commit_records_the_effect_on_restart() {
    let test =
        "a_raft_proposer_that_crashes_before_learning_of_the_commit_records_the_effect_on_restart";
    for_seeds(test, seeds(0..10), |seed| {
        let (mut c, leader, term) =
            with_one_order(seed, ElectionAlgorithm::Raft(RaftConfig::default()))?;
        let followers: Vec<NodeId> = c
            .executors
            .iter()
            .copied()
            .filter(|id| *id != leader)
            .collect();
        ensure(
            c.step_until(secs(5), |f| {
                f.iter()
                    .any(|x| matches!(x.kind, TraceKind::Dequeued { .. }))
            }),
            "no dequeue",
        )?;
        // Followers store the entry, but their acknowledgements never reach the leader.
        for f in &followers {
            let f = *f;
            c.world
                .net_fault("hold follower->leader", |n| n.hold(f, leader));
        }
        let len = |c: &Cluster, id| c.executor_view(id).map(|v| v.log_len).unwrap_or(0);
        for _ in 0..100 {
            if len(&c, leader) > 1 && followers.iter().all(|f| len(&c, *f) == len(&c, leader)) {
                break;
            }
            c.world.run_for(crate::sim::ms(5));
        }
        ensure(
            followers.iter().all(|f| len(&c, *f) == len(&c, leader)),
            "entry not replicated",
        )?;
        c.world.crash(leader)?;
        c.world.net_fault("release", |n| {
            followers.iter().for_each(|f| n.release(*f, leader))
        });
        c.world.run_for(secs(20));
        ensure(
            c.order_events("o1", "acked") == 1,
            "the successor found o1 committed and acknowledged it",
        )?;
        ensure(
            executors_of(&c, "o1").is_empty(),
            "only the proposer may record the effect",
        )?;
        c.world.restart(leader)?;
        c.world.run_for(secs(5));
        ensure(
            executors_of(&c, "o1") == vec![(leader, term)],
            format!("recorded by {:?}", executors_of(&c, "o1")),
        )
    });
}

fn local_modes() -> [ElectionAlgorithm; 2] {
    [
        ElectionAlgorithm::Bully(BullyConfig::default()),
        ElectionAlgorithm::Lease(LeaseConfig::default()),
    ]
}

#[test]
fn a_decided_ack_whose_reply_is_lost_in_a_crash_is_recorded_once_after_restart() {
    let test = "a_decided_ack_whose_reply_is_lost_in_a_crash_is_recorded_once_after_restart";
    for_seeds(test, seeds(0..10), |seed| {
        for algorithm in local_modes() {
            let name = algorithm.name();
            let (mut c, leader, term) = with_one_order(seed, algorithm)?;
            ensure(
                c.step_until(secs(5), |f| {
                    f.iter().any(
                        |x| matches!(&x.kind, TraceKind::Order { status, .. } if status == "acked"),
                    )
                }),
                "no ack",
            )?;
            c.world.crash(leader)?; // the AckReply is on the wire to a dead node
            c.world.run_for(secs(20));
            ensure(
                c.leaders().iter().any(|(_, n, _)| *n != leader),
                format!("{name}: nobody took over"),
            )?;
            ensure(
                c.order_events("o1", "redelivered") == 0,
                format!("{name}: a decided order came back"),
            )?;
            ensure(
                executors_of(&c, "o1").is_empty(),
                format!("{name}: recorded while its decider was down"),
            )?;
            c.world.restart(leader)?;
            c.world.run_for(secs(5));
            let got = executors_of(&c, "o1");
            ensure(
                got == vec![(leader, term)],
                format!("{name}: recorded by {got:?}"),
            )?;
        }
        Ok(())
    });
}

#[test]
fn an_ack_lost_with_its_leader_lets_the_successor_execute_and_the_old_leader_forgets_it() {
    let test =
        "an_ack_lost_with_its_leader_lets_the_successor_execute_and_the_old_leader_forgets_it";
    for_seeds(test, seeds(0..10), |seed| {
        for algorithm in local_modes() {
            let name = algorithm.name();
            let (mut c, leader, _) = with_one_order(seed, algorithm)?;
            let sent = |f: &[Fact]| {
                f.iter().any(|x| {
                    matches!(
                        x.kind,
                        TraceKind::Send {
                            label: "AckOrder",
                            ..
                        }
                    )
                })
            };
            ensure(c.step_until(secs(5), sent), "no ack sent")?;
            let queue = c.queue;
            c.world
                .net_fault("cut leader-queue", |n| n.cut_link(leader, queue));
            c.world.crash(leader)?;
            c.world.run_for(secs(20));
            let got = executors_of(&c, "o1");
            ensure(
                got.len() == 1 && got[0].0 != leader,
                format!("{name}: executed by {got:?}"),
            )?;
            c.world.net_fault("heal", |n| n.heal_all());
            c.world.restart(leader)?;
            c.world.run_for(secs(5));
            ensure(
                executors_of(&c, "o1") == got,
                format!("{name}: the old leader executed it again"),
            )?;
            let pending: Option<Vec<serde_json::Value>> = c
                .world
                .durable(leader)
                .and_then(|d| d.get("exec/pending_acks"));
            ensure(
                pending.is_some_and(|p| p.is_empty()),
                format!("{name}: the refused ack is still pending"),
            )?;
        }
        Ok(())
    });
}

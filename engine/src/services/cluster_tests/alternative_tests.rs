//! The selectable alternatives to Raft — Bully (seed 004) and the lease lock (seed 002) — keep
//! the same contract: only the leader dequeues, and a stale leader is fenced.

use super::harness::{build, entry, for_seeds, seeds, Cluster, Setup};
use super::invariants;
use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::order_queue::ShippingMethod;
use crate::services::executor::ElectionAlgorithm;
use crate::sim::time::fmt_secs;
use crate::sim::trace::TraceKind;
use crate::sim::{ms, secs, Micros, NodeId};

/// Submits one order every 500 ms for `duration`.
fn stream(c: &mut Cluster, prefix: &str, duration: Micros) {
    let end = c.world.now() + duration;
    let mut i = 0;
    while c.world.now() < end {
        c.submit(entry(
            &format!("{prefix}{i}"),
            ShippingMethod::Standard,
            1 + i % 4,
            false,
        ));
        i += 1;
        c.world.run_for(ms(500));
    }
}

fn check_all(c: &Cluster) -> Result<(), String> {
    invariants::all(&c.facts(), &c.confirmed.borrow())
}

fn leader_term(c: &Cluster, id: NodeId) -> u64 {
    c.executor_view(id).map(|v| v.term).unwrap_or(0)
}

#[test]
fn bully_elects_the_highest_id_and_the_next_highest_after_it_crashes() {
    for_seeds(
        "bully_elects_the_highest_id_and_the_next_highest_after_it_crashes",
        seeds(0..20),
        |seed| {
            let mut c = build(Setup::new(
                seed,
                ElectionAlgorithm::Bully(BullyConfig::default()),
            ));
            c.world.run_for(secs(3));
            let (top, second) = (c.executors[2], c.executors[1]);
            if c.current_leaders() != vec![top] {
                return Err(format!(
                    "expected {top} to lead, views say {:?}",
                    c.current_leaders()
                ));
            }
            let first_epoch = leader_term(&c, top);
            c.world.crash(top)?;
            c.world.run_for(secs(4));
            if c.current_leaders() != vec![second] || leader_term(&c, second) <= first_epoch {
                return Err(format!(
                    "after the crash: leaders {:?}",
                    c.current_leaders()
                ));
            }
            Ok(())
        },
    );
}

#[test]
fn two_bully_leaders_on_both_sides_of_a_partition_never_both_get_orders_with_one_epoch() {
    let test =
        "two_bully_leaders_on_both_sides_of_a_partition_never_both_get_orders_with_one_epoch";
    let fenced = for_seeds(test, seeds(0..20), |seed| {
        let mut c = build(Setup::new(
            seed,
            ElectionAlgorithm::Bully(BullyConfig::default()),
        ));
        c.world.run_for(secs(3));
        let top = c.executors[2];
        let others: Vec<NodeId> = c.executors[..2].to_vec();
        // The queue is in neither group: both sides reach it, and both sides elect a leader.
        c.world.net_fault("split top|rest", |n| {
            n.partition(&[vec![top], others.clone()])
        });
        stream(&mut c, "p", secs(15));
        let split_leaders: Vec<NodeId> = c.current_leaders();
        c.world.net_fault("heal", |n| n.heal_all());
        stream(&mut c, "h", secs(5));
        c.world.run_for(secs(20));
        check_all(&c)?;
        if c.current_leaders() != vec![top] {
            return Err(format!("after healing: leaders {:?}", c.current_leaders()));
        }
        Ok(split_leaders.len())
    });
    // The partition must really have produced two leaders at once in some runs.
    assert!(
        fenced.contains(&2),
        "no run had two leaders during the split: {fenced:?}"
    );
}

#[test]
fn a_crashed_lock_holder_is_replaced_once_its_ttl_has_run_out() {
    let times = for_seeds(
        "a_crashed_lock_holder_is_replaced_once_its_ttl_has_run_out",
        seeds(0..20),
        |seed| {
            let mut c = build(Setup::new(
                seed,
                ElectionAlgorithm::Lease(LeaseConfig::default()),
            ));
            c.world.run_for(secs(5));
            let leaders = c.current_leaders();
            let [old] = leaders[..] else {
                return Err(format!("leaders at start: {leaders:?}"));
            };
            let token = leader_term(&c, old);
            let crashed_at = c.world.now();
            c.world.crash(old)?;
            let (t, _, new_token) = c
                .run_until_leader(secs(10), |t, n, _| t > crashed_at && n != old)
                .ok_or("no successor")?;
            if new_token <= token {
                return Err(format!("successor token {new_token} not above {token}"));
            }
            Ok(t - crashed_at)
        },
    );
    let max = times.iter().copied().max().unwrap_or(0);
    println!(
        "lease: successor after the holder crashed: max {} over {} runs",
        fmt_secs(max),
        times.len()
    );
    // TTL 3 s from the last renewal, plus at most one retry interval (0.9 s) and a round trip.
    assert!(max <= secs(4) + ms(100), "took {}", fmt_secs(max));
}

#[test]
fn a_lease_holder_cut_off_from_the_lock_stops_dequeuing_before_its_successor_starts() {
    let test = "a_lease_holder_cut_off_from_the_lock_stops_dequeuing_before_its_successor_starts";
    for_seeds(test, seeds(0..20), |seed| {
        let mut c = build(Setup::new(
            seed,
            ElectionAlgorithm::Lease(LeaseConfig::default()),
        ));
        c.world.run_for(secs(5));
        let leaders = c.current_leaders();
        let [old] = leaders[..] else {
            return Err(format!("leaders at start: {leaders:?}"));
        };
        stream(&mut c, "a", secs(2));
        let lock = c.lock.ok_or("no lock node")?;
        c.world
            .net_fault("cut holder-lock", |n| n.cut_link(old, lock));
        stream(&mut c, "b", secs(10));
        c.world.run_for(secs(15));
        check_all(&c)?;
        let facts = c.facts();
        let stepped_at = facts
            .iter()
            .find(|f| f.node == old && matches!(f.kind, TraceKind::StepDown { .. }))
            .map(|f| f.t_us)
            .ok_or("the cut-off holder never stepped down")?;
        let dequeues = |by_old: bool| {
            facts.iter().filter_map(move |f| match f.kind {
                TraceKind::Dequeued { executor, .. } if (executor == old) == by_old => Some(f.t_us),
                _ => None,
            })
        };
        let last_old = dequeues(true).max().unwrap_or(0);
        let first_new = dequeues(false)
            .min()
            .ok_or("the successor dequeued nothing")?;
        if !(last_old < stepped_at && stepped_at < first_new) {
            return Err(format!("old holder's last dequeue {last_old}, step-down {stepped_at}, successor's first {first_new}"));
        }
        Ok(())
    });
}

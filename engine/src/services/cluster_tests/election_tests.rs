//! Raft election tests in the style of a Raft course's lab 2A, on the real services: initial
//! election, re-election after the leader crashes, no leader on a minority side, the stale
//! leader stepping down after a heal (and, with pre-vote, not forcing a new term). Figures are printed (`--nocapture`) for the report.

use super::harness::{build, for_seeds, seeds, Cluster, Setup};
use crate::protocol::raft::RaftConfig;
use crate::services::executor::ElectionAlgorithm;
use crate::sim::time::fmt_secs;
use crate::sim::trace::TraceKind;
use crate::sim::{secs, Micros, NodeId};

/// 3 × the longest election timeout: one split vote and a retry fit with room to spare.
const ELECTION_BOUND_US: Micros = 9_000_000;

fn raft(seed: u64, executors: u32) -> Cluster {
    let mut setup = Setup::new(seed, ElectionAlgorithm::Raft(RaftConfig::default()));
    setup.executors = executors;
    build(setup)
}

fn summary(label: &str, times: &[Micros]) {
    let max = times.iter().copied().max().unwrap_or(0);
    let min = times.iter().copied().min().unwrap_or(0);
    let mean = times.iter().sum::<u64>() / times.len().max(1) as u64;
    println!(
        "{label}: {} runs, min {}, mean {}, max {}",
        times.len(),
        fmt_secs(min),
        fmt_secs(mean),
        fmt_secs(max)
    );
}

#[test]
fn a_leader_is_elected_within_the_bound_after_start() {
    let times = for_seeds(
        "a_leader_is_elected_within_the_bound_after_start",
        seeds(0..100),
        |seed| {
            let mut c = raft(seed, 3);
            let (t, _, _) = c
                .run_until_leader(ELECTION_BOUND_US, |_, _, _| true)
                .ok_or("no leader elected")?;
            c.world.run_for(secs(5));
            match c.current_leaders().len() {
                1 => Ok(t),
                n => Err(format!(
                    "{n} nodes think they lead 5 s after the first election"
                )),
            }
        },
    );
    summary("raft: first leader after start", &times);
    // The randomised timeout is at least 1.5 s: an earlier leader would mean no timeout ran.
    assert!(times.iter().all(|t| *t >= 1_500_000));
}

#[test]
fn a_new_leader_is_elected_after_the_leader_crashes() {
    let test = "a_new_leader_is_elected_after_the_leader_crashes";
    let times = for_seeds(test, seeds(0..50), |seed| {
        let mut c = raft(seed, 3);
        let (_, old, term) = c
            .run_until_leader(ELECTION_BOUND_US, |_, _, _| true)
            .ok_or("no first leader")?;
        c.world.run_for(secs(2));
        let crashed_at = c.world.now();
        c.world.crash(old)?;
        let (t, new, new_term) = c
            .run_until_leader(ELECTION_BOUND_US, |t, n, tm| {
                t >= crashed_at && n != old && tm > term
            })
            .ok_or("no new leader after the crash")?;
        c.world.run_for(secs(3));
        if c.current_leaders() != vec![new] {
            return Err(format!(
                "expected {new} alone to lead term {new_term}, views say {:?}",
                c.current_leaders()
            ));
        }
        Ok(t - crashed_at)
    });
    summary("raft: new leader after the leader crashed", &times);
}

/// Runs a 5-node cluster to a leader, then cuts the leader and one follower off from the rest
/// (the queue stays with the majority). Returns (cluster, old leader, its term, minority, cut time).
fn split_with_leader_in_minority(
    seed: u64,
) -> Result<(Cluster, NodeId, u64, Vec<NodeId>, Micros), String> {
    let mut c = raft(seed, 5);
    let (_, old, term) = c
        .run_until_leader(ELECTION_BOUND_US, |_, _, _| true)
        .ok_or("no first leader")?;
    c.world.run_for(secs(1));
    let buddy = *c
        .executors
        .iter()
        .find(|id| **id != old)
        .ok_or("no follower")?;
    let minority = vec![old, buddy];
    let mut majority: Vec<NodeId> = c
        .executors
        .iter()
        .copied()
        .filter(|id| !minority.contains(id))
        .collect();
    majority.push(c.queue);
    let groups = [minority.clone(), majority];
    c.world.net_fault("split 2|3", |n| n.partition(&groups));
    let cut_at = c.world.now();
    Ok((c, old, term, minority, cut_at))
}

#[test]
fn the_majority_side_elects_a_leader_and_the_minority_side_elects_no_one() {
    let test = "the_majority_side_elects_a_leader_and_the_minority_side_elects_no_one";
    for_seeds(test, seeds(0..30), |seed| {
        let (mut c, old, term, minority, cut_at) = split_with_leader_in_minority(seed)?;
        c.world.run_for(secs(20));
        let after: Vec<_> = c
            .leaders()
            .into_iter()
            .filter(|(t, _, _)| *t >= cut_at)
            .collect();
        if let Some((_, n, tm)) = after.iter().find(|(_, n, _)| minority.contains(n)) {
            return Err(format!("minority node {n} became leader of term {tm}"));
        }
        if !after.iter().any(|(_, _, tm)| *tm > term) {
            return Err("the majority side elected no one".into());
        }
        // Check-quorum: the cut-off leader stops leading by itself, before any heal.
        let stepped = c.facts().iter().any(|f| {
            f.node == old
                && f.kind
                    == TraceKind::StepDown {
                        cluster: "executors".into(),
                        term,
                    }
        });
        if !stepped || minority.iter().any(|id| c.current_leaders().contains(id)) {
            return Err(format!(
                "the old leader {old} is still leading on the minority side"
            ));
        }
        Ok(())
    });
}

/// With pre-vote (the default) the majority's leader keeps leading after the heal: the
/// returning minority never raised its term, so no new term starts once the links are back.
#[test]
fn after_the_partition_heals_the_majority_leader_keeps_its_term_and_the_old_one_has_stepped_down() {
    let test = "after_the_partition_heals_the_majority_leader_keeps_its_term_and_the_old_one_has_stepped_down";
    for_seeds(test, seeds(0..30), |seed| {
        let (mut c, old, term, _, _) = split_with_leader_in_minority(seed)?;
        c.world.run_for(secs(10));
        let before = c.current_leaders();
        let [majority_leader] = before[..] else {
            return Err(format!("leaders before healing: {before:?}"));
        };
        let healed_at = c.world.now();
        c.world.net_fault("heal", |n| n.heal_all());
        c.world.run_for(secs(10));
        let leaders = c.current_leaders();
        let [leader] = leaders[..] else {
            return Err(format!(
                "{} leaders after healing: {leaders:?}",
                leaders.len()
            ));
        };
        let top = c.executor_view(leader).map(|v| v.term).unwrap_or(0);
        let new_terms: Vec<_> = c
            .leaders()
            .into_iter()
            .filter(|(t, _, tm)| *t >= healed_at || *tm > top)
            .collect();
        if leader != majority_leader || !new_terms.is_empty() {
            return Err(format!("{majority_leader} led before the heal, {leader} (term {top}) after; new: {new_terms:?}"));
        }
        if let Some(behind) = c
            .executors
            .iter()
            .find(|id| c.executor_view(**id).is_some_and(|v| v.term != top))
        {
            return Err(format!(
                "{behind} is not in the leader's term {top} after the heal"
            ));
        }
        let old_view = c.executor_view(old).ok_or("old leader has no view")?;
        if old_view.role == "leader" || old_view.term != top || top <= term {
            return Err(format!(
                "old leader {old} at term {} role {}, leader term {top}",
                old_view.term, old_view.role
            ));
        }
        let stepped = c.facts().iter().any(|f| {
            f.node == old
                && f.kind
                    == TraceKind::StepDown {
                        cluster: "executors".into(),
                        term,
                    }
        });
        if !stepped {
            return Err(format!("no StepDown from the old leader {old}"));
        }
        Ok(())
    });
}

//! The Raft driver's persist → sync → send contract, shown by breaking it. A voter that sends
//! its vote before the vote is synced, crashed in between and restarted, has forgotten the
//! vote and gives another candidate a vote in the same term: two leaders of one term, which
//! the election-safety invariant (`invariants/election_safety.rs`) reports. The correct
//! driver, crashed at the same instant, has not sent the vote yet, and nothing trips.
//!
//! The run: executor C is cut off from the start; A and B elect. The moment B's vote for A is
//! in its page cache but not yet synced, B crashes. Then A (a leader only if B's vote left) is
//! cut off, B restarts, and B and C elect a leader of their own.

use super::harness::{build, for_seeds, seeds, Cluster, Setup};
use crate::invariants::{Checker, Violation};
use crate::protocol::raft::{HardState, RaftConfig};
use crate::services::executor::ElectionAlgorithm;
use crate::sim::{ms, secs, NodeId};
use crate::system::observer::Observer;

/// The voter whose vote for another node is written but not yet synced, with that candidate.
fn unsynced_voter(c: &Cluster, pair: [NodeId; 2]) -> Option<(NodeId, NodeId)> {
    pair.iter().find_map(|&v| {
        let vote = c.world.read_disk(v, |d| {
            let hs: Option<HardState> = d.get("raft/hard_state");
            hs.and_then(|h| h.voted_for)
                .filter(|_| d.unsynced_writes() > 0)
        })?;
        vote.filter(|cand| pair.contains(cand) && *cand != v)
            .map(|cand| (v, cand))
    })
}

/// Runs the story above; returns every violation the invariants found in the trace.
fn crash_a_voter_before_its_sync(
    seed: u64,
    send_before_sync: bool,
) -> Result<Vec<Violation>, String> {
    let mut setup = Setup::new(seed, ElectionAlgorithm::Raft(RaftConfig::default()));
    setup.send_before_sync = send_before_sync;
    let mut c = build(setup);
    let [a, b, isolated] = c.executors[..] else {
        return Err("three executors expected".into());
    };
    let rest: Vec<NodeId> = vec![a, b, c.queue, c.client];
    c.world
        .net_fault("isolate C", |n| n.partition(&[vec![isolated], rest]));
    let limit = c.world.now() + secs(20);
    let (voter, candidate) = loop {
        if let Some(found) = unsynced_voter(&c, [a, b]) {
            break found;
        }
        if !c.world.step_before(limit) {
            return Err("no vote was ever cast".into());
        }
    };
    c.world.crash(voter)?;
    // Long enough for a vote already on the wire to arrive and make the candidate leader.
    c.run_until_leader(ms(300), |_, n, _| n == candidate);
    let others: Vec<NodeId> = vec![voter, isolated, c.queue, c.client];
    c.world.net_fault("isolate the candidate", |n| {
        n.heal_all();
        n.partition(&[vec![candidate], others]);
    });
    c.world.restart(voter)?;
    c.world.run_for(secs(15));
    let mut observer = Observer::default();
    let mut checker = Checker::default();
    for ev in c.world.trace().since(0) {
        observer.observe(ev);
        checker.check(ev, &observer);
    }
    if !c
        .current_leaders()
        .iter()
        .any(|l| *l == voter || *l == isolated)
    {
        return Err("the voter and the cut-off node elected no leader".into());
    }
    Ok(checker.violations)
}

#[test]
fn a_voter_crashed_before_its_sync_has_sent_nothing_and_one_leader_per_term_holds() {
    let test = "a_voter_crashed_before_its_sync_has_sent_nothing_and_one_leader_per_term_holds";
    for_seeds(
        test,
        seeds(0..10),
        |seed| match crash_a_voter_before_its_sync(seed, false)? {
            v if v.is_empty() => Ok(()),
            v => Err(format!("violations: {v:?}")),
        },
    );
}

#[test]
fn a_voter_that_sends_before_its_sync_votes_twice_and_election_safety_trips() {
    let test = "a_voter_that_sends_before_its_sync_votes_twice_and_election_safety_trips";
    for_seeds(test, seeds(0..10), |seed| {
        let violations = crash_a_voter_before_its_sync(seed, true)?;
        match violations
            .iter()
            .find(|v| v.invariant == "one leader per term")
        {
            Some(v) if v.detail.contains("both became leader of term") => Ok(()),
            _ => Err(format!("election safety did not trip: {violations:?}")),
        }
    });
}

/// A Raft node whose disk refuses its next persist stops (it cannot vote or acknowledge
/// without breaking a promise), with the reason in the trace; freed and restarted, it rejoins
/// and the cluster elects again, one leader per term throughout.
#[test]
fn a_raft_node_whose_disk_fills_stops_and_rejoins_once_freed_and_restarted() {
    let test = "a_raft_node_whose_disk_fills_stops_and_rejoins_once_freed_and_restarted";
    for_seeds(test, seeds(0..5), |seed| {
        let mut c = build(Setup::new(
            seed,
            ElectionAlgorithm::Raft(RaftConfig::default()),
        ));
        let (_, leader, _) = c
            .run_until_leader(secs(10), |_, _, _| true)
            .ok_or("no leader")?;
        let full = *c
            .executors
            .iter()
            .find(|e| **e != leader)
            .ok_or("no follower")?;
        c.world.set_disk_full(full, true)?;
        c.world.crash(leader)?; // the next election makes every live node write its term
        c.world.run_for(secs(10));
        if c.world.liveness(full) != Some(crate::sim::Liveness::Crashed) {
            return Err(format!("{full} kept running on a full disk"));
        }
        let said_why = c.world.trace().since(0).any(|e| {
            e.node == full
                && matches!(&e.kind, crate::sim::trace::TraceKind::Log { text }
                    if text.contains("raft persist failed: disk full"))
        });
        if !said_why {
            return Err("no reason in the trace".into());
        }
        c.world.set_disk_full(full, false)?;
        c.world.restart(full)?;
        let back = c.world.now();
        c.run_until_leader(secs(15), |t, _, _| t >= back)
            .ok_or("no leader after the restart")?;
        super::invariants::one_leader_per_term(&c.facts())
    });
}

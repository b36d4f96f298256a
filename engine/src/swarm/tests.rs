//! The swarm in the test suite: 2,000 seeds in eight shards (the harness runs them in
//! parallel), the same seed replaying the same run, a planted bug found and shrunk.

use super::runner::Summary;
use super::shard::Shard;
use super::*;

/// Seeds per shard × shards = the seeds `cargo test` runs.
const SHARDS: u64 = 8;
const SEEDS: u64 = 2_000;

fn sweep(index: u64) {
    let settings = SwarmSettings::default();
    let seeds: Vec<u64> = match std::env::var("SEED") {
        Ok(s) => vec![s.trim().parse().expect("SEED must be a number")],
        Err(_) => Shard {
            index,
            count: SHARDS,
        }
        .seeds(0..SEEDS)
        .collect(),
    };
    let mut summary = Summary::default();
    for seed in &seeds {
        summary.run_seed(*seed, &settings);
    }
    for f in &summary.failing {
        eprintln!(
            "failing seed {}: {}; reproduce: cargo run --profile fast -p engine --bin bookmesh -- swarm --seeds {}",
            f.seed, f.failure, f.seed
        );
    }
    for (seed, e) in &summary.errors {
        eprintln!("seed {seed} could not run: {e}; reproduce: SEED={seed} cargo test -p engine swarm_shard_{index}");
    }
    println!(
        "swarm shard {index}/{SHARDS}: {} seeds, {} episodes ({}), {} transactions decided",
        summary.seeds_run,
        summary.episodes(),
        summary.kinds_line(),
        summary.transactions_decided
    );
    assert!(
        summary.passed(),
        "{} failing seeds, {} errors",
        summary.failing.len(),
        summary.errors.len()
    );
    if std::env::var("SEED").is_err() {
        assert!(
            summary.episodes() > 2 * summary.seeds_run,
            "too few faults to prove anything"
        );
    }
}

// Eight test functions, so the harness runs the shards in parallel (about 90 s per 1,000
// seeds in a debug build: about 25 s per shard).
#[test]
fn swarm_shard_0() {
    sweep(0);
}
#[test]
fn swarm_shard_1() {
    sweep(1);
}
#[test]
fn swarm_shard_2() {
    sweep(2);
}
#[test]
fn swarm_shard_3() {
    sweep(3);
}
#[test]
fn swarm_shard_4() {
    sweep(4);
}
#[test]
fn swarm_shard_5() {
    sweep(5);
}
#[test]
fn swarm_shard_6() {
    sweep(6);
}
#[test]
fn swarm_shard_7() {
    sweep(7);
}

#[test]
fn shards_cover_the_range_once() {
    let mut all: Vec<u64> = (0..SHARDS)
        .flat_map(|index| {
            Shard {
                index,
                count: SHARDS,
            }
            .seeds(0..SEEDS)
        })
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..SEEDS).collect::<Vec<_>>());
    assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
    for bad in ["8/8", "1/0", "x/2", "3"] {
        assert!(Shard::parse(bad).unwrap_err().contains("--shard"), "{bad}");
    }
    assert_eq!(shard::parse_range("5..=7"), Ok(5..8));
    assert_eq!(shard::parse_range("9"), Ok(9..10));
    assert!(shard::parse_range("7..7").unwrap_err().contains("--seeds"));
}

/// Equal seeds give equal runs; different seeds different ones. A case that cannot run is an
/// error, compared as such (never as a hash of 0 that two failing runs would share).
#[test]
fn the_same_seed_replays_the_same_swarm_run() {
    let settings = SwarmSettings::default();
    let run = |seed| run_case(&Case::draw(seed, &settings).expect("draws")).map(|o| o.trace_hash);
    let (a, b, other) = (run(11), run(11), run(12));
    assert!(a.is_ok(), "{a:?}");
    assert_eq!(a, b);
    assert_ne!(a, other);
}

/// Swarm seed 72 found this: a lease holder that crashes and restarts within its lease gets
/// the same fencing token back and leads that term a second time; "only the leader dequeues"
/// judged its dequeues against the first, closed, span and reported a violation that was not.
/// The shrunk case, as the swarm wrote it: one crash of the leader, one order.
#[test]
fn a_lease_holder_that_restarts_within_its_lease_may_dequeue_again() {
    let mut case = Case::draw(72, &SwarmSettings::default()).expect("draws");
    assert_eq!(
        case.cluster.election,
        crate::system::config::Election::Lease
    );
    case.episodes.retain(|e| e.kind == FaultKind::CrashLeader);
    let outcome = run_case(&case).expect("runs");
    assert!(!outcome.failed(), "{:#?}", outcome.failures);
}

/// A broken variant found by the swarm and shrunk: a 2PC coordinator that counts a
/// participant's silence as a commit vote. Some seed among the first hundred must catch it,
/// and the shrunk case must be smaller and still break the same property.
#[test]
fn the_swarm_finds_a_2pc_that_commits_on_a_timeout_and_shrinks_it() {
    let _bug = crate::bugs::plant(crate::bugs::Bug::CommitOnPrepareTimeout);
    let settings = SwarmSettings::default();
    let mut summary = Summary::default();
    let found = (0..100)
        .find_map(|seed| summary.run_seed(seed, &settings).cloned())
        .expect("no seed of 100 caught a 2PC that commits on a timeout");
    println!("found by seed {}: {}", found.seed, found.failure);
    let shrunk = shrink::shrink(&found.case, &found.failure, 150);
    let before = (found.case.episodes.len(), found.case.orders.len());
    let after = (shrunk.case.episodes.len(), shrunk.case.orders.len());
    println!(
        "shrunk in {} runs: episodes, orders {before:?} → {after:?}",
        shrunk.runs
    );
    assert!(
        after.0 + after.1 < before.0 + before.1,
        "{before:?} → {after:?}"
    );
    let again = run_case(&shrunk.case).expect("runs");
    assert!(
        again
            .failures
            .iter()
            .any(|f| f.invariant == found.failure.invariant),
        "the shrunk case no longer fails with {}: {:#?}",
        found.failure.invariant,
        again.failures
    );
    // The shrunk case is a scenario file the runner reads back as the same case and run.
    let text = shrunk.case.scenario().to_json().to_string();
    let parsed = crate::scenario::Scenario::parse(&text).expect("parses");
    assert_eq!(parsed.inputs, shrunk.case.inputs());
    let replayed = parsed.run(parsed.seed, parsed.until_ms).expect("runs");
    assert_eq!(replayed.world().trace_hash(), again.trace_hash);
}

/// Planted bugs the swarm finds on its own, each by the property it breaks, with the first
/// seed that caught it when this was written (seeds 0–199). The last two were found by no seed
/// of 200 until the swarm drew short queue leases (2–5 s, one seed in two) and rushes (four
/// times the checkout rate, one seed in three): `QueueAcksAnyLease` needs an order redelivered
/// while its first executor still works on it, and `DeposedLeaderKeepsDequeuing` needs orders
/// waiting in the queue at the instant a Raft leader hears of a newer term.
#[test]
fn the_swarm_finds_planted_bugs_by_the_property_each_breaks() {
    use crate::bugs::Bug;
    use crate::invariants::{
        executed_once, leader_only_dequeues, no_order_lost, one_acting_leader, stock_conservation,
    };
    let expected: [(Bug, &str, u64); 10] = [
        (Bug::RaftVotesTwice, "one leader per term", 5),
        (
            Bug::BullyProclaimsWithoutHalting,
            one_acting_leader::NAME,
            2,
        ),
        (Bug::CommitOnPrepareTimeout, "2PC atomicity", 0),
        (Bug::AckBeforeQuorum, "no acknowledged write lost", 3),
        (Bug::BackupSkipsCommits, stock_conservation::NAME, 0),
        (Bug::AckBeforeDeciding, no_order_lost::NAME, 3),
        (Bug::DagIgnoresDependencies, "clocks respect causality", 0),
        (Bug::QueueAcksAnyLease, executed_once::NAME, 139),
        (
            Bug::DeposedLeaderKeepsDequeuing,
            leader_only_dequeues::NAME,
            74,
        ),
        (
            Bug::OrchestratorTicksOncePerOrder,
            "every event ticks its clock",
            0,
        ),
    ];
    for (bug, property, first_seed) in expected {
        let _bug = crate::bugs::plant(bug);
        let mut summary = Summary::default();
        // Searched up to seed 199, not just to the seed noted: a change elsewhere in the engine
        // may move which seed catches it first, which is no regression.
        let found =
            (0..200).find_map(|seed| summary.run_seed(seed, &SwarmSettings::default()).cloned());
        let found = found.unwrap_or_else(|| {
            panic!("{bug:?}: no seed of 200 caught it (seed {first_seed} did when written)")
        });
        assert_eq!(
            found.failure.invariant, property,
            "{bug:?}: {}",
            found.failure
        );
    }
}

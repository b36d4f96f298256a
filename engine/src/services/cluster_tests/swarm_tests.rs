//! Swarm tests over many seeds per election algorithm (see `swarm.rs`). Rerun one seed with
//! `SEED=n cargo test -p engine <test name>`.

use super::harness::{for_seeds, seeds};
use super::swarm::{self, Chaos, SwarmStats};
use crate::protocol::bully::BullyConfig;
use crate::protocol::lease::LeaseConfig;
use crate::protocol::raft::RaftConfig;
use crate::services::executor::ElectionAlgorithm;

fn report(label: &str, runs: &[SwarmStats]) {
    let sum = |f: fn(&SwarmStats) -> u32| runs.iter().map(f).sum::<u32>();
    println!(
        "{label}: {} seeds, {} orders executed exactly once, {} leader elections, {} step-downs, {} crashes, {} redeliveries",
        runs.len(),
        sum(|s| s.orders),
        sum(|s| s.leaders),
        sum(|s| s.step_downs),
        sum(|s| s.crashes),
        sum(|s| s.redeliveries),
    );
}

fn swarm(test: &str, algorithm: fn() -> ElectionAlgorithm) -> Vec<SwarmStats> {
    let runs = for_seeds(test, seeds(0..50), |seed| {
        swarm::run(seed, algorithm(), Chaos::with_orders())
    });
    // The chaos must have bitten, or the run proved nothing.
    assert!(runs.iter().map(|s| s.crashes).sum::<u32>() > runs.len() as u32);
    assert!(runs.iter().map(|s| s.orders).sum::<u32>() > 20 * runs.len() as u32);
    runs
}

#[test]
fn swarm_raft() {
    let runs = swarm("swarm_raft", || {
        ElectionAlgorithm::Raft(RaftConfig::default())
    });
    report("swarm raft", &runs);
}

#[test]
fn swarm_bully() {
    let runs = swarm("swarm_bully", || {
        ElectionAlgorithm::Bully(BullyConfig::default())
    });
    report("swarm bully", &runs);
}

#[test]
fn swarm_lease() {
    let runs = swarm("swarm_lease", || {
        ElectionAlgorithm::Lease(LeaseConfig::default())
    });
    report("swarm lease", &runs);
}

fn algorithms() -> [ElectionAlgorithm; 3] {
    [
        ElectionAlgorithm::Raft(RaftConfig::default()),
        ElectionAlgorithm::Bully(BullyConfig::default()),
        ElectionAlgorithm::Lease(LeaseConfig::default()),
    ]
}

#[test]
fn no_two_leaders_ever_share_a_term_over_many_seeds_for_every_algorithm() {
    for algorithm in algorithms() {
        let name = algorithm.name();
        let test = "no_two_leaders_ever_share_a_term_over_many_seeds_for_every_algorithm";
        let runs = for_seeds(test, seeds(1_000..1_120), |seed| {
            swarm::run(seed, algorithm.clone(), Chaos::elections_only())
        });
        let elections: u32 = runs.iter().map(|s| s.leaders).sum();
        println!(
            "{name}: {} seeds, {elections} leaderships, never two leaders in one term",
            runs.len()
        );
        assert!(
            elections > 2 * runs.len() as u32,
            "{name}: too few elections to prove anything"
        );
    }
}

#[test]
fn the_same_seed_replays_the_same_run_for_every_algorithm() {
    for algorithm in algorithms() {
        let run = |seed| swarm::run(seed, algorithm.clone(), Chaos::with_orders());
        let (a, b, other) = (run(5), run(5), run(6));
        // A failing run is compared as its error, never as a placeholder hash: two runs that
        // both failed would otherwise compare equal and hide a divergence.
        let hash =
            |r: &Result<SwarmStats, String>| r.as_ref().map(|s| s.trace_hash).map_err(Clone::clone);
        assert!(a.is_ok(), "{}: seed 5 failed: {a:?}", algorithm.name());
        assert!(
            other.is_ok(),
            "{}: seed 6 failed: {other:?}",
            algorithm.name()
        );
        assert_eq!(
            hash(&a),
            hash(&b),
            "{}: seed 5 ran differently twice",
            algorithm.name()
        );
        assert_ne!(
            hash(&a),
            hash(&other),
            "{}: seeds 5 and 6 gave the same run",
            algorithm.name()
        );
    }
}

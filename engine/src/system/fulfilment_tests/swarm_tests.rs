//! Faults on every node (executors, database nodes, payment, queue), partitions and loss
//! while orders stream in; then a healed phase. Afterwards: every approved order ended
//! COMMITTED or ABORTED, payment captured iff stock taken, replicas equal initial − committed,
//! no acknowledged write lost (all through the checkers).

use super::*;
use crate::sim::rng::SimRng;
use crate::testing::{seeds, SeedGuard};

const NODES: [&str; 9] = [
    "executor-0",
    "executor-1",
    "executor-2",
    "books-db-0",
    "books-db-1",
    "books-db-2",
    "payment",
    "queue",
    "executor-1",
];
const BOOKS: [&str; 4] = ["Dune", "Emma", "Beloved", "Clean Architecture"];

/// Every node of the deployment, so a partition isolates one node from all the others.
fn everyone(election: Election) -> Vec<String> {
    let mut all: Vec<String> = [
        "client",
        "orchestrator",
        "verification",
        "fraud",
        "suggestions",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    all.extend(NODES.iter().map(|s| s.to_string()));
    if election == Election::Lease {
        all.push("lock".into());
    }
    all.sort();
    all.dedup();
    all
}

fn chaos_inputs(seed: u64, election: Election) -> Vec<TimedInput> {
    let mut rng = SimRng::derive(seed, "fulfilment-swarm");
    let mut inputs = Vec::new();
    for n in 0..40u64 {
        let book = BOOKS[rng.below(BOOKS.len() as u64) as usize];
        inputs.push(checkout(
            2000 + n * 700,
            order(n, book, 1 + rng.below(2) as u32),
        ));
    }
    let mut t = 3000;
    loop {
        t += 500 + rng.below(2500);
        if t >= 30_000 {
            break; // every fault lands before the healed phase begins
        }
        let node = NODES[rng.below(NODES.len() as u64) as usize].to_string();
        let action = match rng.below(5) {
            0 | 1 => Action::Crash(node),
            2 => {
                let rest = everyone(election)
                    .into_iter()
                    .filter(|n| *n != node)
                    .collect();
                Action::Partition(vec![vec![node], rest])
            }
            3 => Action::Loss(0.05),
            _ => Action::RestartCrashed,
        };
        inputs.push(TimedInput::at(t, action));
    }
    // The healed phase: everything back, no partitions, no loss.
    inputs.push(TimedInput::at(31_000, Action::Heal));
    inputs.push(TimedInput::at(31_000, Action::Loss(0.0)));
    inputs.push(TimedInput::at(31_000, Action::RestartCrashed));
    inputs
}

fn swarm(election: Election, test: &'static str) {
    let mut decided_total = 0;
    for seed in seeds(0..6) {
        let _guard = SeedGuard::new(test, seed);
        let cfg = ClusterConfig {
            stock: [("Dune".to_string(), 4)].into(),
            decline_rate: 0.1,
            ..config(election)
        };
        let mut sys = system(cfg, seed, chaos_inputs(seed, election));
        sys.run_until(secs(120));
        let v = violations(&sys);
        assert!(v.is_empty(), "seed {seed}: {v:#?}");
        let behind = unconverged_replicas(&sys);
        assert!(
            behind.is_empty(),
            "seed {seed}: replicas did not converge: {behind:?}"
        );
        // Approved orders only: a checkout the client never heard back about was not approved.
        let pending: Vec<_> = finals(&sys)
            .into_iter()
            .filter(|(f, reason)| f == "PENDING" && reason.is_none())
            .collect();
        assert!(
            pending.is_empty(),
            "seed {seed}: approved orders without an outcome: {pending:?}"
        );
        decided_total += sys
            .observer
            .txns
            .values()
            .filter(|t| t.state.is_final())
            .count();
    }
    if !crate::testing::one_seed_only() {
        assert!(
            decided_total >= 60,
            "only {decided_total} transactions finished over the sweep: it tests too little"
        );
    }
}

#[test]
fn swarm_raft_every_approved_order_ends_committed_or_aborted_and_stock_is_conserved() {
    swarm(Election::Raft, "swarm_raft_every_approved_order");
}

#[test]
fn swarm_bully_every_approved_order_ends_committed_or_aborted_and_stock_is_conserved() {
    swarm(Election::Bully, "swarm_bully_every_approved_order");
}

#[test]
fn swarm_lease_every_approved_order_ends_committed_or_aborted_and_stock_is_conserved() {
    swarm(Election::Lease, "swarm_lease_every_approved_order");
}

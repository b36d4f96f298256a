//! Stock conservation against a backup replica that skips the commits it should apply.

use super::*;
use crate::invariants::stock_conservation::NAME;
use crate::sim::secs;
use crate::system::config::{ClusterConfig, Election};
use crate::system::fulfilment_tests::{checkout, config, order, replica_stock, system};

fn one_order_commits() -> System {
    let cfg = ClusterConfig {
        stock: [("Dune".to_string(), 5)].into(),
        ..config(Election::Raft)
    };
    let mut sys = system(cfg, 3, vec![checkout(3000, order(1, "Dune", 2))]);
    sys.run_until(secs(20));
    sys
}

#[test]
fn a_backup_that_skips_a_committed_entry_breaks_stock_conservation() {
    let (honest, clean, broken) =
        honest_and_broken(Bug::BackupSkipsCommits, NAME, one_order_commits);
    assert_eq!(replica_stock(&honest, "Dune"), vec![3, 3, 3]);
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken
            .iter()
            .any(|v| v.contains("holds 5 × \"Dune\", expected 3")),
        "{broken:#?}"
    );
}

//! No acknowledged write lost, against a books-database primary that acknowledges a write
//! before a quorum holds it.

use super::*;
use crate::invariants::db_state_machine_safety::NAME;
use crate::services::books_db::{CLUSTER, SERVICE};
use crate::sim::secs;
use crate::system::config::Election;
use crate::system::fulfilment_tests::{checkout, config, order, system};
use crate::system::inputs::Action;

/// The database primary is cut off from its backups (not from the executors or the payment
/// node) just before an order arrives: it can append the order's writes but never commit
/// them, and the backups elect a new primary whose log has other entries at those indexes.
fn primary_cut_off_from_its_backups() -> System {
    let mut sys = system(config(Election::Raft), 5, Vec::new());
    sys.run_until(secs(4));
    let primary = sys
        .observer
        .current_leader(CLUSTER)
        .expect("the database has a primary by 4 s")
        .node;
    let (alone, backups): (Vec<_>, Vec<_>) = sys
        .world()
        .nodes()
        .iter()
        .filter(|n| n.service == SERVICE)
        .map(|n| (n.id, n.name.clone()))
        .partition(|(id, _)| *id == primary);
    let names = |g: Vec<(crate::sim::NodeId, String)>| g.into_iter().map(|n| n.1).collect();
    sys.act(Action::Partition(vec![names(alone), names(backups)]))
        .expect("a valid partition");
    let at = sys.now() / 1000 + 100;
    sys.schedule(vec![checkout(at, order(1, "Dune", 1))])
        .expect("valid inputs");
    sys.run_until(secs(16));
    sys
}

#[test]
fn a_primary_that_acknowledges_before_its_quorum_loses_an_acknowledged_write() {
    let (honest, clean, broken) =
        honest_and_broken(Bug::AckBeforeQuorum, NAME, primary_cut_off_from_its_backups);
    let primaries = honest
        .observer
        .leaders
        .iter()
        .filter(|s| s.cluster == CLUSTER)
        .count();
    assert!(primaries >= 2, "the backups elected a new primary");
    assert_only_the_broken_run_trips(NAME, &clean, &broken);
    assert!(
        broken[0].contains("was acknowledged there first"),
        "{broken:#?}"
    );
}

//! The storefront's stock reads on the full deployment (seed 003): round-robin replica reads
//! are judged stale exactly when the answering replica lacks an acknowledged write; strong
//! reads through the primary never are; the switch and the decline rates change while running.
use super::*;
use crate::services::stock_reader::StockReads;
use crate::sim::secs;
use crate::system::stock_reads::ReadRecord;
use std::collections::BTreeMap;

const BOOK: &str = "Dune";

fn reads_config(mode: StockReads) -> ClusterConfig {
    ClusterConfig {
        stock: BTreeMap::from([(BOOK.to_string(), 5)]),
        stock_reads: mode,
        ..config(Election::Raft)
    }
}

/// Cuts one database backup off from the other replicas (the shopper still reaches it) at 3 s,
/// sells a copy at 3.5 s, runs to 10 s. Returns the system and the backup's name.
fn sale_while_a_backup_is_cut_off(mode: StockReads, seed: u64) -> (System, String) {
    let mut sys = system(reads_config(mode), seed, vec![]);
    sys.run_until(secs(3));
    let primary = sys
        .observer
        .current_leader("books-db")
        .expect("a primary")
        .node;
    let db: Vec<String> = sys
        .world()
        .nodes()
        .iter()
        .filter(|n| n.service == crate::services::books_db::SERVICE)
        .map(|n| n.name.clone())
        .collect();
    let primary_name = sys.world().nodes()[primary.0 as usize].name.clone();
    let backup = db
        .iter()
        .find(|n| **n != primary_name)
        .expect("a backup")
        .clone();
    let rest: Vec<String> = db.into_iter().filter(|n| *n != backup).collect();
    sys.act(Action::Partition(vec![vec![backup.clone()], rest]))
        .expect("valid partition");
    sys.schedule(vec![checkout(3500, order(1, BOOK, 1))])
        .expect("valid order");
    sys.run_until(secs(10));
    assert_eq!(finals(&sys), vec![("COMMITTED".to_string(), None)]);
    (sys, backup)
}

fn answered_by<'a>(sys: &'a System, name: &str) -> Vec<&'a ReadRecord> {
    let id = sys.world().node_id(name).expect("node exists");
    sys.observer
        .reads
        .recent
        .iter()
        .filter(|r| r.replica == id)
        .collect()
}

#[test]
fn a_backup_cut_off_from_replication_answers_the_old_stock_and_is_judged_stale() {
    let (sys, backup) = sale_while_a_backup_is_cut_off(StockReads::Replicas, 21);
    let late: Vec<&ReadRecord> = answered_by(&sys, &backup)
        .into_iter()
        .filter(|r| r.latest.is_some())
        .collect();
    assert!(
        !late.is_empty(),
        "the cut-off backup answered reads after the sale"
    );
    for r in &late {
        assert!(r.stale, "{r:?}");
        assert_eq!(r.copies, Some(5), "it still has the copy that was sold");
        assert_eq!(r.latest.map(|a| a.copies), Some(4));
        assert!(r.applied_index < r.latest.map_or(0, |a| a.index));
    }
    assert_eq!(
        sys.observer.reads.counts.stale as usize,
        sys.observer.reads.stale.len()
    );
}

#[test]
fn once_healed_the_caught_up_backup_answers_current_stock() {
    let (mut sys, backup) = sale_while_a_backup_is_cut_off(StockReads::Replicas, 21);
    sys.act(Action::Heal).expect("heal");
    let healed = sys.now();
    sys.run_until(secs(16));
    let caught_up: Vec<&ReadRecord> = answered_by(&sys, &backup)
        .into_iter()
        .filter(|r| r.issued_us > healed + secs(2))
        .collect();
    assert!(
        !caught_up.is_empty(),
        "the backup answered after catching up"
    );
    for r in caught_up {
        assert!(!r.stale, "{r:?}");
        assert_eq!(r.copies, Some(4));
    }
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn strong_reads_go_to_the_primary_and_are_never_stale() {
    let (sys, backup) = sale_while_a_backup_is_cut_off(StockReads::Primary, 21);
    let reads = &sys.observer.reads;
    assert!(reads.counts.answered > 5, "{:?}", reads.counts);
    assert!(reads.recent.iter().all(|r| r.strong && !r.stale));
    assert!(
        answered_by(&sys, &backup).is_empty(),
        "a backup never answers a strong read"
    );
    assert!(
        reads.recent.iter().any(|r| r.copies == Some(4)),
        "the sale is seen"
    );
}

#[test]
fn with_reads_off_nothing_is_read_until_switched_on_and_off_again() {
    let mut sys = system(reads_config(StockReads::Off), 8, vec![]);
    sys.run_until(secs(4));
    assert_eq!(sys.observer.reads.counts.issued, 0);
    sys.act(Action::StockReads(StockReads::Replicas))
        .expect("a database runs");
    sys.run_until(secs(8));
    let issued = sys.observer.reads.counts.issued;
    assert!(issued >= 3, "a round a second: {issued}");
    sys.act(Action::StockReads(StockReads::Off))
        .expect("switch off");
    sys.run_until(secs(9));
    let settled = sys.observer.reads.counts.issued;
    sys.run_until(secs(14));
    assert_eq!(
        sys.observer.reads.counts.issued, settled,
        "no read after switching off"
    );
    assert_eq!(sys.live_settings().stock_reads, StockReads::Off);
}

#[test]
fn a_decline_rate_set_while_running_applies_to_orders_prepared_afterwards() {
    let mut sys = system(
        reads_config(StockReads::Off),
        5,
        vec![checkout(3000, order(1, BOOK, 1))],
    );
    sys.run_until(secs(9));
    // The test shoppers pay with Visa.
    let set = Action::DeclineRate {
        brand: Some("visa".into()),
        rate: 1.0,
    };
    sys.act(set).expect("valid rate");
    sys.schedule(vec![checkout(9500, order(2, BOOK, 1))])
        .expect("valid");
    sys.run_until(secs(20));
    let fates: Vec<String> = finals(&sys).into_iter().map(|f| f.0).collect();
    assert_eq!(fates, ["COMMITTED", "ABORTED"]);
    assert_eq!(sys.live_settings().decline_rate_of("visa"), 1.0);
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn bad_settings_are_refused_with_a_reason_and_change_nothing() {
    let mut sys = system(reads_config(StockReads::Off), 5, vec![]);
    for (action, says) in [
        (
            Action::DeclineRate {
                brand: None,
                rate: 1.5,
            },
            "between 0 and 1",
        ),
        (
            Action::DeclineRate {
                brand: None,
                rate: f64::NAN,
            },
            "between 0 and 1",
        ),
        (
            Action::DeclineRate {
                brand: Some("Vi sa".into()),
                rate: 0.5,
            },
            "card brand",
        ),
    ] {
        let err = sys.act(action).expect_err("refused");
        assert!(err.contains(says), "{err}");
    }
    assert_eq!(sys.live_settings().decline_rate, 0.0);
    let mut bare = system(
        ClusterConfig {
            db_nodes: 0,
            ..config(Election::Raft)
        },
        5,
        vec![],
    );
    let err = bare
        .act(Action::StockReads(StockReads::Primary))
        .expect_err("no database");
    assert!(err.contains("no books database"), "{err}");
}

#[test]
fn the_same_seed_and_settings_changes_replay_the_same_run() {
    let run = || {
        let mut sys = system(reads_config(StockReads::Off), 13, vec![]);
        let inputs = vec![
            TimedInput::at(2000, Action::StockReads(StockReads::Replicas)),
            TimedInput::at(
                2500,
                Action::DeclineRate {
                    brand: Some("visa".into()),
                    rate: 0.5,
                },
            ),
            checkout(3000, order(1, BOOK, 1)),
            checkout(3100, order(2, BOOK, 1)),
        ];
        sys.schedule(inputs).expect("valid");
        sys.run_until(secs(12));
        (sys.world().trace_hash(), sys.observer.reads.counts)
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(a.1.answered > 0);
}

/// The primary is cut off from everyone but the shopper at 3 s; the majority elects a new
/// primary (which could take writes the old one never sees). The old primary still believes
/// it leads. Without a read barrier it would answer the shopper's
/// strong reads from its old state — stale. With one, its barrier can never commit, so it
/// answers nothing until the partition heals and it learns of its successor.
#[test]
fn a_deposed_primary_cut_off_with_the_shopper_never_answers_a_strong_read_stale() {
    let mut sys = system(reads_config(StockReads::Primary), 21, vec![]);
    sys.run_until(secs(3));
    let old = sys
        .observer
        .current_leader("books-db")
        .expect("a primary")
        .node;
    let old_name = sys.world().nodes()[old.0 as usize].name.clone();
    let rest: Vec<String> = sys
        .world()
        .nodes()
        .iter()
        .map(|n| n.name.clone())
        .filter(|n| *n != old_name && n != "client")
        .collect();
    sys.act(Action::Partition(vec![
        vec![old_name.clone(), "client".into()],
        rest,
    ]))
    .expect("valid partition");
    sys.run_until(secs(9));
    let new = sys
        .observer
        .current_leader("books-db")
        .expect("a new primary")
        .node;
    assert_ne!(new, old, "the majority elected another primary");
    let reads = &sys.observer.reads;
    let by_old_after_cut: Vec<&ReadRecord> = reads
        .recent
        .iter()
        .filter(|r| r.replica == old && r.issued_us > secs(3) + 100_000)
        .collect();
    assert!(
        by_old_after_cut.is_empty(),
        "the deposed primary answered strong reads: {by_old_after_cut:?}"
    );
    assert_eq!(reads.counts.stale, 0, "{:?}", reads.counts);
}

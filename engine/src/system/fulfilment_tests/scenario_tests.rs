use super::*;
use crate::protocol::two_pc::TxnState;
use crate::sim::secs;
use std::collections::BTreeMap;

fn scarce(cfg: ClusterConfig, book: &str, copies: u32) -> ClusterConfig {
    ClusterConfig {
        stock: BTreeMap::from([(book.to_string(), copies)]),
        ..cfg
    }
}

#[test]
fn an_order_commits_takes_its_stock_on_every_replica_and_captures_the_payment() {
    for election in ALL {
        let mut sys = system(
            scarce(config(election), "Dune", 5),
            3,
            vec![checkout(3000, order(1, "Dune", 2))],
        );
        sys.run_until(secs(20));
        assert_eq!(
            finals(&sys),
            vec![("COMMITTED".to_string(), None)],
            "{election:?}"
        );
        assert_eq!(replica_stock(&sys, "Dune"), vec![3, 3, 3], "{election:?}");
        assert_eq!(
            sys.observer
                .payments
                .values()
                .filter(|p| p.0 == crate::protocol::payment::PaymentState::Captured)
                .count(),
            1
        );
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn an_order_for_more_copies_than_exist_aborts_with_the_reason() {
    let mut sys = system(
        scarce(config(Election::Raft), "Dune", 1),
        4,
        vec![checkout(3000, order(1, "Dune", 3))],
    );
    sys.run_until(secs(20));
    let (fin, reason) = finals(&sys).remove(0);
    assert_eq!(fin, "ABORTED");
    assert_eq!(
        reason.as_deref(),
        Some("insufficient stock: 3 × \"Dune\" wanted, 1 available")
    );
    assert_eq!(replica_stock(&sys, "Dune"), vec![1, 1, 1]);
    assert!(sys
        .observer
        .payments
        .values()
        .all(|p| p.0 != crate::protocol::payment::PaymentState::Captured));
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_declined_card_aborts_and_releases_nothing_it_did_not_take() {
    for election in ALL {
        let cfg = ClusterConfig {
            decline_rate: 1.0,
            ..scarce(config(election), "Dune", 5)
        };
        let mut sys = system(cfg, 5, vec![checkout(3000, order(1, "Dune", 1))]);
        sys.run_until(secs(20));
        let (fin, reason) = finals(&sys).remove(0);
        assert_eq!(
            (fin.as_str(), reason.as_deref()),
            ("ABORTED", Some("payment declined (visa)")),
            "{election:?}"
        );
        assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn a_participant_that_does_not_vote_in_time_aborts_the_transaction() {
    let inputs = vec![
        TimedInput::at(2500, Action::Crash("payment".into())),
        checkout(3000, order(1, "Dune", 1)),
    ];
    let mut sys = system(scarce(config(Election::Raft), "Dune", 5), 6, inputs);
    sys.run_until(secs(20));
    // Decided at once; finished only when the payment node is back to hear the abort (it might
    // have prepared before it crashed, so phase 2 must reach it).
    let t = sys
        .observer
        .txns
        .values()
        .next()
        .expect("a transaction ran")
        .clone();
    assert_eq!(t.commit, Some(false));
    assert!(t
        .reason
        .map(|r| r.to_string())
        .unwrap_or_default()
        .contains("participant timeout: payment"));
    assert_eq!(finals(&sys)[0].0, "PENDING");
    sys.act(Action::Restart("payment".into())).unwrap();
    sys.run_until(secs(40));
    let (fin, reason) = finals(&sys).remove(0);
    assert_eq!(fin, "ABORTED");
    assert!(reason
        .unwrap_or_default()
        .contains("participant timeout: payment"));
    assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
    assert_eq!(violations(&sys), Vec::<String>::new());
}

/// Crashes the coordinator when it records `state`, then lets the cluster recover.
fn crash_coordinator_at(election: Election, state: TxnState, seed: u64) -> System {
    let mut sys = system(
        scarce(config(election), "Dune", 5),
        seed,
        vec![checkout(3000, order(1, "Dune", 2))],
    );
    let coordinator = run_until_fact(&mut sys, 20, |e| is_txn_state(e, state))
        .expect("the transaction reaches the state");
    let name = sys.world().nodes()[coordinator.0 as usize].name.clone();
    sys.act(Action::Crash(name)).unwrap();
    sys.run_until(sys.now() + secs(40));
    sys
}

#[test]
fn a_coordinator_crash_after_the_decision_is_finished_by_the_new_leader() {
    for election in ALL {
        let sys = crash_coordinator_at(election, TxnState::Committing, 7);
        assert_eq!(
            finals(&sys),
            vec![("COMMITTED".to_string(), None)],
            "{election:?}"
        );
        assert_eq!(
            replica_stock(&sys, "Dune"),
            vec![3, 3, 3],
            "{election:?}: applied exactly once"
        );
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn a_coordinator_crash_before_the_decision_ends_in_one_consistent_outcome() {
    for election in ALL {
        let sys = crash_coordinator_at(election, TxnState::Preparing, 8);
        let (fin, _) = finals(&sys).remove(0);
        let stock = replica_stock(&sys, "Dune");
        match fin.as_str() {
            "COMMITTED" => assert_eq!(stock, vec![3, 3, 3], "{election:?}"),
            "ABORTED" => assert_eq!(stock, vec![5, 5, 5], "{election:?}"),
            other => panic!("{election:?}: order ended {other}"),
        }
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn a_database_primary_crash_between_prepare_and_commit_applies_the_order_once() {
    for election in ALL {
        let mut sys = system(
            scarce(config(election), "Dune", 5),
            9,
            vec![checkout(3000, order(1, "Dune", 2))],
        );
        let prepared = |e: &crate::sim::trace::TraceEvent| matches!(&e.kind, TraceKind::Fact(f) if matches!(f.as_ref(), Fact::DbAcked { op: "PrepareTransaction", .. }));
        let primary =
            run_until_fact(&mut sys, 20, prepared).expect("the primary acknowledges the prepare");
        let name = sys.world().nodes()[primary.0 as usize].name.clone();
        sys.act(Action::Crash(name.clone())).unwrap();
        sys.run_until(sys.now() + secs(30));
        sys.act(Action::Restart(name)).unwrap();
        sys.run_until(sys.now() + secs(10));
        assert_eq!(
            finals(&sys),
            vec![("COMMITTED".to_string(), None)],
            "{election:?}"
        );
        assert_eq!(replica_stock(&sys, "Dune"), vec![3, 3, 3], "{election:?}");
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn many_orders_racing_for_the_last_copies_commit_exactly_as_many_as_exist() {
    let inputs = (0..8)
        .map(|n| checkout(3000 + n, order(n, "Dune", 1)))
        .collect();
    let mut sys = system(scarce(config(Election::Raft), "Dune", 3), 10, inputs);
    sys.run_until(secs(40));
    let f = finals(&sys);
    let committed = f.iter().filter(|(s, _)| s == "COMMITTED").count();
    let short = f
        .iter()
        .filter(|(s, r)| {
            s == "ABORTED" && r.as_deref().unwrap_or("").starts_with("insufficient stock")
        })
        .count();
    assert_eq!((committed, short), (3, 5), "{f:?}");
    assert_eq!(replica_stock(&sys, "Dune"), vec![0, 0, 0]);
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_participant_restarting_in_prepared_asks_for_the_outcome_and_learns_it() {
    // The coordinator dies after the payment prepared and never returns; the payment node,
    // still holding the money, asks the executor cluster and learns the outcome.
    let mut sys = system(
        scarce(config(Election::Raft), "Dune", 5),
        11,
        vec![checkout(3000, order(1, "Dune", 1))],
    );
    let prepared = |e: &crate::sim::trace::TraceEvent| matches!(&e.kind, TraceKind::Fact(f) if matches!(f.as_ref(), Fact::Payment { state: crate::protocol::payment::PaymentState::Prepared, .. }));
    run_until_fact(&mut sys, 20, prepared).expect("the payment prepares");
    sys.act(Action::Crash("payment".into())).unwrap();
    sys.run_until(sys.now() + secs(3));
    sys.act(Action::Restart("payment".into())).unwrap();
    sys.run_until(sys.now() + secs(40));
    let in_doubt = sys
        .observer
        .payments
        .values()
        .filter(|p| p.0 == crate::protocol::payment::PaymentState::Prepared)
        .count();
    assert_eq!(in_doubt, 0, "no hold is left undecided");
    assert_eq!(violations(&sys), Vec::<String>::new());
}

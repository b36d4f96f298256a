use super::*;
use crate::protocol::two_pc::TxnState;
use crate::sim::secs;
use std::collections::BTreeMap;

fn scarce(cfg: ClusterConfig, book: &str, copies: u32) -> ClusterConfig {
    ClusterConfig { stock: BTreeMap::from([(book.to_string(), copies)]), ..cfg }
}

#[test]
fn an_order_commits_takes_its_stock_on_every_replica_and_captures_the_payment() {
    for election in ALL {
        let mut sys = system(scarce(config(election), "Dune", 5), 3, vec![checkout(3000, order(1, "Dune", 2))]);
        sys.run_until(secs(20));
        assert_eq!(finals(&sys), vec![("COMMITTED".to_string(), None)], "{election:?}");
        assert_eq!(replica_stock(&sys, "Dune"), vec![3, 3, 3], "{election:?}");
        assert_eq!(sys.observer.payments.values().filter(|p| p.0 == crate::protocol::payment::PaymentState::Captured).count(), 1);
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn an_order_for_more_copies_than_exist_aborts_with_the_reason() {
    let mut sys = system(scarce(config(Election::Raft), "Dune", 1), 4, vec![checkout(3000, order(1, "Dune", 3))]);
    sys.run_until(secs(20));
    let (fin, reason) = finals(&sys).remove(0);
    assert_eq!(fin, "ABORTED");
    assert_eq!(reason.as_deref(), Some("insufficient stock: 3 × \"Dune\" wanted, 1 available"));
    assert_eq!(replica_stock(&sys, "Dune"), vec![1, 1, 1]);
    assert!(sys.observer.payments.values().all(|p| p.0 != crate::protocol::payment::PaymentState::Captured));
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_declined_card_aborts_and_releases_nothing_it_did_not_take() {
    for election in ALL {
        let cfg = ClusterConfig { decline_rate: 1.0, ..scarce(config(election), "Dune", 5) };
        let mut sys = system(cfg, 5, vec![checkout(3000, order(1, "Dune", 1))]);
        sys.run_until(secs(20));
        let (fin, reason) = finals(&sys).remove(0);
        assert_eq!((fin.as_str(), reason.as_deref()), ("ABORTED", Some("payment declined (visa)")), "{election:?}");
        assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
        assert_eq!(violations(&sys), Vec::<String>::new(), "{election:?}");
    }
}

#[test]
fn a_participant_that_does_not_vote_in_time_aborts_the_transaction() {
    let inputs = vec![TimedInput { at_ms: 2500, action: Action::Crash("payment".into()) }, checkout(3000, order(1, "Dune", 1))];
    let mut sys = system(scarce(config(Election::Raft), "Dune", 5), 6, inputs);
    sys.run_until(secs(20));
    // Decided at once; finished only when the payment node is back to hear the abort (it might
    // have prepared before it crashed, so phase 2 must reach it).
    let t = sys.observer.txns.values().next().expect("a transaction ran").clone();
    assert_eq!(t.commit, Some(false));
    assert!(t.reason.map(|r| r.to_string()).unwrap_or_default().contains("participant timeout: payment"));
    assert_eq!(finals(&sys)[0].0, "PENDING");
    sys.act(Action::Restart("payment".into())).unwrap();
    sys.run_until(secs(40));
    let (fin, reason) = finals(&sys).remove(0);
    assert_eq!(fin, "ABORTED");
    assert!(reason.unwrap_or_default().contains("participant timeout: payment"));
    assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_participant_restarting_in_prepared_asks_for_the_outcome_and_learns_it() {
    // The coordinator dies after the payment prepared and never returns; the payment node,
    // still holding the money, asks the executor cluster and learns the outcome.
    let mut sys = system(scarce(config(Election::Raft), "Dune", 5), 11, vec![checkout(3000, order(1, "Dune", 1))]);
    let prepared = |e: &crate::sim::trace::TraceEvent| {
        matches!(&e.kind, TraceKind::Fact(Fact::Payment { state: crate::protocol::payment::PaymentState::Prepared, .. }))
    };
    run_until_fact(&mut sys, 20, prepared).expect("the payment prepares");
    sys.act(Action::Crash("payment".into())).unwrap();
    sys.run_until(sys.now() + secs(3));
    sys.act(Action::Restart("payment".into())).unwrap();
    sys.run_until(sys.now() + secs(40));
    let in_doubt = sys.observer.payments.values().filter(|p| p.0 == crate::protocol::payment::PaymentState::Prepared).count();
    assert_eq!(in_doubt, 0, "no hold is left undecided");
    assert_eq!(violations(&sys), Vec::<String>::new());
}

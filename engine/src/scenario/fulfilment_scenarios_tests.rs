//! One test per built-in 2PC / books-database scenario. Each runs the file the way
//! `bookmesh run <id>` does (`Scenario::run` with the file's seed and duration) and checks the
//! claim its description makes from typed state: the report's order finals, the observer's
//! transactions and payments, every replica's stock, and the trace's typed events — including
//! that each fault landed in the phase the description names, so a scenario whose crash drifted
//! to another phase fails here rather than quietly showing something else.

use super::builtin;
use crate::facts::Fact;
use crate::msg::Msg;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::{txn_id, AbortReason, TxnState};
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::{Micros, NodeId};
use crate::system::fulfilment_tests::{finals, replica_stock, violations};
use crate::system::observer::TxnFacts;
use crate::system::System;

/// Runs built-in scenario `id` as the runner does. No invariant may break, every input must
/// have been carried out and every condition must have held.
fn run(id: &str) -> System {
    let s = builtin::get(id).expect("built in").expect("parses");
    let sys = s.run(s.seed, s.until_ms).expect("runs");
    assert_eq!(violations(&sys), Vec::<String>::new(), "{id}");
    assert!(sys.input_errors.is_empty(), "{id}: {:?}", sys.input_errors);
    assert!(
        sys.waiting_inputs().is_empty(),
        "{id}: a condition never held: {:?}",
        sys.waiting_inputs()
    );
    sys
}

fn committed() -> (String, Option<String>) {
    ("COMMITTED".into(), None)
}

fn aborted(reason: &AbortReason) -> (String, Option<String>) {
    ("ABORTED".into(), Some(reason.to_string()))
}

/// Every event of the run (these runs stay far below the trace's capacity).
fn events(sys: &System) -> Vec<TraceEvent> {
    sys.world().trace().since(0).cloned().collect()
}

fn txn(sys: &System, order: &str) -> TxnFacts {
    sys.observer.txns[&txn_id(order)].clone()
}

fn fact(ev: &TraceEvent) -> Option<&Fact> {
    match &ev.kind {
        TraceKind::Fact(f) => Some(f.as_ref()),
        _ => None,
    }
}

/// Each state the coordinators recorded for `order`'s transaction: (state, when, who).
fn txn_states(sys: &System, order: &str) -> Vec<(TxnState, Micros, NodeId)> {
    events(sys)
        .iter()
        .filter_map(|e| match fact(e)? {
            Fact::Txn {
                order_id, state, ..
            } if order_id == order => Some((*state, e.t_us, e.node)),
            _ => None,
        })
        .collect()
}

/// The first time a coordinator recorded `state` for `order`, and which node it was.
fn first_state(sys: &System, order: &str, state: TxnState) -> (Micros, NodeId) {
    txn_states(sys, order)
        .into_iter()
        .find(|(s, ..)| *s == state)
        .map(|(_, t, n)| (t, n))
        .unwrap_or_else(|| panic!("{order} never reached {state:?}"))
}

/// Each change of the payment record of `order`: (state, when).
fn payment_changes(sys: &System, order: &str) -> Vec<(PaymentState, Micros)> {
    let txn = txn_id(order);
    events(sys)
        .iter()
        .filter_map(|e| match fact(e)? {
            Fact::Payment { txn: t, state, .. } if *t == txn => Some((*state, e.t_us)),
            _ => None,
        })
        .collect()
}

/// Every application of database operation `op` (a `DbCommand` label) for `order`'s
/// transaction on any replica: (when, which replica, term of the entry).
fn db_applied(sys: &System, order: &str, op: &str) -> Vec<(Micros, NodeId, u64)> {
    let txn = txn_id(order);
    events(sys)
        .iter()
        .filter_map(|e| match fact(e)? {
            Fact::DbApplied {
                op: o,
                txn: Some(t),
                term,
                ..
            } if *o == op && *t == txn => Some((e.t_us, e.node, *term)),
            _ => None,
        })
        .collect()
}

/// The database log indexes whose entry took stock for `order` (each replica applies each
/// index once, so one index = the order's stock taken once).
fn stock_taken_at(sys: &System, order: &str) -> Vec<u64> {
    let txn = txn_id(order);
    let mut indexes: Vec<u64> = events(sys)
        .iter()
        .filter_map(|e| match fact(e)? {
            Fact::StockChanged {
                index,
                delta,
                txn: Some(t),
                ..
            } if *t == txn && *delta < 0 => Some(*index),
            _ => None,
        })
        .collect();
    indexes.sort_unstable();
    indexes.dedup();
    indexes
}

/// When the node named `name` recorded events of a kind (`is`): crashes, pauses, restarts.
fn node_events(sys: &System, name: &str, is: fn(&TraceKind) -> bool) -> Vec<Micros> {
    let id = sys.world().node_id(name).expect("a node of that name");
    events(sys)
        .iter()
        .filter(|e| e.node == id && is(&e.kind))
        .map(|e| e.t_us)
        .collect()
}

fn crash(k: &TraceKind) -> bool {
    matches!(k, TraceKind::Crash)
}

fn name_of(sys: &System, id: NodeId) -> String {
    sys.world().nodes()[id.0 as usize].name.clone()
}

fn captured_count(sys: &System) -> usize {
    sys.observer
        .payments
        .values()
        .filter(|p| p.0 == PaymentState::Captured)
        .count()
}

fn price_cents(title: &str) -> u64 {
    let catalog = crate::catalog::Catalog::embedded().expect("the catalog loads");
    catalog
        .find_title(title)
        .expect("in the catalog")
        .price_cents
}

#[test]
fn the_2pc_commit_scenario_prepares_both_then_records_the_decision_then_commits_both() {
    let sys = run("2pc-commit");
    assert_eq!(finals(&sys), vec![committed()]);
    let states: Vec<TxnState> = txn_states(&sys, "ord-0001").iter().map(|s| s.0).collect();
    use TxnState::*;
    assert_eq!(states, vec![Started, Preparing, Committing, Committed]);
    let decided = txn(&sys, "ord-0001").decided_us.expect("decided");
    let pay = payment_changes(&sys, "ord-0001");
    assert_eq!(
        pay.iter().map(|p| p.0).collect::<Vec<_>>(),
        [PaymentState::Prepared, PaymentState::Captured]
    );
    assert!(
        pay[0].1 < decided && pay[1].1 > decided,
        "{pay:?} around {decided}"
    );
    let db_prepared = db_applied(&sys, "ord-0001", "PrepareTransaction");
    let db_committed = db_applied(&sys, "ord-0001", "CommitTransaction");
    assert!(
        db_prepared.iter().any(|p| p.0 < decided),
        "the primary prepared before the decision"
    );
    assert!(db_committed.iter().all(|c| c.0 > decided));
    assert_eq!(db_committed.len(), 3, "the commit reached every replica");
    assert_eq!(replica_stock(&sys, "Dune"), vec![3, 3, 3]);
    assert_eq!(
        sys.observer.payments[&txn_id("ord-0001")].1,
        2 * price_cents("Dune")
    );
}

#[test]
fn the_insufficient_stock_scenario_aborts_on_the_database_vote_and_sells_the_copy_later() {
    let sys = run("2pc-insufficient-stock");
    let short = AbortReason::InsufficientStock {
        book: "Dune".into(),
        available: 1,
        wanted: 3,
    };
    assert_eq!(finals(&sys), vec![aborted(&short), committed()]);
    assert_eq!(txn(&sys, "ord-0001").reason, Some(short));
    let pay: Vec<PaymentState> = payment_changes(&sys, "ord-0001")
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(
        pay,
        [PaymentState::Prepared, PaymentState::Released],
        "held, then released"
    );
    assert!(stock_taken_at(&sys, "ord-0001").is_empty());
    assert_eq!(stock_taken_at(&sys, "ord-0002").len(), 1);
    assert_eq!(replica_stock(&sys, "Dune"), vec![0, 0, 0]);
}

#[test]
fn the_payment_decline_scenario_aborts_on_the_payment_vote_and_releases_the_reservation() {
    let sys = run("2pc-payment-decline");
    let declined = AbortReason::PaymentDeclined {
        method: "mastercard".into(),
    };
    assert_eq!(finals(&sys), vec![aborted(&declined), committed()]);
    // The first abort vote in participant order (database, payment) names the reason, so a
    // payment reason means the database voted commit: it had reserved the copies.
    assert_eq!(txn(&sys, "ord-0001").reason, Some(declined));
    let pay: Vec<PaymentState> = payment_changes(&sys, "ord-0001")
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(pay, [PaymentState::Declined]);
    let decided = txn(&sys, "ord-0001").decided_us.expect("decided");
    assert!(db_applied(&sys, "ord-0001", "PrepareTransaction")
        .iter()
        .any(|p| p.0 < decided));
    assert!(
        !db_applied(&sys, "ord-0001", "AbortTransaction").is_empty(),
        "reservation released"
    );
    assert!(stock_taken_at(&sys, "ord-0001").is_empty());
    assert_eq!(replica_stock(&sys, "Dune"), vec![4, 4, 4]);
    assert_eq!(sys.observer.payments[&txn_id("ord-0002")].2, "visa");
    assert_eq!(captured_count(&sys), 1);
}

#[test]
fn the_participant_timeout_scenario_aborts_on_silence_and_finishes_once_the_payment_wakes() {
    let sys = run("2pc-participant-timeout");
    let timeout = AbortReason::ParticipantTimeout {
        participant: "payment".into(),
    };
    assert_eq!(finals(&sys), vec![aborted(&timeout)]);
    let t = txn(&sys, "ord-0001");
    assert_eq!(t.reason, Some(timeout));
    let (preparing, _) = first_state(&sys, "ord-0001", TxnState::Preparing);
    assert_eq!(
        node_events(&sys, "payment", |k| matches!(k, TraceKind::Pause)),
        vec![preparing],
        "frozen in phase 1"
    );
    let prepare_timeout = crate::services::executor::ExecutorConfig::default().prepare_timeout_us;
    let decided = t.decided_us.expect("decided");
    assert!(
        decided >= preparing + prepare_timeout,
        "decided only after the timeout"
    );
    let resumed = node_events(&sys, "payment", |k| matches!(k, TraceKind::Resume));
    assert_eq!(resumed.len(), 1);
    let pay = payment_changes(&sys, "ord-0001");
    assert_eq!(
        pay.iter().map(|p| p.0).collect::<Vec<_>>(),
        [PaymentState::Prepared, PaymentState::Released]
    );
    assert!(
        pay.iter().all(|p| p.1 >= resumed[0]),
        "the stale prepare is read on waking"
    );
    assert!(
        t.finished_us.expect("finished") >= resumed[0],
        "ABORTED only once the payment heard"
    );
    assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
}

#[test]
fn the_db_primary_crash_scenario_commits_once_on_the_new_primary() {
    let sys = run("db-primary-crash");
    assert_eq!(finals(&sys), vec![committed()]);
    let decided = txn(&sys, "ord-0001").decided_us.expect("decided");
    let prepared = db_applied(&sys, "ord-0001", "PrepareTransaction");
    let (_, old_primary, prepare_term) = prepared[0];
    let old_name = name_of(&sys, old_primary);
    assert_eq!(
        node_events(&sys, &old_name, crash),
        vec![decided],
        "crashed at the decision"
    );
    let commits = db_applied(&sys, "ord-0001", "CommitTransaction");
    let (first_commit_us, new_primary, commit_term) = commits[0];
    assert!(first_commit_us > decided);
    assert_ne!(
        new_primary, old_primary,
        "the commit applied on the new primary first"
    );
    assert!(commit_term > prepare_term);
    assert_eq!(
        stock_taken_at(&sys, "ord-0001").len(),
        1,
        "stock taken once"
    );
    assert_eq!(
        replica_stock(&sys, "Dune"),
        vec![3, 3, 3],
        "the restarted replica caught up"
    );
    assert_eq!(captured_count(&sys), 1);
}

#[test]
fn the_coordinator_crash_scenario_is_finished_by_the_new_executor_leader() {
    let sys = run("2pc-coordinator-crash");
    assert_eq!(finals(&sys), vec![committed()]);
    let (committing_us, old_leader) = first_state(&sys, "ord-0001", TxnState::Committing);
    let (_, finisher) = first_state(&sys, "ord-0001", TxnState::Committed);
    let old_name = name_of(&sys, old_leader);
    assert_eq!(
        node_events(&sys, &old_name, crash),
        vec![committing_us],
        "crashed right after deciding"
    );
    assert_ne!(finisher, old_leader, "another executor finished it");
    let crashed_executors = ["executor-0", "executor-1", "executor-2"]
        .iter()
        .filter(|n| !node_events(&sys, n, crash).is_empty())
        .count();
    assert_eq!(
        crashed_executors, 1,
        "the condition fired once, not again for the new leader"
    );
    assert!(sys
        .observer
        .leaders
        .iter()
        .any(|s| s.cluster == "executors" && s.node == finisher && s.term > 1));
    assert_eq!(
        stock_taken_at(&sys, "ord-0001").len(),
        1,
        "stock taken once"
    );
    assert_eq!(replica_stock(&sys, "Dune"), vec![3, 3, 3]);
    assert_eq!(captured_count(&sys), 1);
    assert_eq!(sys.observer.executed["ord-0001"].0, 1, "executed once");
}

#[test]
fn the_participant_restart_scenario_learns_the_outcome_by_asking_the_executors() {
    let sys = run("2pc-participant-restart");
    assert_eq!(finals(&sys), vec![aborted(&AbortReason::PresumedAbort)]);
    let pay = payment_changes(&sys, "ord-0001");
    assert_eq!(
        pay.iter().map(|p| p.0).collect::<Vec<_>>(),
        [PaymentState::Prepared, PaymentState::Released]
    );
    let (prepared_us, released_us) = (pay[0].1, pay[1].1);
    assert_eq!(node_events(&sys, "payment", crash), vec![prepared_us]);
    let (_, coordinator) = first_state(&sys, "ord-0001", TxnState::Preparing);
    assert_eq!(
        node_events(&sys, &name_of(&sys, coordinator), crash),
        vec![prepared_us],
        "no decision existed"
    );
    let restarted = node_events(&sys, "payment", |k| matches!(k, TraceKind::Restart { .. }));
    assert!(
        restarted.len() == 1 && restarted[0] < released_us,
        "restarted still PREPARED"
    );
    // Learned before any coordinator ran phase 2, so only by asking: and it did ask.
    let decided = txn(&sys, "ord-0001").decided_us.expect("decided");
    assert!(
        released_us < decided,
        "released at {released_us}, phase 2 from {decided}"
    );
    let asked = Msg::DecisionQuery { txn: String::new() }.label();
    let payment = sys.world().node_id("payment").expect("a payment node");
    assert!(events(&sys).iter().any(|e| e.node == payment
        && e.t_us > restarted[0]
        && matches!(e.kind, TraceKind::Send { label, .. } if label == asked)));
    assert!(
        db_applied(&sys, "ord-0001", "AbortTransaction")
            .iter()
            .any(|a| a.0 < decided),
        "the primary asked too"
    );
    assert_eq!(replica_stock(&sys, "Dune"), vec![5, 5, 5]);
    assert_eq!(captured_count(&sys), 0);
}

#[test]
fn the_last_copies_race_commits_exactly_as_many_orders_as_there_are_copies() {
    let sys = run("last-copies-race");
    let f = finals(&sys);
    assert_eq!(f.iter().filter(|o| **o == committed()).count(), 3, "{f:?}");
    let short: Vec<&TxnFacts> = sys
        .observer
        .txns
        .values()
        .filter(|t| matches!(&t.reason, Some(AbortReason::InsufficientStock { book, .. }) if book == "The Hobbit"))
        .collect();
    assert_eq!(short.len(), 5);
    assert_eq!(f.iter().filter(|o| o.0 == "ABORTED").count(), 5, "{f:?}");
    assert_eq!(replica_stock(&sys, "The Hobbit"), vec![0, 0, 0]);
    assert_eq!(captured_count(&sys), 3);
    let released = sys
        .observer
        .payments
        .values()
        .filter(|p| p.0 == PaymentState::Released)
        .count();
    assert_eq!(released, 5);
    // They raced: some transaction started while another was still running.
    let txns: Vec<&TxnFacts> = sys.observer.txns.values().collect();
    let running_at = |t: Micros| {
        txns.iter()
            .filter(|x| x.started_us <= t && x.finished_us.is_none_or(|f| t < f))
            .count()
    };
    assert!(
        txns.iter().any(|x| running_at(x.started_us) > 1),
        "they ran one at a time"
    );
}

#[test]
fn the_scenarios_with_conditions_replay_event_for_event() {
    for id in [
        "2pc-participant-timeout",
        "db-primary-crash",
        "2pc-coordinator-crash",
        "2pc-participant-restart",
    ] {
        let s = builtin::get(id).expect("built in").expect("parses");
        assert!(s.inputs.iter().any(|i| i.when.is_some()), "{id}");
        if let Err(d) = super::selfcheck::self_check(&s, s.seed, s.until_ms).expect("runs") {
            panic!(
                "{id} diverged at {}: {:?} vs {:?}",
                d.seq, d.first, d.second
            );
        }
    }
}

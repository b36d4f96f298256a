//! Inputs that wait for a condition (`when`) instead of a time: carried out in the step whose
//! event makes the condition true, once, and only once armed (`at_ms`).
use super::*;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::TxnState;
use crate::sim::secs;
use crate::sim::trace::TraceEvent;
use crate::system::condition::Condition;

fn when(at_ms: u64, condition: Condition, action: Action) -> TimedInput {
    TimedInput {
        when: Some(condition),
        ..TimedInput::at(at_ms, action)
    }
}

fn prepared(order: Option<&str>) -> Condition {
    Condition::Payment {
        order: order.map(str::to_string),
        state: PaymentState::Prepared,
    }
}

fn committed_any() -> Condition {
    Condition::Txn {
        order: None,
        state: TxnState::Committed,
    }
}

fn all_events(sys: &System) -> Vec<TraceEvent> {
    sys.world().trace().since(0).cloned().collect()
}

#[test]
fn an_input_with_a_condition_is_carried_out_at_the_instant_the_condition_becomes_true() {
    let inputs = vec![
        checkout(2500, order(1, "Dune", 1)),
        when(
            0,
            prepared(Some("ord-0001")),
            Action::Crash("payment".into()),
        ),
    ];
    let mut sys = system(config(Election::Raft), 3, inputs);
    sys.run_until(secs(8));
    let events = all_events(&sys);
    let payment = sys.world().node_id("payment").expect("a payment node");
    let prepared_at = events
        .iter()
        .find(|e| prepared(Some("ord-0001")).holds_on(e))
        .expect("the payment prepares");
    let crash = events
        .iter()
        .find(|e| e.node == payment && e.kind == TraceKind::Crash)
        .expect("the payment node crashes");
    assert_eq!(crash.t_us, prepared_at.t_us, "same instant");
    assert!(
        crash.seq > prepared_at.seq,
        "right after the step, not before"
    );
    assert!(sys.waiting_inputs().is_empty());
    assert_eq!(sys.applied_inputs().len(), 2);
}

#[test]
fn an_input_with_a_condition_fires_once_and_not_before_it_is_armed() {
    // "When any order commits, order again": the second order's commit must not order a third.
    let inputs = vec![
        checkout(2500, order(1, "Dune", 1)),
        when(0, committed_any(), Action::Checkout(order(2, "Dune", 1))),
        when(60_000, committed_any(), Action::Crash("payment".into())),
    ];
    let mut sys = system(config(Election::Raft), 4, inputs);
    sys.run_until(secs(20));
    assert_eq!(
        finals(&sys),
        vec![
            ("COMMITTED".to_string(), None),
            ("COMMITTED".to_string(), None)
        ]
    );
    let first_commit_us = sys.observer.txns["tx-ord-0001"]
        .finished_us
        .expect("the first order finished");
    assert_eq!(sys.client_records()[1].submitted_at_us, first_commit_us);
    let payment = sys.world().node_id("payment").expect("a payment node");
    assert_eq!(
        sys.world().liveness(payment),
        Some(crate::sim::Liveness::Up),
        "the input armed at 60 s never fired"
    );
    assert_eq!(sys.waiting_inputs().len(), 1);
    assert_eq!(violations(&sys), Vec::<String>::new());
}

#[test]
fn a_condition_is_refused_in_a_world_without_a_books_database() {
    let cfg = ClusterConfig {
        db_nodes: 0,
        ..config(Election::Raft)
    };
    let mut sys = System::new(cfg, 1).expect("valid config");
    let err = sys
        .schedule(vec![when(0, committed_any(), Action::Heal)])
        .expect_err("refused");
    assert!(
        err.contains("inputs[0]") && err.contains("db_nodes"),
        "{err}"
    );
}

#[test]
fn an_input_with_a_condition_prints_and_parses_back_to_itself() {
    let input = when(
        1500,
        prepared(Some("ord-0003")),
        Action::CrashLeader("executors".into()),
    );
    let json = input.to_json();
    assert_eq!(
        json,
        serde_json::json!({"at_ms": 1500, "when": {"payment": {"order": "ord-0003", "state": "prepared"}}, "crash_leader": "executors"})
    );
    assert_eq!(TimedInput::from_json(&json, "inputs[0]"), Ok(input));
}

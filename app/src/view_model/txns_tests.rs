use super::*;
use engine::protocol::two_pc::AbortReason;

fn ev(t_ms: u64, order: &str, state: TxnState, reason: Option<AbortReason>) -> TxnEvent {
    TxnEvent {
        seq: t_ms,
        t_us: t_ms * 1000,
        node: NodeId(9),
        txn: format!("tx-{order}"),
        order_id: order.into(),
        state,
        reason,
    }
}

fn committed(order: &str, from: u64) -> Vec<TxnEvent> {
    [
        TxnState::Started,
        TxnState::Preparing,
        TxnState::Committing,
        TxnState::Committed,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, s)| ev(from + 10 * i as u64, order, s, None))
    .collect()
}

#[test]
fn each_transaction_gets_one_row_with_the_time_of_each_phase() {
    let mut events = committed("ord-1", 100);
    events.insert(1, ev(105, "ord-2", TxnState::Started, None));
    let rows = txn_rows(&events);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].txn, "tx-ord-1");
    assert_eq!(rows[0].state, TxnState::Committed);
    assert_eq!(
        (
            rows[0].started_us,
            rows[0].prepare_us,
            rows[0].decided_us,
            rows[0].finished_us
        ),
        (Some(100_000), Some(110_000), Some(120_000), Some(130_000))
    );
    assert_eq!(rows[1].state_word(), "started");
    assert_eq!(recent_txns(&events)[0].order_id, "ord-2", "newest first");
}

#[test]
fn an_abort_carries_its_reason_in_words() {
    let reason = AbortReason::PaymentDeclined {
        method: "visa".into(),
    };
    let events = vec![
        ev(1, "ord-3", TxnState::Started, None),
        ev(2, "ord-3", TxnState::Preparing, None),
        ev(3, "ord-3", TxnState::Aborting, Some(reason.clone())),
        ev(4, "ord-3", TxnState::Aborted, Some(reason)),
    ];
    let row = order_txn(&events, "ord-3").expect("a transaction");
    assert_eq!(row.reason.as_deref(), Some("payment declined (visa)"));
    assert_eq!(row.state_class(), "is-aborted");
    let steps = txn_steps(Some(&row), |_| "executor-0".into());
    let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Prepare", "Decision", "Aborted"]);
    assert_eq!(steps[1].state, StepState::Failed);
    assert!(
        steps[1].detail.contains("payment declined (visa)"),
        "{}",
        steps[1].detail
    );
}

#[test]
fn a_repeated_state_from_a_new_coordinator_keeps_the_first_time() {
    let mut events = committed("ord-4", 0);
    events.insert(3, ev(25, "ord-4", TxnState::Committing, None));
    let row = order_txn(&events, "ord-4").expect("a transaction");
    assert_eq!(row.decided_us, Some(20_000));
}

#[test]
fn the_journey_shows_the_commit_protocol_as_it_runs() {
    assert!(txn_steps(None, |_| String::new())
        .iter()
        .all(|s| s.state == StepState::Todo));
    let events = vec![
        ev(1, "ord-5", TxnState::Started, None),
        ev(2, "ord-5", TxnState::Preparing, None),
    ];
    let row = order_txn(&events, "ord-5");
    let steps = txn_steps(row.as_ref(), |_| "executor-1".into());
    assert_eq!(steps[0].state, StepState::Active);
    assert!(steps[0].detail.starts_with("executor-1"));
    let done = txn_steps(order_txn(&committed("ord-6", 0), "ord-6").as_ref(), |_| {
        String::new()
    });
    assert_eq!(done[2].label, "Committed");
    assert!(done.iter().all(|s| s.state == StepState::Done));
}

/// End to end against the real engine: the checkout scenario's example order goes through
/// 2PC, the tables see it, and the stock table shows the books it touched.
#[test]
fn the_checkout_scenarios_example_is_seen_from_prepare_to_outcome() {
    let scenario =
        engine::scenario::Scenario::parse(include_str!("../../../scenarios/checkout.json"))
            .expect("parses");
    let mut sys = scenario.build(1).expect("builds");
    let mut builder = engine::snapshot::SnapshotBuilder::default();
    sys.run_until(15_000_000);
    let s = builder.build(&sys);
    let row = order_txn(&s.txns, "ord-0001").expect("the example's transaction");
    assert!(row.state.is_final(), "{row:?}");
    assert!(
        row.started_us <= row.prepare_us
            && row.prepare_us <= row.decided_us
            && row.decided_us <= row.finished_us
    );
    let steps = order_journey(&s, "ord-0001");
    let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
    assert!(
        labels
            .windows(3)
            .any(|w| w == ["Prepare", "Decision", "Committed"]
                || w == ["Prepare", "Decision", "Aborted"]),
        "{labels:?}"
    );
    assert!(order_fate(&s, "ord-0001").is_some());
    let initial = engine::protocol::books_db::initial_stock(
        crate::view_model::shop_catalog::catalog().expect("catalog"),
        &s.cluster.stock,
    );
    let table = crate::view_model::stock::stock_table(&s.nodes, &initial, &s.cluster.stock, "");
    assert_eq!(table.replicas.len(), 3);
    assert_eq!(table.replicas.iter().filter(|r| r.primary).count(), 1);
    if row.state == TxnState::Committed {
        assert!(
            !table.rows.is_empty(),
            "a committed order took copies: {table:?}"
        );
    }
}

//! Many orders in flight at once.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::services::orchestrator::OrderIds;
use std::collections::BTreeSet;

#[test]
fn twenty_concurrent_orders_are_all_answered_and_approved() {
    let mut shop = shop(80);
    let answers: Vec<Answer> = (0..20)
        .map(|n| shop.submit(json_of(&example_from_buyer(n))))
        .collect();
    assert!(shop.run_until(secs(10), |_| answers.iter().all(|a| a.borrow().is_some())));
    let responses: Vec<CheckoutResponse> = answers
        .iter()
        .map(|a| a.borrow_mut().take().expect("answered").expect("rpc ok"))
        .collect();
    assert!(
        responses
            .iter()
            .all(|r| r.status == CheckoutStatus::Approved),
        "{:?}",
        responses.iter().map(error_text).collect::<Vec<_>>()
    );
    let ids: BTreeSet<&str> = responses.iter().map(|r| r.order_id.as_str()).collect();
    assert_eq!(ids.len(), 20, "every order has its own id");
    assert_eq!(shop.queued.borrow().len(), 20);
    let corrs: BTreeSet<u64> = (1..=20).map(|n| OrderIds::for_number(n).corr).collect();
    assert_eq!(corrs.len(), 20);
    // They really overlapped: the last one was received before the first was answered.
    let status_time = |corr: u64, status: &str| {
        shop.trace_of(corr)
            .into_iter()
            .find(|e| matches!(&e.kind, TraceKind::Order { status: s, .. } if s == status))
            .map(|e| e.t_us)
            .expect("traced")
    };
    let last_received = status_time(OrderIds::for_number(20).corr, "received");
    let first_approved = (1..=20)
        .map(|n| status_time(OrderIds::for_number(n).corr, "approved"))
        .min()
        .expect("20 orders");
    assert!(last_received < first_approved);
    // Every order's own clock is the seed's, untouched by the other orders.
    assert!(responses
        .iter()
        .all(|r| r.final_vector_clock == responses[0].final_vector_clock));
}

#[test]
fn beyond_the_in_flight_limit_an_order_is_turned_away_at_once() {
    let orch = OrchestratorConfig {
        orders_in_flight_max: 2,
        ..OrchestratorConfig::default()
    };
    let mut shop = shop_with(
        81,
        orch,
        ValidatorConfig::default(),
        QueueMode::Accept { capacity: 100 },
    );
    let answers: Vec<Answer> = (0..3)
        .map(|n| shop.submit(json_of(&example_from_buyer(n))))
        .collect();
    assert!(shop.run_until(secs(10), |_| answers.iter().all(|a| a.borrow().is_some())));
    let statuses: Vec<CheckoutStatus> = answers
        .iter()
        .map(|a| a.borrow_mut().take().expect("answered").expect("ok").status)
        .collect();
    assert_eq!(
        statuses,
        [
            CheckoutStatus::Approved,
            CheckoutStatus::Approved,
            CheckoutStatus::Rejected
        ]
    );
    let after = shop.checkout(json_of(&example_from_buyer(9)));
    assert_eq!(
        after.status,
        CheckoutStatus::Approved,
        "the limit frees up as orders finish"
    );
}

#[test]
fn the_board_keeps_only_the_most_recent_orders() {
    let orch = OrchestratorConfig {
        recent_orders_max: 5,
        ..OrchestratorConfig::default()
    };
    let mut shop = shop_with(
        82,
        orch,
        ValidatorConfig::default(),
        QueueMode::Accept { capacity: 100 },
    );
    let answers: Vec<Answer> = (0..8).map(|_| shop.submit("not json".into())).collect();
    assert!(shop.run_until(secs(10), |_| answers.iter().all(|a| a.borrow().is_some())));
    let ids: Vec<String> = shop
        .orchestrator_view()
        .orders
        .into_iter()
        .map(|o| o.order_id)
        .collect();
    assert_eq!(
        ids,
        ["ord-0004", "ord-0005", "ord-0006", "ord-0007", "ord-0008"]
    );
}

//! Faults: crashed validators, model outages, a missing or full queue, a clock conflict.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::services::orchestrator::OrderIds;
use crate::sim::ms;
use crate::view::{EventState, OrderStatus};

fn traced_event(world: &World, corr: u64, node: NodeId, name: &str) -> bool {
    world.trace().since(0).any(|e| {
        e.corr == corr
            && e.node == node
            && matches!(&e.kind, TraceKind::Event { name: n } if n == name)
    })
}

#[test]
fn a_crashed_validator_rejects_the_order_with_deadline_exceeded() {
    let mut shop = shop(60);
    shop.world.crash(shop.fraud).expect("crash");
    let response = shop.checkout(example_json());
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert!(
        error_text(&response).contains("fraud: DEADLINE_EXCEEDED"),
        "{}",
        error_text(&response)
    );
    assert!(shop.queued.borrow().is_empty());
    let row = shop.order_row(&response.order_id);
    assert!(
        row.events.iter().all(|e| e.state == EventState::Skipped),
        "no event runs without every validator"
    );
}

#[test]
fn a_validator_crashing_mid_dag_fails_its_event_with_deadline_exceeded() {
    let mut shop = shop(61);
    let answer = shop.submit(example_json());
    let (corr, fraud) = (OrderIds::for_number(1).corr, shop.fraud);
    assert!(shop.run_until(secs(5), |w| traced_event(w, corr, fraud, "InitOrder")));
    shop.world.crash(fraud).expect("crash");
    assert!(shop.run_until(secs(10), |_| answer.borrow().is_some()));
    let response = answer
        .borrow_mut()
        .take()
        .expect("answered")
        .expect("rpc ok");
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(fields(&response), ["fraud"]);
    assert!(
        error_text(&response).starts_with("fraud: DEADLINE_EXCEEDED: no answer to CheckUserData"),
        "{}",
        error_text(&response)
    );
    let row = shop.order_row(&response.order_id);
    let state = |e: DagEvent| row.events.iter().find(|v| v.event == e).map(|v| v.state);
    assert_eq!(state(DagEvent::CheckUserData), Some(EventState::Failed));
    assert_eq!(state(DagEvent::CheckCardData), Some(EventState::Skipped));
    assert_eq!(state(DagEvent::VerifyCardFormat), Some(EventState::Ok));
}

#[test]
fn a_validator_that_restarted_has_lost_its_cache_and_says_the_order_is_not_initialised() {
    let mut shop = shop(62);
    let answer = shop.submit(example_json());
    let (corr, fraud) = (OrderIds::for_number(1).corr, shop.fraud);
    assert!(shop.run_until(secs(5), |w| traced_event(w, corr, fraud, "InitOrder")));
    shop.world.crash(fraud).expect("crash");
    shop.world.restart(fraud).expect("restart");
    assert!(shop.run_until(secs(10), |_| answer.borrow().is_some()));
    let response = answer
        .borrow_mut()
        .take()
        .expect("answered")
        .expect("rpc ok");
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert!(
        error_text(&response).contains("order not initialised"),
        "{}",
        error_text(&response)
    );
}

#[test]
fn with_both_models_down_the_order_is_still_approved_and_the_fallbacks_are_visible() {
    let mut shop = shop(63);
    shop.world.set_flag("model-down:fraud", true);
    shop.world.set_flag("model-down:suggestions", true);
    let response = shop.checkout(example_json());
    assert_eq!(
        response.status,
        CheckoutStatus::Approved,
        "{}",
        error_text(&response)
    );
    assert_eq!(response.suggested_books.len(), 3);
    let logs = shop
        .logs_of(shop.order_row(&response.order_id).corr)
        .join("\n");
    assert!(logs.contains("model_unavailable"), "{logs}");
    assert!(logs.contains("rule-fallback"), "{logs}");
    assert!(!shop.validator_view(shop.fraud).model_up);
    assert!(!shop.validator_view(shop.suggestions).model_up);
}

#[test]
fn the_rule_fallback_suggests_other_books_than_the_model() {
    let mut up = shop(64);
    let with_model = up.checkout(example_json());
    let mut down = shop(64);
    down.world.set_flag("model-down:suggestions", true);
    let without = down.checkout(example_json());
    assert_eq!(without.suggested_books.len(), 3);
    assert_ne!(with_model.suggested_books, without.suggested_books);
}

#[test]
fn without_a_queue_nothing_is_approved() {
    let mut shop = shop_with(
        65,
        OrchestratorConfig::default(),
        ValidatorConfig::default(),
        QueueMode::Missing,
    );
    let response = shop.checkout(example_json());
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(fields(&response), ["queue"]);
    assert!(error_text(&response).contains("UNAVAILABLE"));
    assert!(response.message.contains("could not be queued"));
    assert_eq!(
        shop.order_row(&response.order_id).status,
        OrderStatus::Rejected
    );
}

#[test]
fn a_crashed_queue_is_retried_then_the_order_is_not_approved() {
    let mut shop = shop(66);
    let queue = shop.queue.expect("queue node");
    shop.world.crash(queue).expect("crash");
    let response = shop.checkout(example_json());
    assert_eq!(response.status, CheckoutStatus::Rejected);
    let text = error_text(&response);
    assert!(text.starts_with("queue: DEADLINE_EXCEEDED"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[test]
fn a_queue_that_answers_after_a_retry_is_not_counted_twice() {
    // The first Enqueue arrives but its answer is lost; the retry finds the order already there.
    let mut shop = shop(67);
    let (queue, orchestrator) = (shop.queue.expect("queue node"), shop.orchestrator);
    shop.world.net_fault("queue -/-> orchestrator", |n| {
        n.partition_one_way(queue, orchestrator)
    });
    let answer = shop.submit(example_json());
    let queued = shop.queued.clone();
    assert!(shop.run_until(secs(10), |_| !queued.borrow().is_empty()));
    shop.world.net_fault("heal", |n| n.heal_partitions());
    assert!(shop.run_until(secs(10), |_| answer.borrow().is_some()));
    let response = answer
        .borrow_mut()
        .take()
        .expect("answered")
        .expect("rpc ok");
    let logs = shop.logs_of(OrderIds::for_number(1).corr).join("\n");
    assert!(
        logs.contains("enqueue attempt 1/3 of ord-0001: queue: DEADLINE_EXCEEDED"),
        "{logs}"
    );
    assert_eq!(
        response.status,
        CheckoutStatus::Approved,
        "{}",
        error_text(&response)
    );
    assert_eq!(shop.queued.borrow().len(), 1);
}

#[test]
fn a_full_queue_refuses_and_the_client_is_told_why() {
    let mut shop = shop_with(
        68,
        OrchestratorConfig::default(),
        ValidatorConfig::default(),
        QueueMode::Accept { capacity: 1 },
    );
    assert_eq!(
        shop.checkout(example_json()).status,
        CheckoutStatus::Approved
    );
    let second = shop.checkout(json_of(&example_from_buyer(2)));
    assert_eq!(second.status, CheckoutStatus::Rejected);
    assert!(
        error_text(&second).contains("queue: refused the order: the queue is full"),
        "{}",
        error_text(&second)
    );
}

#[test]
fn a_validator_whose_clock_got_ahead_of_the_final_clock_keeps_its_cache_and_flags_a_conflict() {
    // Fraud is frozen just after running d, before answering: the orchestrator gives up on d
    // (its final clock lacks d's tick), while fraud's own clock for the order has it.
    let mut shop = shop(69);
    let answer = shop.submit(example_json());
    let (corr, fraud) = (OrderIds::for_number(1).corr, shop.fraud);
    assert!(shop.run_until(secs(5), |w| traced_event(w, corr, fraud, "CheckUserData")));
    shop.world.pause(fraud).expect("pause");
    assert!(shop.run_until(secs(5), |_| answer.borrow().is_some()));
    let response = answer
        .borrow_mut()
        .take()
        .expect("answered")
        .expect("rpc ok");
    assert!(error_text(&response).contains("fraud: DEADLINE_EXCEEDED: no answer to CheckUserData"));
    assert_eq!(
        response.final_vector_clock.get("fraud"),
        1,
        "the final clock never saw d"
    );
    shop.world.run_for(ms(50)); // the ClearOrder reaches fraud's inbox
    shop.world.resume(fraud).expect("resume");
    shop.world.run_for(secs(2));
    let view = shop.validator_view(fraud);
    assert_eq!(view.conflicts, 1);
    assert_eq!(view.cached_orders, 1, "the conflicting order stays cached");
    assert_eq!(shop.validator_view(shop.verification).cached_orders, 0);
    assert_eq!(shop.order_row(&response.order_id).conflicts, ["fraud"]);
    let logs = shop.logs_of(corr).join("\n");
    assert!(logs.contains("clock conflict on ord-0001"), "{logs}");
    let traced = shop
        .trace_of(corr)
        .into_iter()
        .filter(
            |e| matches!(&e.kind, TraceKind::Order { status, .. } if status == "clear conflict"),
        )
        .count();
    assert_eq!(traced, 1, "the orchestrator traced the conflict");
}

//! The happy path: the seed's example order goes all the way through.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::services::orchestrator::OrderIds;
use crate::view::{EventState, OrderStatus};

#[test]
fn the_example_order_is_approved_with_three_suggestions_and_enqueued() {
    let mut shop = shop(1);
    let response = shop.checkout(example_json());
    assert_eq!(
        response.status,
        CheckoutStatus::Approved,
        "errors: {}",
        error_text(&response)
    );
    assert_eq!(response.order_id, "ord-0001");
    assert_eq!(response.suggested_books.len(), 3);
    assert!(
        response
            .suggested_books
            .iter()
            .all(|b| b.title != "Clean Architecture"),
        "never suggests what was bought"
    );
    assert!(response.errors.is_empty());
    let queued = shop.queued.borrow();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].order_id, "ord-0001");
    let payload: CheckoutRequest =
        serde_json::from_str(&queued[0].payload).expect("the payload is the request as JSON");
    assert_eq!(payload, CheckoutRequest::example());
}

#[test]
fn the_example_gets_the_three_books_of_seed_000s_example_response() {
    // Ranked by embedding similarity to "Clean Architecture", not looked up: the seed's
    // example response lists these three, and the shipped embeddings agree.
    let mut shop = shop(6);
    let response = shop.checkout(example_json());
    let mut titles: Vec<&str> = response
        .suggested_books
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Clean Code",
            "Domain-Driven Design",
            "Patterns of Enterprise Application Architecture"
        ]
    );
}

#[test]
fn the_final_vector_clock_is_the_one_of_seed_000() {
    // Seed 000's example response: orchestrator 1, verification 4 (init, a, b, c),
    // fraud 3 (init, d, e), suggestions 2 (init, f). The validators' entries are the seed's;
    // the orchestrator ticks on every event of its own (the seed's ticks only on receipt): 19
    // up to f's send (see clock_tests.rs), f's answer, "validated", the Enqueue and its
    // answer, "enqueued", "approved", and the reply's send itself = 26.
    let mut shop = shop(2);
    let response = shop.checkout(example_json());
    let want = VectorClock::from_pairs([
        ("orchestrator", 26),
        ("verification", 4),
        ("fraud", 3),
        ("suggestions", 2),
    ]);
    assert_eq!(response.final_vector_clock, want);
    let json = serde_json::to_value(&response).expect("serialisable");
    assert_eq!(json["finalVectorClock"]["verification"], 4);
}

#[test]
fn the_client_is_answered_before_the_caches_are_cleared_and_then_every_cache_is_empty() {
    let mut shop = shop(3);
    let response = shop.checkout(example_json());
    shop.world.run_for(secs(2));
    let corr = OrderIds::for_number(1).corr;
    let statuses: Vec<(crate::order_step::OrderStep, u64)> = shop
        .trace_of(corr)
        .into_iter()
        .filter_map(|e| match e.kind {
            TraceKind::Order { status, .. } => Some((status, e.t_us)),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = statuses.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        ["received", "validated", "enqueued", "approved", "cleared"]
    );
    for node in [shop.verification, shop.fraud, shop.suggestions] {
        let view = shop.validator_view(node);
        assert_eq!(view.cached_orders, 0);
        assert_eq!(view.conflicts, 0);
        assert!(view.model_up);
    }
    let row = shop.order_row(&response.order_id);
    assert_eq!(row.status, OrderStatus::Approved);
    assert!(row
        .events
        .iter()
        .all(|e| e.state == EventState::Ok && e.vc.is_some()));
    assert_eq!(row.final_vc.as_ref(), Some(&response.final_vector_clock));
    assert!(row.conflicts.is_empty());
}

#[test]
fn every_message_and_trace_event_of_an_order_carries_its_correlation_id() {
    let mut shop = shop(4);
    shop.checkout(example_json());
    shop.world.run_for(secs(2));
    let corr = OrderIds::for_number(1).corr;
    let events = shop.trace_of(corr);
    let clocked: Vec<String> = events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Event { name } => Some(name.clone()),
            _ => None,
        })
        .collect();
    // One receive at the orchestrator, three inits, six DAG events.
    assert_eq!(clocked.len(), 10, "{clocked:?}");
    let sends = events
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::Send { .. }))
        .count();
    // 1 reply to the client, 3 inits + 3 acks, 6 events + 6 answers, 1 enqueue + 1 reply, 3 clears + 3 acks.
    assert_eq!(sends, 27);
}

#[test]
fn order_ids_count_up_and_survive_an_orchestrator_restart() {
    let mut shop = shop(5);
    assert_eq!(shop.checkout(example_json()).order_id, "ord-0001");
    assert_eq!(
        shop.checkout(json_of(&example_from_buyer(2))).order_id,
        "ord-0002"
    );
    shop.world.crash(shop.orchestrator).expect("crash");
    shop.world.run_for(secs(1));
    shop.world.restart(shop.orchestrator).expect("restart");
    shop.world.run_for(secs(1));
    let third = shop.checkout(json_of(&example_from_buyer(3)));
    assert_eq!(
        third.order_id, "ord-0003",
        "a restart never reuses an order id"
    );
    assert_eq!(third.status, CheckoutStatus::Approved);
}

#[test]
fn the_same_seed_replays_the_same_run() {
    let run = |seed: u64| {
        let mut shop = shop(seed);
        for n in 0..3 {
            shop.submit(json_of(&example_from_buyer(n)));
        }
        shop.world.run_for(secs(5));
        let total = shop.world.trace().total();
        (shop.world.trace_hash(), total)
    };
    assert_eq!(run(77), run(77));
    assert_ne!(run(77).0, run(78).0);
}

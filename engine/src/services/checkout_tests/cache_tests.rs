//! The validators' order cache on its own: clocks, idempotence, clearing, conflicts, bounds.

use crate::checkout::CheckoutRequest;
use crate::clock::VectorClock;
use crate::msg::{ClearOutcome, DagEvent, EventOutcome};
use crate::services::validator_cache::ValidatorCache;

fn vc(pairs: &[(&str, u64)]) -> VectorClock {
    VectorClock::from_pairs(pairs.iter().copied())
}

fn ok(_: &CheckoutRequest) -> EventOutcome {
    EventOutcome {
        ok: true,
        ..Default::default()
    }
}

#[test]
fn init_merges_the_orchestrators_clock_and_ticks_this_service() {
    let mut cache = ValidatorCache::new("fraud", 8);
    let (clock, evicted) = cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    assert_eq!(clock, vc(&[("orchestrator", 1), ("fraud", 1)]));
    assert_eq!(evicted, None);
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_repeated_init_changes_nothing() {
    let mut cache = ValidatorCache::new("fraud", 8);
    let (first, _) = cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    let (again, _) = cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    assert_eq!(first, again);
}

#[test]
fn an_event_merges_the_request_clock_then_ticks_and_a_repeat_is_answered_without_running() {
    let mut cache = ValidatorCache::new("fraud", 8);
    cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    let incoming = vc(&[("orchestrator", 1), ("verification", 3), ("fraud", 1)]);
    let first = cache.run_event("ord-1", DagEvent::CheckUserData, &incoming, ok);
    assert!(first.ran && first.outcome.ok);
    assert_eq!(
        first.vc,
        vc(&[("orchestrator", 1), ("verification", 3), ("fraud", 2)])
    );
    let repeat = cache.run_event("ord-1", DagEvent::CheckUserData, &incoming, |_| {
        panic!("must not run twice")
    });
    assert!(!repeat.ran);
    assert_eq!(repeat.vc, first.vc);
    assert_eq!(cache.view(true).handled, 1);
}

#[test]
fn an_event_for_an_unknown_order_fails_with_order_not_initialised() {
    let mut cache = ValidatorCache::new("verification", 8);
    let incoming = vc(&[("orchestrator", 1)]);
    let result = cache.run_event("ord-9", DagEvent::VerifyItems, &incoming, |_| {
        panic!("nothing to run")
    });
    assert!(!result.ran && !result.outcome.ok);
    assert_eq!(
        result.vc, incoming,
        "nothing happened here, so nothing ticked"
    );
    assert!(result.outcome.errors[0]
        .to_string()
        .starts_with("verification: order not initialised"));
}

#[test]
fn clearing_with_a_final_clock_that_covers_the_local_one_forgets_the_order() {
    let mut cache = ValidatorCache::new("suggestions", 8);
    cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    cache.run_event(
        "ord-1",
        DagEvent::GetSuggestions,
        &vc(&[("orchestrator", 1), ("fraud", 3)]),
        ok,
    );
    let final_vc = vc(&[
        ("orchestrator", 1),
        ("verification", 4),
        ("fraud", 3),
        ("suggestions", 2),
    ]);
    assert_eq!(cache.clear("ord-1", &final_vc), ClearOutcome::Cleared);
    assert!(cache.is_empty());
    assert_eq!(cache.clear("ord-1", &final_vc), ClearOutcome::UnknownOrder);
}

#[test]
fn clearing_with_a_final_clock_behind_the_local_one_is_refused_and_counted() {
    let mut cache = ValidatorCache::new("fraud", 8);
    cache.init(
        "ord-1",
        CheckoutRequest::example(),
        &vc(&[("orchestrator", 1)]),
    );
    cache.run_event(
        "ord-1",
        DagEvent::CheckUserData,
        &vc(&[("orchestrator", 1)]),
        ok,
    );
    // The orchestrator never heard of d: its final clock has only fraud's init.
    let final_vc = vc(&[("orchestrator", 1), ("fraud", 1)]);
    let outcome = cache.clear("ord-1", &final_vc);
    assert_eq!(
        outcome,
        ClearOutcome::Conflict {
            local: vc(&[("orchestrator", 1), ("fraud", 2)])
        }
    );
    assert_eq!(cache.len(), 1, "kept");
    assert_eq!(cache.view(true).conflicts, 1);
    assert_eq!(
        cache.order_clock("ord-1"),
        Some(&vc(&[("orchestrator", 1), ("fraud", 2)]))
    );
}

#[test]
fn a_full_cache_evicts_its_oldest_order() {
    let mut cache = ValidatorCache::new("fraud", 2);
    let zero = VectorClock::new();
    cache.init("ord-1", CheckoutRequest::example(), &zero);
    cache.init("ord-2", CheckoutRequest::example(), &zero);
    let (_, evicted) = cache.init("ord-3", CheckoutRequest::example(), &zero);
    assert_eq!(evicted.as_deref(), Some("ord-1"));
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.order_clock("ord-1"), None);
}

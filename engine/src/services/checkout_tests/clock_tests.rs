//! The vector clocks recorded for the DAG's events respect its dependencies (seed 000).

use super::*;
use crate::clock::Causality;
use crate::services::orchestrator::OrderIds;
use DagEvent::*;

fn clocks(seed: u64) -> impl Fn(DagEvent) -> VectorClock {
    let mut shop = shop(seed);
    shop.checkout(example_json());
    let corr = OrderIds::for_number(1).corr;
    let all: Vec<(DagEvent, VectorClock)> = DagEvent::ALL
        .iter()
        .map(|&e| {
            (
                e,
                shop.event_clock(corr, e)
                    .expect("every event recorded a clock"),
            )
        })
        .collect();
    move |e| {
        all.iter()
            .find(|(x, _)| *x == e)
            .map(|(_, vc)| vc.clone())
            .expect("known event")
    }
}

#[test]
fn every_dependency_happened_before_the_event_that_waited_for_it() {
    for seed in 30..35 {
        let vc = clocks(seed);
        for (before, after) in [
            (VerifyItems, VerifyCardFormat),
            (VerifyCardFormat, CheckCardData),
            (CheckCardData, GetSuggestions),
            (VerifyUserData, CheckUserData),
            (CheckUserData, CheckCardData),
        ] {
            assert!(
                vc(before).happened_before(&vc(after)),
                "seed {seed}: {} {} vs {} {}",
                before.name(),
                vc(before),
                after.name(),
                vc(after)
            );
        }
    }
}

#[test]
fn c_and_d_run_on_different_services_and_their_clocks_are_concurrent() {
    for seed in 30..35 {
        let vc = clocks(seed);
        assert_eq!(
            vc(VerifyCardFormat).compare(&vc(CheckUserData)),
            Causality::Concurrent
        );
    }
}

#[test]
fn a_and_b_share_one_service_clock_so_they_are_ordered_by_that_service() {
    // Both run at "verification", and a clock keyed by service name puts two events of one
    // process in sequence: with one entry per service a ∥ b cannot be expressed. What the DAG's
    // parallelism of a and b means is shown by time (they overlap, see dag_order_tests) and by
    // the fraud clock entry, which neither has ticked.
    for seed in 30..35 {
        let vc = clocks(seed);
        let (a, b) = (vc(VerifyItems), vc(VerifyUserData));
        assert_ne!(
            a.compare(&b),
            Causality::Equal,
            "two events never share a clock"
        );
        assert_eq!(a.get("fraud"), 1, "a knows only fraud's init");
        assert_eq!(b.get("fraud"), 1, "b knows only fraud's init");
        assert_eq!(a.get("verification").abs_diff(b.get("verification")), 1);
    }
}

#[test]
fn every_event_ticks_only_the_clock_of_the_service_that_ran_it() {
    let vc = clocks(40);
    assert_eq!(vc(CheckUserData).get("fraud"), 2, "init, then d");
    assert_eq!(vc(CheckCardData).get("fraud"), 3, "init, d, then e");
    assert_eq!(vc(GetSuggestions).get("suggestions"), 2, "init, then f");
    // Every orchestrator event before f's send ticks its entry: the receipt, "received", three
    // InitOrder sends and their three answers, the five sends and five answers of a–e, then
    // f's own send.
    assert_eq!(
        vc(GetSuggestions).get("orchestrator"),
        19,
        "the orchestrator ticks on each of its events"
    );
}

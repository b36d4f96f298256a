use super::workload::{valid_request, Workload, WORKLOAD_START_MS};
use crate::catalog::Catalog;
use crate::checkout::{
    detect_card_brand, parse_checkout, verify_card_format, verify_items, verify_user_data,
    CalendarDate,
};
use crate::sim::rng::SimRng;
use crate::system::inputs::{Action, TimedInput};
use std::collections::BTreeSet;

fn bodies(inputs: &[TimedInput]) -> Vec<&str> {
    inputs
        .iter()
        .map(|i| match &i.action {
            Action::Checkout(body) => body.as_str(),
            other => panic!("the workload only makes checkouts, got {other:?}"),
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_inputs_and_another_seed_others() {
    let a = Workload::new(20, 30_000, 7).expect("valid").inputs();
    let b = Workload::new(20, 30_000, 7).expect("valid").inputs();
    let c = Workload::new(20, 30_000, 8).expect("valid").inputs();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_rate_is_exact_and_arrivals_stay_in_the_run() {
    let inputs = Workload::new(20, 100_000, 1).expect("valid").inputs();
    assert_eq!(
        inputs.len() as u64,
        (100_000 - WORKLOAD_START_MS) * 20 / 1000
    );
    assert!(inputs
        .iter()
        .all(|i| (WORKLOAD_START_MS..100_000).contains(&i.at_ms)));
    assert!(
        inputs.windows(2).all(|w| w[0].at_ms <= w[1].at_ms),
        "in time order"
    );
}

#[test]
fn the_stream_may_exceed_the_scenario_input_limit() {
    let inputs = Workload::new(200, 100_000, 1).expect("valid").inputs();
    assert!(inputs.len() > super::MAX_INPUTS);
}

#[test]
fn rates_and_durations_out_of_range_are_refused() {
    assert!(Workload::new(0, 1_000, 1).is_err());
    assert!(Workload::new(1_001, 1_000, 1).is_err());
    assert!(Workload::new(1, super::MAX_UNTIL_MS + 1, 1).is_err());
}

#[test]
fn every_valid_generated_order_parses_and_verifies() {
    let catalog = Catalog::embedded().expect("catalog");
    let today = CalendarDate::new(2026, 11, 21).expect("date");
    let mut rng = SimRng::new(3);
    let mut brands = BTreeSet::new();
    for k in 0..2_000 {
        let req = valid_request(&mut rng, &catalog, k);
        let body = serde_json::to_string(&req).expect("json");
        let parsed = parse_checkout(&body).expect("the parser accepts a generated valid body");
        assert_eq!(parsed, req);
        verify_user_data(&req).expect("user data verifies");
        verify_card_format(&req, today).expect("card verifies");
        verify_items(&req, &|t| catalog.find_title_exact(t).is_some()).expect("items verify");
        assert!((1..=3).contains(&req.items[0].quantity));
        brands.insert(detect_card_brand(&req.credit_card));
    }
    assert!(brands.len() >= 5, "several card brands: {brands:?}");
}

#[test]
fn the_stream_is_mostly_valid_and_varied() {
    let inputs = Workload::new(20, 102_000, 5).expect("valid").inputs();
    let parsed: Vec<_> = bodies(&inputs)
        .into_iter()
        .filter_map(|b| parse_checkout(b).ok())
        .collect();
    let invalid = inputs.len() - parsed.len();
    assert!(invalid > 0, "some bodies do not even parse");
    let shoppers: BTreeSet<_> = parsed.iter().map(|r| r.user.name.clone()).collect();
    let shipping: BTreeSet<_> = parsed.iter().map(|r| r.shipping_method).collect();
    assert!(
        parsed.len() * 100 >= inputs.len() * 90,
        "{} of {} parse",
        parsed.len(),
        inputs.len()
    );
    assert!(shoppers.len() > 50, "{} shoppers", shoppers.len());
    assert_eq!(shipping.len(), 3);
}

#[test]
fn a_streamed_workload_runs_exactly_as_the_same_inputs_scheduled_up_front() {
    let build = || {
        super::builtin::get("checkout")
            .expect("built in")
            .expect("parses")
            .build(3)
            .expect("builds")
    };
    let workload = Workload::new(20, 15_000, 3).expect("valid");
    let mut scheduled = build();
    scheduled.schedule(workload.inputs()).expect("valid inputs");
    scheduled.run_until(crate::sim::secs(20));
    let mut streamed = build();
    streamed.stream_workload(workload);
    streamed.run_until(crate::sim::secs(20));
    assert_eq!(
        streamed.world().trace().hash(),
        scheduled.world().trace().hash()
    );
    assert_eq!(
        streamed.client_records().len(),
        scheduled.client_records().len()
    );
    assert!(
        streamed.client_records().len() >= 13 * 20,
        "the workload arrived"
    );
    assert_eq!(
        streamed.applied_inputs().len(),
        scheduled.applied_inputs().len() - workload.inputs().len(),
        "generated inputs are reproduced by the workload, not stored"
    );
}

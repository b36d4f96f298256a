//! The fraud model inside the running service: a confident high risk rejects at e, a
//! low-confidence high risk approves with a note (seed 000's "confidence-based approval").

use super::*;
use crate::checkout::{CheckoutStatus, ShippingMethod};
use crate::view::EventState;

/// A big express gift order; `country` billing (a US state only for the USA).
fn big_order(buyer: u64, quantity: u32, gift: bool, country: &str) -> CheckoutRequest {
    let mut r = example_from_buyer(buyer);
    r.items[0].quantity = quantity;
    r.shipping_method = ShippingMethod::Express;
    r.gift_wrapping = gift;
    r.billing_address.country = country.into();
    r.billing_address.state = if country == "USA" {
        "CA".into()
    } else {
        String::new()
    };
    r
}

#[test]
fn a_confident_high_risk_score_rejects_at_e_and_skips_the_suggestions() {
    let mut shop = shop(100);
    let response = shop.checkout(json_of(&big_order(1, 100, false, "USA")));
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(fields(&response), ["body"]);
    assert!(
        error_text(&response).contains("model_high_risk"),
        "{}",
        error_text(&response)
    );
    let row = shop.order_row(&response.order_id);
    let state = |e: DagEvent| row.events.iter().find(|v| v.event == e).map(|v| v.state);
    assert_eq!(state(DagEvent::CheckCardData), Some(EventState::Failed));
    assert_eq!(state(DagEvent::GetSuggestions), Some(EventState::Skipped));
}

#[test]
fn a_low_confidence_high_risk_score_approves_the_order_and_logs_a_note() {
    let mut shop = shop(101);
    let response = shop.checkout(json_of(&big_order(2, 50, true, "Germany")));
    assert_eq!(
        response.status,
        CheckoutStatus::Approved,
        "{}",
        error_text(&response)
    );
    let logs = shop
        .logs_of(shop.order_row(&response.order_id).corr)
        .join("\n");
    assert!(logs.contains("model_low_confidence"), "{logs}");
    assert!(logs.contains("flagged for review"), "{logs}");
}

#[test]
fn with_the_model_down_the_same_risky_order_is_decided_by_the_rules_alone() {
    let mut shop = shop(102);
    shop.world.set_flag("model-down:fraud", true);
    let response = shop.checkout(json_of(&big_order(3, 100, false, "USA")));
    // No rule rejects a $3999 order (the limit is $5000): only the model did.
    assert_eq!(
        response.status,
        CheckoutStatus::Approved,
        "{}",
        error_text(&response)
    );
    let logs = shop
        .logs_of(shop.order_row(&response.order_id).corr)
        .join("\n");
    assert!(logs.contains("model_unavailable"), "{logs}");
    assert!(logs.contains("amount_high"), "{logs}");
}

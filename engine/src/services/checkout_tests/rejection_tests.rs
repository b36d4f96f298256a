//! Each failing validation rejects the order with its precise error and skips its dependents.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::view::EventState;
use DagEvent::*;

/// Runs `request`, returns the response and each event's final state.
fn run(seed: u64, request: &CheckoutRequest) -> (CheckoutResponse, Vec<(DagEvent, EventState)>) {
    let mut shop = shop(seed);
    let response = shop.checkout(json_of(request));
    let row = shop.order_row(&response.order_id);
    let states = row.events.iter().map(|e| (e.event, e.state)).collect();
    (response, states)
}

fn state(states: &[(DagEvent, EventState)], e: DagEvent) -> EventState {
    states
        .iter()
        .find(|(x, _)| *x == e)
        .map(|(_, s)| *s)
        .expect("event")
}

#[test]
fn a_bad_card_fails_c_and_skips_e_and_f_while_d_still_runs() {
    let mut r = CheckoutRequest::example();
    r.credit_card.number = "4111111111111112".into();
    let (response, states) = run(50, &r);
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(fields(&response), ["creditCard.number"]);
    assert!(
        error_text(&response).contains("Luhn"),
        "{}",
        error_text(&response)
    );
    assert!(response.suggested_books.is_empty());
    assert_eq!(state(&states, VerifyCardFormat), EventState::Failed);
    assert_eq!(state(&states, CheckCardData), EventState::Skipped);
    assert_eq!(state(&states, GetSuggestions), EventState::Skipped);
    assert_eq!(
        state(&states, CheckUserData),
        EventState::Ok,
        "d does not depend on c"
    );
}

#[test]
fn an_expired_card_is_rejected_against_the_simulated_calendar() {
    let mut r = CheckoutRequest::example();
    r.credit_card.expiration_date = "10/2026".into(); // the simulation starts on 2026-11-21
    let (response, _) = run(51, &r);
    assert_eq!(fields(&response), ["creditCard.expirationDate"]);
    assert!(
        error_text(&response).contains("expired"),
        "{}",
        error_text(&response)
    );
}

#[test]
fn an_unknown_book_fails_a_and_skips_c_e_and_f() {
    let mut r = CheckoutRequest::example();
    r.items[0].name = "The Necronomicon".into();
    let (response, states) = run(52, &r);
    assert_eq!(fields(&response), ["items[0].name"]);
    assert_eq!(state(&states, VerifyItems), EventState::Failed);
    for e in [VerifyCardFormat, CheckCardData, GetSuggestions] {
        assert_eq!(state(&states, e), EventState::Skipped, "{}", e.name());
    }
    assert_eq!(state(&states, VerifyUserData), EventState::Ok);
    assert_eq!(state(&states, CheckUserData), EventState::Ok);
}

#[test]
fn terms_not_accepted_fail_b_and_skip_d_e_and_f() {
    let mut r = CheckoutRequest::example();
    r.terms_and_conditions_accepted = false;
    let (response, states) = run(53, &r);
    assert_eq!(fields(&response), ["termsAndConditionsAccepted"]);
    assert_eq!(state(&states, VerifyUserData), EventState::Failed);
    for e in [CheckUserData, CheckCardData, GetSuggestions] {
        assert_eq!(state(&states, e), EventState::Skipped, "{}", e.name());
    }
    assert_eq!(
        state(&states, VerifyCardFormat),
        EventState::Ok,
        "c depends on a only"
    );
}

#[test]
fn independent_failures_are_all_reported_together() {
    let mut r = CheckoutRequest::example();
    r.items[0].quantity = 0;
    r.user.contact = "not an e-mail".into();
    let (response, states) = run(54, &r);
    let f = fields(&response);
    assert!(f.contains(&"items[0].quantity".to_string()), "{f:?}");
    assert!(f.contains(&"user.contact".to_string()), "{f:?}");
    assert_eq!(state(&states, VerifyItems), EventState::Failed);
    assert_eq!(state(&states, VerifyUserData), EventState::Failed);
    assert!(states
        .iter()
        .filter(|(e, _)| ![VerifyItems, VerifyUserData].contains(e))
        .all(|(_, s)| *s == EventState::Skipped));
}

#[test]
fn a_name_that_verification_accepts_but_fraud_rules_refuse_fails_d() {
    let mut r = CheckoutRequest::example();
    r.user.name = "Joooohn Doe".into(); // letters only, but one letter five times in a row
    let (response, states) = run(55, &r);
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(state(&states, VerifyUserData), EventState::Ok);
    assert_eq!(state(&states, CheckUserData), EventState::Failed);
    assert_eq!(state(&states, CheckCardData), EventState::Skipped);
    assert_eq!(state(&states, GetSuggestions), EventState::Skipped);
    assert_eq!(fields(&response), ["user.name"]);
    assert!(
        error_text(&response).contains("name_repeated_characters"),
        "{}",
        error_text(&response)
    );
}

#[test]
fn a_card_used_too_often_across_orders_fails_e_on_the_sixth_use() {
    let mut shop = shop(56);
    let mut last = None;
    for n in 0..6 {
        let mut r = CheckoutRequest::example();
        r.user.contact = format!("buyer{n}@example.com"); // one card, many buyers
        last = Some(shop.checkout(json_of(&r)));
        if n < 5 {
            assert_eq!(
                last.as_ref().map(|r| r.status),
                Some(CheckoutStatus::Approved),
                "use {n}"
            );
        }
    }
    let sixth = last.expect("six orders");
    assert_eq!(sixth.status, CheckoutStatus::Rejected);
    assert_eq!(fields(&sixth), ["creditCard.number"]);
    assert!(
        error_text(&sixth).contains("card_velocity"),
        "{}",
        error_text(&sixth)
    );
    let row = shop.order_row(&sixth.order_id);
    assert_eq!(
        row.events
            .iter()
            .find(|e| e.event == CheckCardData)
            .map(|e| e.state),
        Some(EventState::Failed)
    );
    assert_eq!(
        row.events
            .iter()
            .find(|e| e.event == GetSuggestions)
            .map(|e| e.state),
        Some(EventState::Skipped)
    );
}

#[test]
fn suggestions_never_run_after_a_failure() {
    let mut shop = shop(57);
    let mut r = CheckoutRequest::example();
    r.credit_card.cvv = "12".into();
    let response = shop.checkout(json_of(&r));
    assert_eq!(response.status, CheckoutStatus::Rejected);
    let corr = shop.order_row(&response.order_id).corr;
    assert_eq!(
        shop.event_clock(corr, GetSuggestions),
        None,
        "GetSuggestions never ran"
    );
    assert!(shop.validator_view(shop.suggestions).handled == 0);
}

#[test]
fn malformed_json_is_rejected_at_once_with_an_order_id_and_no_validator_is_asked() {
    let mut shop = shop(58);
    let response = shop.checkout("{\"items\": [".into());
    assert_eq!(response.status, CheckoutStatus::Rejected);
    assert_eq!(response.order_id, "ord-0001");
    assert_eq!(fields(&response), ["body"]);
    let row = shop.order_row("ord-0001");
    assert!(row.events.iter().all(|e| e.state == EventState::Skipped));
    for node in [shop.verification, shop.fraud, shop.suggestions] {
        assert_eq!(shop.validator_view(node).cached_orders, 0);
    }
    assert_eq!(
        shop.world.delivered(),
        2,
        "only the request and its answer crossed the network"
    );
}

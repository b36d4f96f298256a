//! The seeds' example order end to end: parse, then the three checks of events a, b and c.

use super::parse_tests::SEED_EXAMPLE_JSON;
use super::*;

fn date(text: &str) -> CalendarDate {
    CalendarDate::parse(text).expect("valid test date")
}

#[test]
fn the_example_request_passes_all_three_checks() {
    let r = CheckoutRequest::example();
    assert_eq!(verify_items(&r, &|_| true), Ok(()));
    assert_eq!(verify_user_data(&r), Ok(()));
    assert_eq!(verify_card_format(&r, date("2025-06-01")), Ok(()));
    assert_eq!(detect_card_brand(&r.credit_card), Some(CardBrand::Visa));
}

#[test]
fn the_seed_json_passes_all_three_checks_until_its_card_expires() {
    let r = parse_checkout(SEED_EXAMPLE_JSON).expect("parses");
    let catalog = |t: &str| t == "Clean Architecture";
    assert_eq!(verify_items(&r, &catalog), Ok(()));
    assert_eq!(verify_user_data(&r), Ok(()));
    // The seed's card reads 12/2025: valid through the last day of December 2025.
    assert_eq!(verify_card_format(&r, date("2025-12-31")), Ok(()));
    let expired = verify_card_format(&r, date("2026-01-01")).expect_err("expired");
    assert_eq!(
        expired[0].to_string(),
        "creditCard.expirationDate: the card expired at the end of 12/2025 (today is 2026-01-01)"
    );
}

#[test]
fn the_simulation_calendar_decides_expiry_from_virtual_time() {
    let r = CheckoutRequest::example(); // 12/2030
    let start = date("2030-12-30");
    let two_days = 2 * calendar::MICROS_PER_DAY;
    assert_eq!(
        verify_card_format(&r, start.add_micros(two_days - 1)),
        Ok(())
    );
    assert!(verify_card_format(&r, start.add_micros(two_days)).is_err());
}

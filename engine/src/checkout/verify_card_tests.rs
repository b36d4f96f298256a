//! Event c, VerifyCreditCardFormat: one good and one bad case per rule.

use super::verify_card::{parse_expiry, CardExpiry};
use super::*;

const TODAY: CalendarDate = CalendarDate {
    year: 2026,
    month: 3,
    day: 15,
};

fn with(edit: impl FnOnce(&mut CreditCard)) -> Vec<String> {
    let mut r = CheckoutRequest::example();
    edit(&mut r.credit_card);
    match verify_card_format(&r, TODAY) {
        Ok(()) => Vec::new(),
        Err(es) => es.iter().map(|e| e.to_string()).collect(),
    }
}

fn card(number: &str, expiry: &str, cvv: &str) -> Vec<String> {
    with(|c| {
        *c = CreditCard {
            number: number.into(),
            expiration_date: expiry.into(),
            cvv: cvv.into(),
        }
    })
}

#[test]
fn spaced_and_dashed_numbers_of_every_brand_pass() {
    assert_eq!(
        card("4111 1111 1111 1111", "03/26", "123"),
        Vec::<String>::new()
    );
    assert_eq!(
        card("5555-5555-5555-4444", "3/2027", "999"),
        Vec::<String>::new()
    );
    assert_eq!(
        card("3782 822463 10005", "12/30", "1234"),
        Vec::<String>::new()
    );
}

#[test]
fn a_missing_number_is_required_and_letters_are_refused_without_echo() {
    assert_eq!(
        with(|c| c.number = "".into()),
        ["creditCard.number: a card number is required"]
    );
    let errors = with(|c| c.number = "4111 1111 1111 111O".into());
    assert_eq!(
        errors,
        ["creditCard.number: may contain only digits, spaces and dashes"]
    );
}

#[test]
fn the_number_must_have_12_to_19_digits() {
    assert_eq!(
        with(|c| c.number = "41111111111".into()),
        ["creditCard.number: has 11 digits; card numbers have 12 to 19"]
    );
    assert_eq!(
        with(|c| c.number = "9".repeat(20)),
        ["creditCard.number: has 20 digits; card numbers have 12 to 19"]
    );
}

#[test]
fn a_known_brand_must_have_its_own_length() {
    assert_eq!(
        with(|c| c.number = "55555555555544".into()),
        ["creditCard.number: Mastercard numbers have 16 digits, this one has 14"]
    );
    assert_eq!(
        with(|c| c.number = "3782822463100055".into()),
        ["creditCard.number: American Express numbers have 15 digits, this one has 16"]
    );
}

#[test]
fn a_mistyped_digit_fails_the_luhn_checksum() {
    assert_eq!(
        with(|c| c.number = "4111111111111112".into()),
        ["creditCard.number: fails the Luhn checksum: a digit is probably mistyped"]
    );
}

#[test]
fn an_unknown_brand_with_a_valid_checksum_is_allowed() {
    assert_eq!(
        card("9999999999999995", "12/30", "123"),
        Vec::<String>::new()
    );
}

#[test]
fn expiry_accepts_two_and_four_digit_years() {
    assert_eq!(
        parse_expiry("04/27"),
        Some(CardExpiry {
            year: 2027,
            month: 4
        })
    );
    assert_eq!(
        parse_expiry("4 / 2027"),
        Some(CardExpiry {
            year: 2027,
            month: 4
        })
    );
    assert_eq!(parse_expiry("0099/27"), None);
    assert_eq!(
        parse_expiry("04/0027"),
        Some(CardExpiry { year: 27, month: 4 })
    );
    for bad in [
        "13/27", "00/27", "04-27", "0427", "04/027", "ab/cd", "/", "", "04/٢٧",
    ] {
        assert_eq!(parse_expiry(bad), None, "{bad}");
    }
}

#[test]
fn a_malformed_or_missing_expiry_is_explained() {
    assert_eq!(
        with(|c| c.expiration_date = "".into()),
        ["creditCard.expirationDate: an expiry date is required (MM/YY)"]
    );
    assert_eq!(with(|c| c.expiration_date = "13/2027".into()),
               ["creditCard.expirationDate: expected MM/YY or MM/YYYY with a month from 01 to 12, got \"13/2027\""]);
}

#[test]
fn a_card_is_valid_through_its_expiry_month_and_not_after() {
    assert_eq!(
        with(|c| c.expiration_date = "03/26".into()),
        Vec::<String>::new()
    );
    assert_eq!(with(|c| c.expiration_date = "02/2026".into()),
               ["creditCard.expirationDate: the card expired at the end of 02/2026 (today is 2026-03-15)"]);
    assert_eq!(
        with(|c| c.expiration_date = "04/0027".into()).len(),
        1,
        "year 27 AD is long past"
    );
}

#[test]
fn an_expiry_decades_away_is_a_typo() {
    assert_eq!(
        with(|c| c.expiration_date = "03/2046".into()),
        Vec::<String>::new()
    );
    assert_eq!(
        with(|c| c.expiration_date = "01/2047".into()),
        ["creditCard.expirationDate: 01/2047 is more than 20 years away: probably a typo"]
    );
}

#[test]
fn the_cvv_has_three_digits_or_four_for_amex() {
    assert_eq!(
        with(|c| c.cvv = "".into()),
        ["creditCard.cvv: a security code (CVV) is required"]
    );
    assert_eq!(
        with(|c| c.cvv = "1234".into()),
        ["creditCard.cvv: must be 3 digits"]
    );
    assert_eq!(
        with(|c| c.cvv = "12a".into()),
        ["creditCard.cvv: must be 3 digits"]
    );
    assert_eq!(
        card("378282246310005", "12/30", "123"),
        ["creditCard.cvv: must be 4 digits on the front of an American Express card"]
    );
}

#[test]
fn with_an_unreadable_number_any_three_or_four_digit_cvv_passes() {
    assert_eq!(
        card("abc", "12/30", "1234"),
        ["creditCard.number: may contain only digits, spaces and dashes"]
    );
    assert_eq!(card("abc", "12/30", "12").len(), 2);
}

#[test]
fn no_message_ever_contains_the_number_or_the_cvv() {
    let number = "4111111111111112"; // fails Luhn
    let errors = card(number, "01/20", "98765");
    assert_eq!(errors.len(), 3);
    for e in &errors {
        assert!(
            !e.contains(number) && !e.contains("98765") && !e.contains("1112"),
            "{e}"
        );
    }
}

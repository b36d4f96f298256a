//! Event c of the validation DAG: VerifyCreditCardFormat. Format only — whether the card has
//! money is the payment service's business in the 2PC.
//!
//! Messages never contain the card number or the CVV, not even in part.

use super::calendar::CalendarDate;
use super::card::{card_brand, card_digits, luhn_valid, CardBrand};
use super::field_error::{excerpt, into_result, VerificationError};
use super::limits::{CARD_DIGITS_MAX, CARD_DIGITS_MIN, CARD_VALIDITY_YEARS_MAX};
use super::request::{CheckoutRequest, CreditCard};

/// Month and year a card is valid through (inclusive: a card marked 12/2030 works all December).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CardExpiry {
    pub year: u16,
    pub month: u8,
}

pub fn verify_card_format(
    req: &CheckoutRequest,
    today: CalendarDate,
) -> Result<(), Vec<VerificationError>> {
    let card = &req.credit_card;
    let mut errors = Vec::new();
    let brand = match number_problem(&card.number) {
        Ok(brand) => Some(brand),
        Err(message) => {
            errors.push(VerificationError::new("creditCard.number", message));
            None
        }
    };
    if let Some(message) = expiry_problem(&card.expiration_date, today) {
        errors.push(VerificationError::new("creditCard.expirationDate", message));
    }
    if let Some(message) = cvv_problem(&card.cvv, brand) {
        errors.push(VerificationError::new("creditCard.cvv", message));
    }
    into_result(errors)
}

/// The brand of a well-formed number, for logs and the page ("Visa **** 1111"); `None` when
/// the number is not even digits.
pub fn detect_card_brand(card: &CreditCard) -> Option<CardBrand> {
    card_digits(&card.number)
        .filter(|d| !d.is_empty())
        .map(|d| card_brand(&d))
}

/// The brand when the number is well-formed, else why not.
fn number_problem(number: &str) -> Result<CardBrand, String> {
    if number.trim().is_empty() {
        return Err("a card number is required".into());
    }
    let Some(digits) = card_digits(number) else {
        return Err("may contain only digits, spaces and dashes".into());
    };
    let count = digits.chars().count();
    if !(CARD_DIGITS_MIN..=CARD_DIGITS_MAX).contains(&count) {
        return Err(format!(
            "has {} digits; card numbers have {CARD_DIGITS_MIN} to {CARD_DIGITS_MAX}",
            count as u64
        ));
    }
    let brand = card_brand(&digits);
    let (lo, hi) = brand.lengths();
    if !(lo..=hi).contains(&count) {
        let expected = if lo == hi {
            lo.to_string()
        } else {
            format!("{lo} to {hi}")
        };
        return Err(format!(
            "{brand} numbers have {expected} digits, this one has {}",
            count as u64
        ));
    }
    if !luhn_valid(&digits) {
        return Err("fails the Luhn checksum: a digit is probably mistyped".into());
    }
    Ok(brand)
}

/// `MM/YY` or `MM/YYYY` (one-digit months and spaces around the slash are tolerated).
pub fn parse_expiry(text: &str) -> Option<CardExpiry> {
    let (month, year) = text.trim().split_once('/')?;
    let (month, year) = (month.trim(), year.trim());
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(month)
        || !all_digits(year)
        || month.len() > 2
        || !(year.len() == 2 || year.len() == 4)
    {
        return None;
    }
    let two_digit_year = year.len() == 2;
    let month: u8 = month.parse().ok()?;
    let year: u16 = year.parse().ok()?;
    // Two-digit years are this century: cards are issued for at most a few years.
    let year = if two_digit_year { 2000 + year } else { year };
    (1..=12)
        .contains(&month)
        .then_some(CardExpiry { year, month })
}

fn expiry_problem(text: &str, today: CalendarDate) -> Option<String> {
    if text.trim().is_empty() {
        return Some("an expiry date is required (MM/YY)".into());
    }
    let Some(expiry) = parse_expiry(text) else {
        return Some(format!(
            "expected MM/YY or MM/YYYY with a month from 01 to 12, got {}",
            excerpt(text)
        ));
    };
    let this_month = CardExpiry {
        year: today.year,
        month: today.month,
    };
    if expiry < this_month {
        return Some(format!(
            "the card expired at the end of {:02}/{} (today is {today})",
            expiry.month, expiry.year
        ));
    }
    if expiry.year > today.year.saturating_add(CARD_VALIDITY_YEARS_MAX) {
        return Some(format!(
            "{:02}/{} is more than {CARD_VALIDITY_YEARS_MAX} years away: probably a typo",
            expiry.month, expiry.year
        ));
    }
    None
}

/// Exactly the brand's digit count; when the number was unreadable (brand unknown) 3 or 4
/// digits are both accepted, so one typo does not produce a second, misleading error.
fn cvv_problem(cvv: &str, brand: Option<CardBrand>) -> Option<String> {
    if cvv.trim().is_empty() {
        return Some("a security code (CVV) is required".into());
    }
    let count = cvv.chars().count();
    let digits_only = cvv.bytes().all(|b| b.is_ascii_digit());
    match brand {
        Some(b) if !digits_only || count != b.cvv_digits() => {
            let on = if b == CardBrand::AmericanExpress {
                " on the front of an American Express card"
            } else {
                ""
            };
            Some(format!("must be {} digits{on}", b.cvv_digits() as u64))
        }
        None if !digits_only || !(3..=4).contains(&count) => Some("must be 3 or 4 digits".into()),
        _ => None,
    }
}

//! Rule checks: fixed, explainable limits that hold whether or not the model is available.
//! A `Reject` hit rejects the order on its own; a `Warn` hit is only reported.
//! Messages quote counts and limits, never the user's own text.

use serde::{Deserialize, Serialize};

use super::features::{FraudFeatures, HolderMatch, ShippingMethod};
use super::velocity::DEFAULT_WINDOW_US;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    NameEmpty,
    NameHasDigits,
    NameTooLong,
    NameHasNoLetters,
    NameRepeatedCharacters,
    NameHolderMismatch,
    CardVelocity,
    CardCycling,
    AmountVeryHigh,
    AmountHigh,
    PoBoxExpress,
    BillingCountryMismatch,
    BillingCountryMismatchHighAmount,
    DisposableEmail,
}

impl RuleId {
    /// Stable snake_case name, used as the prefix of a reason.
    pub fn code(self) -> &'static str {
        match self {
            Self::NameEmpty => "name_empty",
            Self::NameHasDigits => "name_has_digits",
            Self::NameTooLong => "name_too_long",
            Self::NameHasNoLetters => "name_has_no_letters",
            Self::NameRepeatedCharacters => "name_repeated_characters",
            Self::NameHolderMismatch => "name_holder_mismatch",
            Self::CardVelocity => "card_velocity",
            Self::CardCycling => "card_cycling",
            Self::AmountVeryHigh => "amount_very_high",
            Self::AmountHigh => "amount_high",
            Self::PoBoxExpress => "po_box_express",
            Self::BillingCountryMismatch => "billing_country_mismatch",
            Self::BillingCountryMismatchHighAmount => "billing_country_mismatch_high_amount",
            Self::DisposableEmail => "disposable_email",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Reject,
    Warn,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleHit {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
}

impl RuleHit {
    /// "name_has_digits: user name contains 2 digits (a name has none)".
    pub fn reason(&self) -> String {
        format!("{}: {}", self.rule.code(), self.message)
    }
}

/// Every limit the rules use; units are in the names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLimits {
    pub name_chars_max: u32,
    /// Longest allowed run of one character ("Aaa" = 3 is still a name).
    pub name_repeat_run_max: u32,
    /// Must equal the window of the `VelocityTracker` that produced the counts.
    pub velocity_window_us: u64,
    pub card_uses_in_window_max: u32,
    pub distinct_cards_for_contact_max: u32,
    pub amount_reject_cents: u64,
    /// Above this an order is "high value": reported, and rejected with a country mismatch.
    pub amount_warn_cents: u64,
}

impl Default for RuleLimits {
    fn default() -> Self {
        Self {
            name_chars_max: 80,
            name_repeat_run_max: 3,
            velocity_window_us: DEFAULT_WINDOW_US,
            card_uses_in_window_max: 5,
            distinct_cards_for_contact_max: 3,
            amount_reject_cents: 500_000,
            amount_warn_cents: 100_000,
        }
    }
}

/// Runs every rule; hits come in a fixed order (name, card, amount, address, contact).
pub fn check_rules(f: &FraudFeatures, limits: &RuleLimits) -> Vec<RuleHit> {
    let mut hits = Vec::new();
    check_name(f, limits, &mut hits);
    check_card(f, limits, &mut hits);
    check_amount_and_address(f, limits, &mut hits);
    if f.email_disposable {
        hits.push(warn(
            RuleId::DisposableEmail,
            "contact e-mail is at a throwaway-mail domain".into(),
        ));
    }
    hits
}

fn check_name(f: &FraudFeatures, limits: &RuleLimits, hits: &mut Vec<RuleHit>) {
    if f.name_length == 0 {
        hits.push(reject(RuleId::NameEmpty, "user name is empty".into()));
        return;
    }
    if f.name_digits > 0 {
        let message = format!(
            "user name contains {} digit{} (a name has none)",
            f.name_digits,
            plural(f.name_digits)
        );
        hits.push(reject(RuleId::NameHasDigits, message));
    }
    if f.name_length > limits.name_chars_max {
        let message = format!(
            "user name is {} characters long (limit {})",
            f.name_length, limits.name_chars_max
        );
        hits.push(reject(RuleId::NameTooLong, message));
    }
    if f.name_letters == 0 {
        hits.push(reject(
            RuleId::NameHasNoLetters,
            "user name has no letters".into(),
        ));
    }
    if f.name_longest_run > limits.name_repeat_run_max {
        let message = format!(
            "user name repeats one character {} times in a row (limit {})",
            f.name_longest_run, limits.name_repeat_run_max
        );
        hits.push(reject(RuleId::NameRepeatedCharacters, message));
    }
    if f.holder_match == HolderMatch::Mismatch {
        hits.push(reject(
            RuleId::NameHolderMismatch,
            "user name does not match the card holder name".into(),
        ));
    }
}

fn check_card(f: &FraudFeatures, limits: &RuleLimits, hits: &mut Vec<RuleHit>) {
    let window = duration_text(limits.velocity_window_us);
    if f.card_uses_in_window > limits.card_uses_in_window_max {
        let message = format!(
            "card used {} times in the last {window} (limit {})",
            f.card_uses_in_window, limits.card_uses_in_window_max
        );
        hits.push(reject(RuleId::CardVelocity, message));
    }
    if f.distinct_cards_for_contact > limits.distinct_cards_for_contact_max {
        let message = format!(
            "this contact used {} different cards in the last {window} (limit {})",
            f.distinct_cards_for_contact, limits.distinct_cards_for_contact_max
        );
        hits.push(reject(RuleId::CardCycling, message));
    }
}

fn check_amount_and_address(f: &FraudFeatures, limits: &RuleLimits, hits: &mut Vec<RuleHit>) {
    let amount = dollars(f.amount_cents);
    if f.amount_cents > limits.amount_reject_cents {
        let message = format!(
            "order total {amount} is above the {} limit",
            dollars(limits.amount_reject_cents)
        );
        hits.push(reject(RuleId::AmountVeryHigh, message));
    } else if f.amount_cents > limits.amount_warn_cents {
        let message = format!(
            "order total {amount} is above {} (high value)",
            dollars(limits.amount_warn_cents)
        );
        hits.push(warn(RuleId::AmountHigh, message));
    }
    if f.po_box && f.shipping_method == ShippingMethod::Express {
        let message =
            "express shipping to a PO box address (couriers cannot deliver express to PO boxes)";
        hits.push(reject(RuleId::PoBoxExpress, message.into()));
    }
    if f.billing_country_mismatch {
        if f.amount_cents > limits.amount_warn_cents {
            let message = format!(
                "billing country differs from the user's usual country on an order of {amount} (above {})",
                dollars(limits.amount_warn_cents)
            );
            hits.push(reject(RuleId::BillingCountryMismatchHighAmount, message));
        } else {
            let message = "billing country differs from the user's usual country".into();
            hits.push(warn(RuleId::BillingCountryMismatch, message));
        }
    }
}

fn reject(rule: RuleId, message: String) -> RuleHit {
    RuleHit {
        rule,
        severity: Severity::Reject,
        message,
    }
}

fn warn(rule: RuleId, message: String) -> RuleHit {
    RuleHit {
        rule,
        severity: Severity::Warn,
        message,
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Cents as "$1234.56".
pub fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// A window length in the largest unit that states it exactly: "60 s", "1500 ms", "7 µs".
pub fn duration_text(us: u64) -> String {
    if us.is_multiple_of(1_000_000) {
        format!("{} s", us / 1_000_000)
    } else if us.is_multiple_of(1_000) {
        format!("{} ms", us / 1_000)
    } else {
        format!("{us} µs")
    }
}

use super::features::{FraudFeatures, HolderMatch, ShippingMethod};
use super::rules::{check_rules, dollars, duration_text, RuleId, RuleLimits, Severity};
use super::signals::NameStats;

/// An unremarkable order by "Ada Lovelace": no rule fires.
pub(super) fn clean_order() -> FraudFeatures {
    let mut f = FraudFeatures {
        amount_cents: 4_250,
        total_quantity: 2,
        distinct_items: 2,
        card_uses_in_window: 1,
        distinct_cards_for_contact: 1,
        expiry_months_ahead: 24,
        hour_of_day: 14,
        ..FraudFeatures::default()
    };
    f.set_name(&NameStats::of("Ada Lovelace"));
    f
}

fn rules_hit(f: &FraudFeatures) -> Vec<(RuleId, Severity)> {
    check_rules(f, &RuleLimits::default())
        .iter()
        .map(|h| (h.rule, h.severity))
        .collect()
}

fn with_name(name: &str) -> FraudFeatures {
    let mut f = clean_order();
    f.set_name(&NameStats::of(name));
    f
}

#[test]
fn a_clean_order_hits_no_rule() {
    assert!(check_rules(&clean_order(), &RuleLimits::default()).is_empty());
}

#[test]
fn an_empty_name_is_rejected_once_and_nothing_else_is_said_about_it() {
    assert_eq!(
        rules_hit(&with_name("   ")),
        vec![(RuleId::NameEmpty, Severity::Reject)]
    );
}

#[test]
fn a_name_with_digits_is_rejected_with_the_count() {
    let hits = check_rules(&with_name("J0hn Sm1th"), &RuleLimits::default());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].rule, RuleId::NameHasDigits);
    assert_eq!(
        hits[0].reason(),
        "name_has_digits: user name contains 2 digits (a name has none)"
    );
    assert!(rules_hit(&with_name("John Smith")).is_empty());
}

#[test]
fn a_name_over_the_length_limit_is_rejected_and_one_at_it_is_not() {
    let eighty = "Abcdefghi ".repeat(7) + "Abcdefghij";
    assert!(rules_hit(&with_name(&eighty)).is_empty());
    let over = eighty + "k";
    assert_eq!(
        rules_hit(&with_name(&over)),
        vec![(RuleId::NameTooLong, Severity::Reject)]
    );
    let hits = check_rules(&with_name(&over), &RuleLimits::default());
    assert_eq!(
        hits[0].message,
        "user name is 81 characters long (limit 80)"
    );
}

#[test]
fn a_name_without_letters_is_rejected() {
    assert_eq!(
        rules_hit(&with_name("-- .. --")),
        vec![(RuleId::NameHasNoLetters, Severity::Reject)]
    );
    assert!(rules_hit(&with_name("Ó Sé")).is_empty());
}

#[test]
fn four_repeated_characters_are_rejected_but_three_are_a_name() {
    assert_eq!(
        rules_hit(&with_name("Aaaa Bbb")),
        vec![(RuleId::NameRepeatedCharacters, Severity::Reject)]
    );
    assert!(rules_hit(&with_name("Aaa Bbb")).is_empty());
}

#[test]
fn a_card_holder_mismatch_is_rejected_and_a_match_is_not() {
    let mut f = clean_order();
    f.holder_match = HolderMatch::Mismatch;
    assert_eq!(
        rules_hit(&f),
        vec![(RuleId::NameHolderMismatch, Severity::Reject)]
    );
    f.holder_match = HolderMatch::Matches;
    assert!(rules_hit(&f).is_empty());
}

#[test]
fn card_velocity_over_the_limit_is_rejected_with_the_window() {
    let mut f = clean_order();
    f.card_uses_in_window = 5;
    assert!(rules_hit(&f).is_empty());
    f.card_uses_in_window = 6;
    let hits = check_rules(&f, &RuleLimits::default());
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].reason(),
        "card_velocity: card used 6 times in the last 60 s (limit 5)"
    );
}

#[test]
fn many_cards_for_one_contact_are_rejected() {
    let mut f = clean_order();
    f.distinct_cards_for_contact = 3;
    assert!(rules_hit(&f).is_empty());
    f.distinct_cards_for_contact = 4;
    assert_eq!(rules_hit(&f), vec![(RuleId::CardCycling, Severity::Reject)]);
}

#[test]
fn a_very_high_amount_is_rejected_and_a_high_one_only_reported() {
    let mut f = clean_order();
    f.amount_cents = 500_001;
    let hits = check_rules(&f, &RuleLimits::default());
    assert_eq!(
        hits[0].reason(),
        "amount_very_high: order total $5000.01 is above the $5000.00 limit"
    );
    f.amount_cents = 500_000;
    assert_eq!(rules_hit(&f), vec![(RuleId::AmountHigh, Severity::Warn)]);
    f.amount_cents = 100_000;
    assert!(rules_hit(&f).is_empty());
}

#[test]
fn express_to_a_po_box_is_rejected_but_standard_to_a_po_box_is_fine() {
    let mut f = clean_order();
    f.po_box = true;
    f.shipping_method = ShippingMethod::Standard;
    assert!(rules_hit(&f).is_empty());
    f.shipping_method = ShippingMethod::Express;
    assert_eq!(
        rules_hit(&f),
        vec![(RuleId::PoBoxExpress, Severity::Reject)]
    );
}

#[test]
fn a_country_mismatch_is_reported_and_rejected_only_on_a_high_value_order() {
    let mut f = clean_order();
    f.billing_country_mismatch = true;
    assert_eq!(
        rules_hit(&f),
        vec![(RuleId::BillingCountryMismatch, Severity::Warn)]
    );
    f.amount_cents = 150_000;
    assert_eq!(
        rules_hit(&f),
        vec![
            (RuleId::AmountHigh, Severity::Warn),
            (RuleId::BillingCountryMismatchHighAmount, Severity::Reject)
        ]
    );
}

#[test]
fn a_throwaway_email_is_reported_but_not_rejected() {
    let mut f = clean_order();
    f.email_disposable = true;
    assert_eq!(
        rules_hit(&f),
        vec![(RuleId::DisposableEmail, Severity::Warn)]
    );
}

#[test]
fn limits_are_configurable() {
    let mut f = clean_order();
    f.card_uses_in_window = 3;
    let strict = RuleLimits {
        card_uses_in_window_max: 2,
        velocity_window_us: 1_500_000,
        ..RuleLimits::default()
    };
    let hits = check_rules(&f, &strict);
    assert_eq!(
        hits[0].message,
        "card used 3 times in the last 1500 ms (limit 2)"
    );
}

#[test]
fn money_and_durations_are_written_exactly() {
    assert_eq!(dollars(0), "$0.00");
    assert_eq!(dollars(123_456), "$1234.56");
    assert_eq!(duration_text(60_000_000), "60 s");
    assert_eq!(duration_text(1_500_000), "1500 ms");
    assert_eq!(duration_text(2_500), "2500 µs");
    assert_eq!(duration_text(7), "7 µs");
}

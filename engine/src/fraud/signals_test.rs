use super::features::{
    hour_of_day, months_ahead, FraudFeatures, HolderMatch, ShippingMethod, FEATURE_NAMES,
};
use super::signals::{
    clip_for_message, countries_differ, holder_match, is_disposable_email, looks_like_po_box,
    NameStats,
};

#[test]
fn name_stats_count_letters_digits_words_and_runs() {
    let s = NameStats::of("  Jo3 Smiiith  ");
    assert_eq!(
        (s.chars, s.letters, s.digits, s.words, s.longest_run),
        (11, 9, 1, 2, 3)
    );
    assert!(s.has_vowel);
    assert_eq!(s.digit_permille(), 90); // 1000 / 11, integer division
}

#[test]
fn names_in_other_scripts_are_not_mistaken_for_keyboard_mashing() {
    assert!(NameStats::of("李小龍").has_vowel);
    assert!(!NameStats::of("Xkcd Brr").has_vowel);
    assert_eq!(NameStats::of("").digit_permille(), 0);
}

#[test]
fn holder_names_match_across_case_accents_order_and_initials() {
    assert_eq!(
        holder_match("José Álvarez", Some("JOSE ALVAREZ")),
        HolderMatch::Matches
    );
    assert_eq!(
        holder_match("Ada Lovelace", Some("LOVELACE ADA")),
        HolderMatch::Matches
    );
    assert_eq!(
        holder_match("Ada Lovelace", Some("A. Lovelace")),
        HolderMatch::Matches
    );
    assert_eq!(
        holder_match("A Lovelace", Some("Ada Lovelace")),
        HolderMatch::Matches
    );
    assert_eq!(
        holder_match("Conan O'Brien", Some("CONAN OBRIEN")),
        HolderMatch::Matches
    );
}

#[test]
fn different_holder_names_are_a_mismatch_and_a_blank_holder_is_not_given() {
    assert_eq!(
        holder_match("Ada Lovelace", Some("Charles Babbage")),
        HolderMatch::Mismatch
    );
    assert_eq!(
        holder_match("Ada Lovelace", Some("B. Lovelace")),
        HolderMatch::Mismatch
    );
    assert_eq!(
        holder_match("Ada Lovelace", Some("A. B.")),
        HolderMatch::Mismatch,
        "initials alone prove nothing"
    );
    assert_eq!(
        holder_match("Ada Lovelace", Some("   ")),
        HolderMatch::NotGiven
    );
    assert_eq!(holder_match("Ada Lovelace", None), HolderMatch::NotGiven);
}

#[test]
fn throwaway_mail_domains_and_their_subdomains_are_recognised() {
    assert!(is_disposable_email("x@mailinator.com"));
    assert!(is_disposable_email("x@EU.Mailinator.com."));
    assert!(!is_disposable_email("x@notmailinator.com"));
    assert!(!is_disposable_email("ada@example.com"));
    assert!(!is_disposable_email("+372 5555 5555"));
}

#[test]
fn po_boxes_are_found_on_whole_words_only() {
    for street in [
        "PO Box 12",
        "P.O. Box 7",
        "p o box 1",
        "POBox 3",
        "Post Office Box 9",
    ] {
        assert!(looks_like_po_box(street), "{street}");
    }
    for street in ["Tempo Box Lane 4", "Ülikooli 18", "Boxwood Road 2"] {
        assert!(!looks_like_po_box(street), "{street}");
    }
}

#[test]
fn countries_compare_by_code_and_common_name() {
    assert!(!countries_differ("USA", "United States"));
    assert!(!countries_differ(" ee ", "Estonia"));
    assert!(countries_differ("Estonia", "Latvia"));
    assert!(
        !countries_differ("Estonia", ""),
        "an unknown usual country is not a mismatch"
    );
}

#[test]
fn expiry_months_count_from_the_simulated_calendar() {
    assert_eq!(months_ahead(2025, 11, 2025, 11), Ok(0));
    assert_eq!(months_ahead(2025, 11, 2027, 2), Ok(15));
    assert_eq!(
        months_ahead(2025, 11, 2024, 12),
        Ok(0),
        "an expired card is 0 months ahead"
    );
    assert!(months_ahead(2025, 13, 2027, 2).is_err());
}

#[test]
fn the_hour_of_day_follows_virtual_time_from_the_start_hour() {
    assert_eq!(hour_of_day(0, 9), 9);
    assert_eq!(hour_of_day(3_600_000_000 * 16, 9), 1);
    assert_eq!(hour_of_day(3_600_000_000 - 1, 23), 23);
}

#[test]
fn shipping_methods_parse_case_insensitively_and_reject_others() {
    assert_eq!(
        ShippingMethod::parse(" Express "),
        Some(ShippingMethod::Express)
    );
    assert_eq!(ShippingMethod::parse("teleport\u{7}"), None);
    assert_eq!(clip_for_message(&"x".repeat(30)).chars().count(), 25);
}

#[test]
fn the_feature_vector_follows_feature_names() {
    let f = FraudFeatures {
        amount_cents: 1,
        total_quantity: 2,
        distinct_items: 3,
        card_uses_in_window: 4,
        distinct_cards_for_contact: 5,
        billing_country_mismatch: true,
        name_length: 7,
        name_digit_permille: 8,
        name_has_vowel: true,
        name_words: 10,
        email_disposable: true,
        expiry_months_ahead: 12,
        shipping_method: ShippingMethod::Priority,
        gift_wrap: true,
        hour_of_day: 15,
        po_box: true,
        ..FraudFeatures::default()
    };
    let x = f.model_input();
    let expected = [
        1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 7.0, 8.0, 1.0, 10.0, 1.0, 12.0, 1.0, 1.0, 15.0, 1.0,
    ];
    assert_eq!(x, expected);
    assert_eq!(FEATURE_NAMES[12], "shipping_method");
}

#[test]
fn features_are_built_from_the_checkout_text_and_the_velocity_counts() {
    use super::features::CheckoutFacts;
    use super::velocity::VelocityCounts;
    let facts = CheckoutFacts {
        user_name: " Ada Lovelace ".into(),
        card_holder: Some("A LOVELACE".into()),
        contact: "ada@yopmail.com".into(),
        amount_cents: 12_345,
        total_quantity: 3,
        distinct_items: 2,
        billing_street: "P.O. Box 42".into(),
        billing_country: "United Kingdom".into(),
        usual_country: "EE".into(),
        shipping_method: ShippingMethod::Priority,
        gift_wrap: true,
        expiry_months_ahead: 30,
        hour_of_day: 25,
    };
    let velocity = VelocityCounts {
        card_uses_in_window: 2,
        distinct_cards_for_contact: 1,
    };
    let f = FraudFeatures::from_checkout(&facts, velocity);
    assert_eq!(
        f.model_input(),
        [12345.0, 3.0, 2.0, 2.0, 1.0, 1.0, 12.0, 0.0, 1.0, 2.0, 1.0, 30.0, 1.0, 1.0, 1.0, 1.0]
    );
    assert_eq!(
        (f.name_letters, f.name_digits, f.name_longest_run),
        (11, 0, 1)
    );
    assert_eq!(f.holder_match, HolderMatch::Matches);
}

//! Event b, VerifyUserData: one good and one bad case per rule.

use super::*;

fn with(edit: impl FnOnce(&mut CheckoutRequest)) -> Vec<String> {
    let mut r = CheckoutRequest::example();
    edit(&mut r);
    match verify_user_data(&r) {
        Ok(()) => Vec::new(),
        Err(es) => es.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn real_names_in_many_scripts_pass() {
    for name in [
        "John Doe",
        "Mary-Jane O'Neil",
        "J. R. R. Tolkien",
        "José Müller",
        "Zoë d’Arc",
        "李小龙",
        "Jose\u{301}",
        "Ян",
    ] {
        assert_eq!(
            with(|r| r.user.name = name.into()),
            Vec::<String>::new(),
            "{name}"
        );
    }
}

#[test]
fn a_missing_short_long_or_odd_name_is_refused() {
    assert_eq!(
        with(|r| r.user.name = "".into()),
        ["user.name: a name is required"]
    );
    assert_eq!(
        with(|r| r.user.name = "J".into()),
        ["user.name: must have 2 to 100 characters, this one has 1"]
    );
    assert_eq!(
        with(|r| r.user.name = "a".repeat(101)),
        ["user.name: must have 2 to 100 characters, this one has 101"]
    );
    assert_eq!(
        with(|r| r.user.name = "J0hn".into()),
        ["user.name: may contain only letters, spaces, hyphens, apostrophes and dots, not \"0\""]
    );
    assert_eq!(with(|r| r.user.name = "Jo\u{0}hn".into()),
               ["user.name: may contain only letters, spaces, hyphens, apostrophes and dots, not U+0000"]);
    assert_eq!(
        with(|r| r.user.name = "A.".into()),
        ["user.name: must contain at least two letters"]
    );
}

#[test]
fn the_contact_must_be_an_email_and_the_message_quotes_at_most_40_characters() {
    assert_eq!(
        with(|r| r.user.contact = "".into()),
        ["user.contact: an e-mail address is required"]
    );
    let long_junk = format!("{}@", "x".repeat(300));
    let errors = with(|r| r.user.contact = long_junk);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].ends_with(&format!("(got \"{}\"…)", "x".repeat(40))),
        "{}",
        errors[0]
    );
    assert!(
        with(|r| r.user.contact = "john at example dot com".into())[0]
            .starts_with("user.contact: an e-mail address needs an @")
    );
}

#[test]
fn every_address_part_is_required() {
    let errors = with(|r| r.billing_address = BillingAddress::default());
    assert_eq!(
        errors,
        [
            "billingAddress.country: a country is required",
            "billingAddress.street: a street address is required",
            "billingAddress.city: a city is required",
            "billingAddress.zip: a postal code is required",
        ]
    );
}

#[test]
fn the_country_must_be_known() {
    assert_eq!(with(|r| r.billing_address.country = "Atlantis".into()),
               ["billingAddress.country: \"Atlantis\" is not a known country; use its name or ISO code (e.g. EE, USA)"]);
    assert_eq!(
        with(|r| r.billing_address.country = "united states".into()),
        Vec::<String>::new()
    );
}

#[test]
fn a_us_address_needs_a_real_state_and_other_countries_need_none() {
    assert_eq!(
        with(|r| r.billing_address.state = "".into()),
        ["billingAddress.state: a state is required for a US address"]
    );
    assert_eq!(with(|r| r.billing_address.state = "Kalifornia".into()),
               ["billingAddress.state: \"Kalifornia\" is not a US state; use its two-letter code (e.g. CA, NY)"]);
    assert_eq!(
        with(|r| r.billing_address.state = "california".into()),
        Vec::<String>::new()
    );
    let estonian = |r: &mut CheckoutRequest| {
        r.billing_address = BillingAddress {
            street: "Narva mnt 18".into(),
            city: "Tartu".into(),
            state: "".into(),
            zip: "51009".into(),
            country: "Estonia".into(),
        };
    };
    assert_eq!(with(estonian), Vec::<String>::new());
}

#[test]
fn the_zip_must_fit_the_country() {
    assert_eq!(
        with(|r| r.billing_address.zip = "12345-6789".into()),
        Vec::<String>::new()
    );
    let errors = with(|r| r.billing_address.zip = "K1A 0B1".into());
    assert!(
        errors[0].starts_with("billingAddress.zip: does not look like a postal code of US"),
        "{errors:?}"
    );
    let hong_kong = |r: &mut CheckoutRequest| {
        r.billing_address = BillingAddress {
            street: "1 Queen's Road".into(),
            city: "Hong Kong".into(),
            state: "".into(),
            zip: "".into(),
            country: "HK".into(),
        };
    };
    assert_eq!(with(hong_kong), Vec::<String>::new());
}

#[test]
fn a_street_or_city_of_punctuation_or_markup_is_refused() {
    assert_eq!(
        with(|r| r.billing_address.street = "---".into()),
        ["billingAddress.street: \"---\" does not look like an address part"]
    );
    assert_eq!(
        with(|r| r.billing_address.city = "<b>Anytown</b>".into()),
        ["billingAddress.city: must not contain < or >"]
    );
    assert_eq!(
        with(|r| r.billing_address.city = "Any\u{200B}town".into()),
        ["billingAddress.city: contains an invisible or control character (U+200B)"]
    );
}

#[test]
fn the_terms_must_be_accepted() {
    assert_eq!(
        with(|r| r.terms_and_conditions_accepted = false),
        ["termsAndConditionsAccepted: the terms and conditions must be accepted"]
    );
}

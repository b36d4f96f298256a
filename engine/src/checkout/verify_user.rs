//! Event b of the validation DAG: VerifyUserData — the buyer's name and e-mail, a complete and
//! consistent billing address, and the terms accepted.

use super::countries::find_country;
use super::email::email_problem;
use super::field_error::{excerpt, into_result, VerificationError};
use super::limits::{ADDRESS_PART_CHARS_MAX, NAME_CHARS_MAX, NAME_CHARS_MIN, STRING_CHARS_MAX};
use super::postal_codes::{postal_code_problem, postal_code_required};
use super::request::{BillingAddress, CheckoutRequest};
use super::text_rules::{is_combining_mark, plain_text_problem};
use super::us_states::is_us_state;

pub fn verify_user_data(req: &CheckoutRequest) -> Result<(), Vec<VerificationError>> {
    let mut errors = Vec::new();
    let mut check = |field: &str, problem: Option<String>| {
        if let Some(message) = problem {
            errors.push(VerificationError::new(field, message));
        }
    };
    check("user.name", person_name_problem(&req.user.name));
    check("user.contact", contact_problem(&req.user.contact));
    for (field, problem) in address_problems(&req.billing_address) {
        check(field, Some(problem));
    }
    if !req.terms_and_conditions_accepted {
        check(
            "termsAndConditionsAccepted",
            Some("the terms and conditions must be accepted".into()),
        );
    }
    into_result(errors)
}

/// Letters in any script plus the marks real names use (space, hyphen, apostrophes, dot), at
/// least two letters, 2 to 100 characters. No digits: "J0hn" is a typo or a test.
pub fn person_name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("a name is required".into());
    }
    let chars = name.chars().count();
    if !(NAME_CHARS_MIN..=NAME_CHARS_MAX).contains(&chars) {
        return Some(format!(
            "must have {NAME_CHARS_MIN} to {NAME_CHARS_MAX} characters, this one has {}",
            chars as u64
        ));
    }
    let allowed = |c: char| {
        c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '-' | '\'' | '’' | '.')
    };
    if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
        let shown = if bad.is_control() {
            format!("U+{:04X}", bad as u32)
        } else {
            excerpt(&bad.to_string())
        };
        return Some(format!(
            "may contain only letters, spaces, hyphens, apostrophes and dots, not {shown}"
        ));
    }
    if name.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Some("must contain at least two letters".into());
    }
    None
}

fn contact_problem(contact: &str) -> Option<String> {
    if contact.trim().is_empty() {
        return Some("an e-mail address is required".into());
    }
    if let Some(problem) = plain_text_problem(contact, STRING_CHARS_MAX) {
        return Some(problem);
    }
    email_problem(contact).map(|why| format!("{why} (got {})", excerpt(contact)))
}

/// Every problem of the address, by field. The country comes first because the state and zip
/// rules depend on it.
pub fn address_problems(a: &BillingAddress) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let country = if a.country.trim().is_empty() {
        out.push((
            "billingAddress.country",
            "a country is required".to_string(),
        ));
        None
    } else if let Some(problem) = plain_text_problem(&a.country, ADDRESS_PART_CHARS_MAX) {
        out.push(("billingAddress.country", problem));
        None
    } else {
        let found = find_country(&a.country);
        if found.is_none() {
            out.push((
                "billingAddress.country",
                format!(
                    "{} is not a known country; use its name or ISO code (e.g. EE, USA)",
                    excerpt(&a.country)
                ),
            ));
        }
        found
    };
    let alpha2 = country.map(|c| c.alpha2);
    if let Some(p) = required_text_problem(&a.street, "a street address is required", |c| {
        c.is_alphanumeric()
    }) {
        out.push(("billingAddress.street", p));
    }
    if let Some(p) = required_text_problem(&a.city, "a city is required", |c| c.is_alphabetic()) {
        out.push(("billingAddress.city", p));
    }
    if let Some(p) = state_problem(&a.state, alpha2) {
        out.push(("billingAddress.state", p));
    }
    if a.zip.trim().is_empty() {
        if alpha2.is_none_or(postal_code_required) {
            out.push((
                "billingAddress.zip",
                "a postal code is required".to_string(),
            ));
        }
    } else if let Some(p) = postal_code_problem(alpha2, &a.zip) {
        out.push(("billingAddress.zip", p));
    }
    out
}

/// Non-empty, plain text, and containing at least one character that `must_have` accepts (a
/// street of "---" is not an address).
fn required_text_problem(
    text: &str,
    when_empty: &str,
    must_have: fn(char) -> bool,
) -> Option<String> {
    if text.trim().is_empty() {
        return Some(when_empty.to_string());
    }
    if let Some(problem) = plain_text_problem(text, ADDRESS_PART_CHARS_MAX) {
        return Some(problem);
    }
    (!text.chars().any(must_have))
        .then(|| format!("{} does not look like an address part", excerpt(text)))
}

/// Required and checked against the USPS list for the United States; optional elsewhere.
fn state_problem(state: &str, alpha2: Option<&str>) -> Option<String> {
    if state.trim().is_empty() {
        return (alpha2 == Some("US")).then(|| "a state is required for a US address".to_string());
    }
    if let Some(problem) = plain_text_problem(state, ADDRESS_PART_CHARS_MAX) {
        return Some(problem);
    }
    (alpha2 == Some("US") && !is_us_state(state)).then(|| {
        format!(
            "{} is not a US state; use its two-letter code (e.g. CA, NY)",
            excerpt(state)
        )
    })
}

//! Postal-code formats for a few countries, and a loose shape check for the rest.
//!
//! A format is a list of patterns: `9` a digit, `A` a letter, anything else itself (letters
//! compared case-insensitively). Only formats that are simple and certain are listed; any
//! other country gets the generic check, so an unusual real code is never refused.

use super::text_rules::plain_text_problem;

const FORMATS: &[(&str, &[&str])] = &[
    ("US", &["99999", "99999-9999"]),
    ("CA", &["A9A 9A9", "A9A9A9"]),
    (
        "GB",
        &[
            "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA", "A99AA", "A999AA",
            "AA99AA", "AA999AA", "A9A9AA", "AA9A9AA",
        ],
    ),
    ("DE", &["99999"]),
    ("FR", &["99999"]),
    ("IT", &["99999"]),
    ("ES", &["99999"]),
    ("FI", &["99999"]),
    ("EE", &["99999"]),
    ("UA", &["99999"]),
    ("NL", &["9999 AA", "9999AA"]),
    ("SE", &["999 99", "99999"]),
    ("PL", &["99-999"]),
    ("PT", &["9999-999"]),
    ("BR", &["99999-999", "99999999"]),
    ("JP", &["999-9999", "9999999"]),
    ("IN", &["999999"]),
    ("CN", &["999999"]),
    ("RU", &["999999"]),
    ("AU", &["9999"]),
    ("AT", &["9999"]),
    ("BE", &["9999"]),
    ("CH", &["9999"]),
    ("DK", &["9999"]),
    ("NO", &["9999"]),
    ("HU", &["9999"]),
    ("NZ", &["9999"]),
    ("ZA", &["9999"]),
    ("LV", &["LV-9999", "9999"]),
    ("LT", &["LT-99999", "99999"]),
];

/// Countries and territories that have no postal codes: there a zip is optional.
const NO_POSTAL_CODES: &[&str] = &["AE", "HK", "MO", "QA"];

pub fn postal_code_required(alpha2: &str) -> bool {
    !NO_POSTAL_CODES.contains(&alpha2)
}

fn matches_pattern(code: &str, pattern: &str) -> bool {
    code.chars().count() == pattern.chars().count()
        && code.chars().zip(pattern.chars()).all(|(c, p)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_alphabetic(),
            _ => c.eq_ignore_ascii_case(&p),
        })
}

/// Why `zip` is not a postal code of the country with this alpha-2 code (`None` when it is, or
/// when the country is unknown and the code has a plausible shape). `zip` must be non-empty.
pub fn postal_code_problem(alpha2: Option<&str>, zip: &str) -> Option<String> {
    if let Some(problem) = plain_text_problem(zip, 12) {
        return Some(problem);
    }
    if let Some((_, patterns)) = FORMATS.iter().find(|(c, _)| Some(*c) == alpha2) {
        if patterns.iter().any(|p| matches_pattern(zip, p)) {
            return None;
        }
        let examples = patterns
            .iter()
            .take(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" or ");
        return Some(format!("does not look like a postal code of {} (expected {examples}, where 9 is a digit and A a letter)", alpha2.unwrap_or("")));
    }
    let shape_ok = zip.chars().count() >= 2
        && zip
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        && zip.chars().any(|c| c.is_ascii_alphanumeric());
    (!shape_ok)
        .then(|| "expected a postal code of 2 to 12 letters, digits, spaces or dashes".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_accept_real_codes() {
        for (country, zip) in [
            ("US", "12345"),
            ("US", "12345-6789"),
            ("CA", "K1A 0B1"),
            ("CA", "k1a0b1"),
            ("GB", "SW1A 1AA"),
            ("GB", "M1 1AE"),
            ("GB", "EC1A1BB"),
            ("EE", "51003"),
            ("NL", "1012 AB"),
            ("JP", "100-0001"),
            ("PL", "00-950"),
            ("LV", "LV-1050"),
        ] {
            assert_eq!(
                postal_code_problem(Some(country), zip),
                None,
                "{country} {zip}"
            );
        }
    }

    #[test]
    fn known_formats_refuse_wrong_shapes_with_an_example() {
        let problem = postal_code_problem(Some("US"), "1234").expect("too short");
        assert!(
            problem.contains("expected 99999 or 99999-9999"),
            "{problem}"
        );
        assert!(postal_code_problem(Some("CA"), "12345").is_some());
        assert!(postal_code_problem(Some("GB"), "12345").is_some());
        assert!(postal_code_problem(Some("EE"), "5100").is_some());
    }

    #[test]
    fn other_countries_get_the_generic_shape_check() {
        assert_eq!(postal_code_problem(Some("KE"), "00100"), None);
        assert_eq!(postal_code_problem(None, "AB-12"), None);
        assert!(postal_code_problem(Some("KE"), "1").is_some());
        assert!(postal_code_problem(Some("KE"), "12_45").is_some());
        assert!(postal_code_problem(Some("KE"), "---").is_some());
    }

    #[test]
    fn hostile_zips_are_refused_not_matched() {
        assert!(postal_code_problem(Some("US"), "1234\u{0}").is_some());
        assert!(postal_code_problem(Some("US"), &"9".repeat(5000)).is_some());
        assert!(
            postal_code_problem(Some("US"), "１２３４５").is_some(),
            "full-width digits are not ASCII digits"
        );
    }

    #[test]
    fn a_few_places_need_no_postal_code() {
        assert!(!postal_code_required("HK"));
        assert!(postal_code_required("US"));
    }
}

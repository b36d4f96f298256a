//! United States state codes (USPS), for "state is required and must be real for the US".
//! Includes DC, the inhabited territories and the military "states" (AA, AE, AP), all of
//! which appear in real US billing addresses.

#[rustfmt::skip]
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("FL", "Florida"), ("GA", "Georgia"),
    ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
    ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
    ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
    ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
    ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("DC", "District of Columbia"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
    ("AA", "Armed Forces Americas"), ("AE", "Armed Forces Europe"), ("AP", "Armed Forces Pacific"),
];

/// Case-insensitive code ("ca") or name ("California").
pub fn is_us_state(text: &str) -> bool {
    let t = text.trim();
    US_STATES
        .iter()
        .any(|(code, name)| code.eq_ignore_ascii_case(t) || name.eq_ignore_ascii_case(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_match_by_code_or_name() {
        assert!(
            is_us_state("CA")
                && is_us_state("ny")
                && is_us_state("New Hampshire")
                && is_us_state("PR")
        );
        assert!(!is_us_state("XX") && !is_us_state("Kalifornia") && !is_us_state(""));
    }

    #[test]
    fn the_table_has_fifty_states_dc_five_territories_and_three_military_codes() {
        assert_eq!(US_STATES.len(), 50 + 1 + 5 + 3);
        let mut codes: Vec<&str> = US_STATES.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), US_STATES.len());
    }
}

//! Country lookup by ISO 3166-1 code or English name (the table is `countries_table.rs`).

use super::countries_table::COUNTRIES;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub name: &'static str,
    pub other_names: &'static [&'static str],
}

impl Country {
    fn is_called(&self, wanted: &str) -> bool {
        let same = |candidate: &str| candidate.to_lowercase() == wanted;
        same(self.alpha2)
            || same(self.alpha3)
            || same(self.name)
            || self.other_names.iter().any(|n| same(n))
    }
}

/// Case-insensitive: "EE", "est", "Estonia", "United States of America", "UK" all resolve.
/// A linear scan of 249 entries: cheap next to a network hop, and no map to iterate.
pub fn find_country(text: &str) -> Option<&'static Country> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() || wanted.chars().count() > 80 {
        return None;
    }
    COUNTRIES.iter().find(|c| c.is_called(&wanted))
}

/// Every entry, in alpha-2 order (for a country picker).
pub fn all_countries() -> &'static [Country] {
    COUNTRIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_resolve_by_code_or_name_in_any_case() {
        for (text, code) in [
            ("USA", "US"),
            ("us", "US"),
            ("United States of America", "US"),
            ("Estonia", "EE"),
            ("EST", "EE"),
            ("uk", "GB"),
            ("South Korea", "KR"),
            ("Türkiye", "TR"),
            ("Turkey", "TR"),
            ("  Germany ", "DE"),
            ("Côte d'Ivoire", "CI"),
        ] {
            assert_eq!(find_country(text).map(|c| c.alpha2), Some(code), "{text}");
        }
    }

    #[test]
    fn unknown_or_empty_countries_do_not_resolve() {
        for text in ["", "Atlantis", "XX", "U", "<b>US</b>", "US\u{0}"] {
            assert_eq!(find_country(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_table_has_every_iso_country_once() {
        assert_eq!(COUNTRIES.len(), 249);
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|c| c.alpha2).collect();
        codes.dedup();
        assert_eq!(codes.len(), 249, "alpha-2 codes are sorted and unique");
        assert!(COUNTRIES
            .iter()
            .all(|c| c.alpha2.len() == 2 && c.alpha3.len() == 3));
    }

    #[test]
    fn no_name_or_code_names_two_countries() {
        let mut all: Vec<String> = Vec::new();
        for c in COUNTRIES {
            let mut own: Vec<String> = [c.alpha2, c.alpha3, c.name]
                .iter()
                .chain(c.other_names)
                .map(|n| n.to_lowercase())
                .collect();
            own.sort();
            own.dedup();
            all.extend(own);
        }
        let total = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), total, "some name is shared by two countries");
    }
}

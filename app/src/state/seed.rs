//! The run's root seed as the user types it: parsing, the editable field, and fresh seeds.

/// The seed a fresh page starts with, so that two fresh pages show the same run.
pub const DEFAULT_SEED: u64 = 1;

/// Seeds drawn by "New seed" stay below this: nine digits are easy to read aloud and type,
/// and a billion distinct runs are plenty. Typed seeds may use the whole u64 range.
const FRESH_SEED_BOUND: u64 = 1_000_000_000;

/// Parses a typed seed: a whole number from 0 to u64::MAX, surrounding spaces ignored.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let digits = text.trim();
    if digits.is_empty() {
        return Err("Enter a seed: a whole number such as 42.".to_string());
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("A seed contains digits only (0–9).".to_string());
    }
    digits
        .parse::<u64>()
        .map_err(|_| format!("A seed is at most {} (it is a 64-bit number).", u64::MAX))
}

/// A fresh seed from the browser's (or OS's) random source. Only the UI calls this; the
/// engine derives everything from the seed it is given.
pub fn fresh_seed() -> Result<u64, String> {
    getrandom::u64()
        .map(|random| random % FRESH_SEED_BOUND)
        .map_err(|error| format!("no random source available for a new seed: {error}"))
}

/// The seed input's text while the user edits it, and the error of the last commit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedField {
    pub text: String,
    pub error: Option<String>,
}

impl SeedField {
    /// The field showing a committed seed, with no error.
    pub fn showing(seed: u64) -> Self {
        SeedField {
            text: seed.to_string(),
            error: None,
        }
    }

    /// Typing clears a stale error message: it referred to text that is gone.
    pub fn edit(&mut self, text: String) {
        self.text = text;
        self.error = None;
    }

    /// Parses the text; on success the field shows the normalised seed, on failure it keeps
    /// the text so the user can fix it and remembers why it was refused.
    pub fn commit(&mut self) -> Option<u64> {
        match parse_seed(&self.text) {
            Ok(seed) => {
                *self = SeedField::showing(seed);
                Some(seed)
            }
            Err(message) => {
                self.error = Some(message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_number_with_spaces_around_it_is_a_seed() {
        assert_eq!(parse_seed(" 42 "), Ok(42));
        assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn signs_letters_and_empty_text_are_refused_with_a_reason() {
        assert!(parse_seed("").unwrap_err().contains("Enter a seed"));
        assert!(parse_seed("-1").unwrap_err().contains("digits only"));
        assert!(parse_seed("4e2").unwrap_err().contains("digits only"));
        assert!(parse_seed("18446744073709551616")
            .unwrap_err()
            .contains("at most"));
    }

    #[test]
    fn committing_valid_text_normalises_it() {
        let mut field = SeedField::showing(1);
        field.edit("007".to_string());
        assert_eq!(field.commit(), Some(7));
        assert_eq!(field, SeedField::showing(7));
    }

    #[test]
    fn committing_invalid_text_keeps_it_and_explains_until_the_next_edit() {
        let mut field = SeedField::showing(1);
        field.edit("abc".to_string());
        assert_eq!(field.commit(), None);
        assert_eq!(field.text, "abc");
        assert!(field.error.is_some());
        field.edit("ab".to_string());
        assert_eq!(field.error, None);
    }

    #[test]
    fn fresh_seeds_are_short_enough_to_read_aloud() {
        for _ in 0..32 {
            let seed = fresh_seed().expect("the test machine has a random source");
            assert!(seed < FRESH_SEED_BOUND);
        }
    }
}

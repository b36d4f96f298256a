//! The one error shape of checkout: a JSON path and a sentence.
//!
//! Parse errors and verification errors share it on purpose: the orchestrator aggregates both
//! into the response's `errors[]`, and the page highlights the form field named by `field`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Never show more than this many characters of what the user typed: a message must stay
/// readable (and cheap to log) whatever was sent.
pub const EXCERPT_CHARS_MAX: usize = 40;

/// Beyond this many errors the rest are summarised in one line: a hostile body with a hundred
/// bad lines must not produce a response bigger than the request.
pub const REPORTED_ERRORS_MAX: usize = 25;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path of the offending value, e.g. `items[2].quantity`, `creditCard.number`, or
    /// `body` for the request as a whole.
    pub field: String,
    pub message: String,
}

/// A failed check of the transaction-verification service. Same shape as a parse error so
/// both land in one `errors[]` list.
pub type VerificationError = FieldError;

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// User text made safe to quote: wrapped in quotes, control characters escaped (so a NUL or
/// an ANSI escape cannot reach a log or terminal raw), cut to `EXCERPT_CHARS_MAX` characters
/// of output, with `…` when something was left off.
pub fn excerpt(text: &str) -> String {
    let mut out = String::from("\"");
    let mut shown = 0;
    for ch in text.chars() {
        let piece: String = if ch.is_control() || ch == '"' || ch == '\\' {
            ch.escape_default().collect()
        } else {
            ch.to_string()
        };
        let width = piece.chars().count();
        if shown + width > EXCERPT_CHARS_MAX {
            out.push_str("\"…");
            return out;
        }
        shown += width;
        out.push_str(&piece);
    }
    out.push('"');
    out
}

/// Keeps the first `REPORTED_ERRORS_MAX` errors and replaces the rest with one summary line.
pub fn cap_errors(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    if errors.len() > REPORTED_ERRORS_MAX {
        let hidden = (errors.len() - REPORTED_ERRORS_MAX) as u64;
        errors.truncate(REPORTED_ERRORS_MAX);
        errors.push(FieldError::new(
            "body",
            format!("… and {hidden} more errors not shown"),
        ));
    }
    errors
}

/// `Ok(())` when nothing was found, else the (capped) list.
pub fn into_result(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(cap_errors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_of_short_text_is_the_text_in_quotes() {
        assert_eq!(excerpt("abc"), "\"abc\"");
    }

    #[test]
    fn an_excerpt_escapes_control_characters_and_quotes() {
        assert_eq!(excerpt("a\u{0}b\"c\n"), "\"a\\u{0}b\\\"c\\n\"");
    }

    #[test]
    fn an_excerpt_of_long_text_is_cut_to_forty_characters() {
        let long = "x".repeat(5000);
        let e = excerpt(&long);
        assert_eq!(e, format!("\"{}\"…", "x".repeat(EXCERPT_CHARS_MAX)));
        let nuls = "\u{0}".repeat(5000);
        assert!(excerpt(&nuls).chars().count() <= EXCERPT_CHARS_MAX + 3);
    }

    #[test]
    fn an_excerpt_counts_characters_not_bytes() {
        let wide = "漢".repeat(EXCERPT_CHARS_MAX);
        assert_eq!(excerpt(&wide), format!("\"{wide}\""));
    }

    #[test]
    fn more_than_the_cap_of_errors_is_summarised_in_one_line() {
        let many: Vec<_> = (0..30)
            .map(|i| FieldError::new(format!("f{i}"), "bad"))
            .collect();
        let capped = cap_errors(many);
        assert_eq!(capped.len(), REPORTED_ERRORS_MAX + 1);
        assert_eq!(
            capped.last().map(|e| e.message.as_str()),
            Some("… and 5 more errors not shown")
        );
    }

    #[test]
    fn a_field_error_displays_as_path_colon_message() {
        assert_eq!(
            FieldError::new("items[0].quantity", "too big").to_string(),
            "items[0].quantity: too big"
        );
    }
}

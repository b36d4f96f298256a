//! Typed reads from a `serde_json::Value` that record a path-precise error instead of failing.
//!
//! Why not `#[derive(Deserialize)]` for outside input: serde stops at the first problem and its
//! messages name Rust types ("invalid type: string, expected u32"). A form wants every problem
//! at once, each with the JSON path of the field to highlight.
//!
//! Absent policy ("forgiving in structure"): a missing or `null` string reads as `""` and a
//! missing boolean as `false`, so the verification checks report them as business errors
//! ("a name is required", "the terms must be accepted"). Only values of the wrong type, or too
//! big to carry at all, are parse errors.

use super::field_error::{excerpt, FieldError};
use super::limits::{QUANTITY_PARSE_MAX, STRING_CHARS_MAX};
use serde_json::{Map, Value};

#[derive(Default)]
pub struct JsonReader {
    pub errors: Vec<FieldError>,
}

/// What a value is, for "expected X, got Y" (strings are quoted and cut, never echoed whole).
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => excerpt_unquoted(&n.to_string()),
        Value::String(s) => excerpt(s),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Number text is ASCII digits and signs, so it needs no escaping, only the length cut.
fn excerpt_unquoted(text: &str) -> String {
    let quoted = excerpt(text);
    quoted.replacen('"', "", 2)
}

impl JsonReader {
    pub fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(path, message));
    }

    /// An optional object: absent gives `None` silently (its fields then read as absent).
    pub fn object<'a>(
        &mut self,
        value: Option<&'a Value>,
        path: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Some(Value::Object(map)) => Some(map),
            None | Some(Value::Null) => None,
            Some(other) => {
                self.error(path, format!("expected an object, got {}", describe(other)));
                None
            }
        }
    }

    /// A string field, trimmed of surrounding whitespace (forgiving of copy-paste).
    pub fn string(&mut self, value: Option<&Value>, path: &str) -> String {
        match value {
            Some(Value::String(s)) => {
                let chars = s.chars().count();
                if chars > STRING_CHARS_MAX {
                    self.error(
                        path,
                        format!(
                            "is too long: {chars} characters (the limit is {STRING_CHARS_MAX})"
                        ),
                    );
                    return String::new();
                }
                s.trim().to_string()
            }
            None | Some(Value::Null) => String::new(),
            Some(other) => {
                self.error(path, format!("expected a string, got {}", describe(other)));
                String::new()
            }
        }
    }

    pub fn boolean(&mut self, value: Option<&Value>, path: &str) -> bool {
        match value {
            Some(Value::Bool(b)) => *b,
            None | Some(Value::Null) => false,
            Some(other) => {
                self.error(
                    path,
                    format!("expected true or false, got {}", describe(other)),
                );
                false
            }
        }
    }

    /// A count of copies: a JSON integer literal from 0 to `QUANTITY_PARSE_MAX`. Zero is carried
    /// (verification explains why it is not allowed); a missing quantity is an error here
    /// because a number has no "empty" value to hand on.
    pub fn quantity(&mut self, value: Option<&Value>, path: &str) -> Option<u32> {
        let n = match value {
            Some(Value::Number(n)) => n,
            None | Some(Value::Null) => {
                self.error(path, "is missing: expected a whole number of copies");
                return None;
            }
            Some(other) => {
                self.error(
                    path,
                    format!("expected a whole number, got {}", describe(other)),
                );
                return None;
            }
        };
        let shown = excerpt_unquoted(&n.to_string());
        if let Some(u) = n.as_u64() {
            if u <= QUANTITY_PARSE_MAX {
                // Fits: QUANTITY_PARSE_MAX < u32::MAX.
                return Some(u as u32);
            }
            self.error(
                path,
                format!(
                    "is absurdly large: {shown} (the largest accepted is {QUANTITY_PARSE_MAX})"
                ),
            );
        } else if n.is_i64() {
            self.error(path, format!("must not be negative, got {shown}"));
        } else {
            // A float literal, or an integer beyond 64 bits that serde_json stored as a float.
            // Plain comparisons only: they are exact IEEE operations on every platform.
            let x = n.as_f64().unwrap_or(0.0);
            if x > QUANTITY_PARSE_MAX as f64 {
                self.error(
                    path,
                    format!(
                        "is absurdly large: {shown} (the largest accepted is {QUANTITY_PARSE_MAX})"
                    ),
                );
            } else if x < 0.0 {
                self.error(path, format!("must not be negative, got {shown}"));
            } else {
                self.error(
                    path,
                    format!("expected a whole number (no decimal point or exponent), got {shown}"),
                );
            }
        }
        None
    }
}

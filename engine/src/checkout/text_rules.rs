//! Rules every free-text field shares: bounded length, no control or invisible characters, no
//! markup. Hostile strings get a sentence, never a panic, and are never echoed in full.

/// Characters that render as nothing or reorder text (zero-width spaces, bidi overrides, BOM):
/// a classic way to make "Jоhn" look like "John" in a log. `char::is_control` covers only Cc.
fn is_invisible_format_char(ch: char) -> bool {
    matches!(ch as u32,
        0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF | 0xFFF9..=0xFFFB)
}

pub fn is_control_or_invisible(ch: char) -> bool {
    ch.is_control() || is_invisible_format_char(ch)
}

/// Combining diacritical marks (U+0300..U+036F), so a decomposed "é" (e + U+0301) counts as
/// part of a letter.
pub fn is_combining_mark(ch: char) -> bool {
    matches!(ch as u32, 0x0300..=0x036F)
}

/// Why `text` is not acceptable plain text of at most `chars_max` characters, if it is not.
/// Emptiness is the caller's business (some fields are optional).
pub fn plain_text_problem(text: &str, chars_max: usize) -> Option<String> {
    let chars = text.chars().count();
    if chars > chars_max {
        return Some(format!(
            "is too long: {chars} characters (the limit is {chars_max})"
        ));
    }
    if let Some(ch) = text.chars().find(|c| is_control_or_invisible(*c)) {
        return Some(format!(
            "contains an invisible or control character (U+{:04X})",
            ch as u32
        ));
    }
    if text.contains(['<', '>']) {
        return Some("must not contain < or >".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_in_any_script_is_plain_text() {
        for ok in [
            "123 Main St",
            "Tartu",
            "Straße 5",
            "東京都",
            "São Paulo",
            "Kyiv, Khreshchatyk 1",
        ] {
            assert_eq!(plain_text_problem(ok, 200), None, "{ok}");
        }
    }

    #[test]
    fn nul_and_other_control_characters_are_named_by_code_point() {
        assert_eq!(
            plain_text_problem("a\u{0}b", 200).as_deref(),
            Some("contains an invisible or control character (U+0000)")
        );
        assert!(plain_text_problem("line\nbreak", 200).is_some());
        assert!(plain_text_problem("\u{1b}[31mred", 200).is_some());
    }

    #[test]
    fn zero_width_and_bidi_override_characters_are_refused() {
        assert!(plain_text_problem("Jo\u{200B}hn", 200).is_some());
        assert!(plain_text_problem("abc\u{202E}fed", 200).is_some());
        assert!(plain_text_problem("\u{FEFF}x", 200).is_some());
    }

    #[test]
    fn markup_is_refused() {
        assert_eq!(
            plain_text_problem("<script>alert(1)</script>", 200).as_deref(),
            Some("must not contain < or >")
        );
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert!(plain_text_problem(&"é".repeat(200), 200).is_none());
        assert_eq!(
            plain_text_problem(&"é".repeat(201), 200).as_deref(),
            Some("is too long: 201 characters (the limit is 200)")
        );
    }
}

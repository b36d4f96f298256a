//! String heuristics that turn the checkout's free text (names, contact, address, country)
//! into the counts and flags of [`super::features::FraudFeatures`]. Pure functions; nothing
//! here allocates more than a copy of its input, and nothing echoes hostile text back whole.

use super::features::HolderMatch;

/// Counts over a trimmed user name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameStats {
    pub chars: u32,
    pub letters: u32,
    pub digits: u32,
    /// A Latin vowel, or any non-ASCII letter: we cannot judge vowels in other scripts, and a
    /// name written in one must not look like "no vowels" keyboard mashing.
    pub has_vowel: bool,
    pub words: u32,
    /// Longest run of one repeated non-space character, case-insensitive.
    pub longest_run: u32,
}

impl NameStats {
    pub fn of(name: &str) -> Self {
        let name = name.trim();
        let mut stats = NameStats {
            words: count_u32(name.split_whitespace().count()),
            ..Self::default()
        };
        let mut run: u32 = 0;
        let mut previous: Option<char> = None;
        for c in name.chars() {
            stats.chars = stats.chars.saturating_add(1);
            if c.is_alphabetic() {
                stats.letters = stats.letters.saturating_add(1);
                stats.has_vowel |= !c.is_ascii() || "aeiouyAEIOUY".contains(c);
            } else if c.is_numeric() {
                stats.digits = stats.digits.saturating_add(1);
            }
            let folded = fold_char(c);
            run = if c.is_whitespace() {
                0
            } else if previous == Some(folded) {
                run + 1
            } else {
                1
            };
            previous = Some(folded);
            stats.longest_run = stats.longest_run.max(run);
        }
        stats
    }

    /// Digits per 1000 characters, integer division (the generator computes it the same way).
    pub fn digit_permille(&self) -> u32 {
        if self.chars == 0 {
            return 0;
        }
        (u64::from(self.digits) * 1000 / u64::from(self.chars)) as u32
    }
}

/// Compares the user name with the card holder name, ignoring case, common accents,
/// punctuation and word order, and accepting initials ("J. Smith" for "John Smith").
/// They match when they share a full word and one side's words are all found (or are the
/// initials of words) in the other.
pub fn holder_match(user_name: &str, card_holder: Option<&str>) -> HolderMatch {
    let holder = match card_holder {
        Some(h) if !h.trim().is_empty() => name_words(h),
        _ => return HolderMatch::NotGiven,
    };
    let user = name_words(user_name);
    let shares_full_word = holder
        .iter()
        .any(|w| w.chars().count() >= 2 && user.contains(w));
    if shares_full_word && (covers(&holder, &user) || covers(&user, &holder)) {
        HolderMatch::Matches
    } else {
        HolderMatch::Mismatch
    }
}

/// Every word of `a` is a word of `b`, or a single letter that starts a word of `b`.
fn covers(a: &[String], b: &[String]) -> bool {
    a.iter().all(|w| {
        b.contains(w)
            || (w.chars().count() == 1 && b.iter().any(|full| full.starts_with(w.as_str())))
    })
}

/// Lower-case, accent-folded words; apostrophes join ("O'Brien" = "OBrien"), any other
/// non-letter separates.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphabetic() {
            current.push(fold_char(c));
            if c == 'ß' {
                current.push('s');
            }
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Lower-case and strip the common Latin accents (card embossing drops them).
fn fold_char(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'š' => 's',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'ž' => 'z',
        'ß' => 's',
        other => other,
    }
}

/// Throwaway-mail domains (a short, fixed list: the simulation needs a stable answer, not a feed).
pub const DISPOSABLE_EMAIL_DOMAINS: [&str; 14] = [
    "10minutemail.com",
    "dispostable.com",
    "fakeinbox.com",
    "getnada.com",
    "guerrillamail.com",
    "maildrop.cc",
    "mailinator.com",
    "sharklasers.com",
    "temp-mail.org",
    "tempmail.com",
    "throwawaymail.com",
    "trashmail.com",
    "yopmail.com",
    "mailnesia.com",
];

/// True when the contact is an e-mail address at (a subdomain of) a throwaway-mail domain.
/// A phone number or anything without '@' is not an e-mail and returns false.
pub fn is_disposable_email(contact: &str) -> bool {
    let Some((_, domain)) = contact.trim().rsplit_once('@') else {
        return false;
    };
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    DISPOSABLE_EMAIL_DOMAINS.iter().any(|d| {
        domain == *d
            || domain
                .strip_suffix(d)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// True when a street line is a post-office box ("PO Box 12", "P.O. Box", "POBox",
/// "Post Office Box"), matched on whole words so "Tempo Box Lane" is not one.
pub fn looks_like_po_box(street: &str) -> bool {
    let lower = street.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let patterns: [&[&str]; 4] = [
        &["po", "box"],
        &["p", "o", "box"],
        &["pobox"],
        &["post", "office", "box"],
    ];
    patterns
        .iter()
        .any(|p| words.windows(p.len()).any(|w| w == *p))
}

/// True when both countries are known and differ. Codes and a few common names are unified
/// ("US", "USA", "United States" are one country); unknown spellings compare as written.
pub fn countries_differ(billing_country: &str, usual_country: &str) -> bool {
    let (a, b) = (
        canonical_country(billing_country),
        canonical_country(usual_country),
    );
    !a.is_empty() && !b.is_empty() && a != b
}

fn canonical_country(name: &str) -> String {
    let upper: String = name
        .trim()
        .to_uppercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let alias = match upper.as_str() {
        "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA" => "US",
        "UK" | "UNITED KINGDOM" | "GREAT BRITAIN" | "ENGLAND" => "GB",
        "ESTONIA" | "EESTI" => "EE",
        "GERMANY" | "DEUTSCHLAND" => "DE",
        "FRANCE" => "FR",
        "FINLAND" | "SUOMI" => "FI",
        "LATVIA" => "LV",
        "NETHERLANDS" | "THE NETHERLANDS" | "HOLLAND" => "NL",
        "PORTUGAL" => "PT",
        "SPAIN" | "ESPANA" => "ES",
        _ => return upper,
    };
    alias.to_string()
}

/// At most 24 characters of untrusted text, control characters replaced, for error messages.
pub fn clip_for_message(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(24)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(24).is_some() {
        out.push('…');
    }
    out
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

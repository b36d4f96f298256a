//! Every bound on a checkout request, in one place ("put a limit on everything").
//!
//! Parse limits keep a hostile body cheap to reject; verification limits say what a sane order
//! is. A parse limit is always at least as wide as the matching verification limit, so a
//! request that is merely unusual reaches verification and gets the business message.

/// Largest accepted body. A real order is under 2 KiB; 64 KiB leaves room for 100 long lines.
pub const BODY_BYTES_MAX: usize = 64 * 1024;

/// Longest accepted string anywhere in the known fields, in characters.
pub const STRING_CHARS_MAX: usize = 1000;

/// Most item lines in one order (checked when parsing and again when verifying, because the UI
/// may build a request without parsing JSON).
pub const ITEM_LINES_MAX: usize = 100;

/// Largest quantity the parser will carry at all. Bigger numbers are not a plausible typo of a
/// real order, and keeping them below u32 range means sums never overflow.
pub const QUANTITY_PARSE_MAX: u64 = 1_000_000_000;

/// Copies of one title in one line that verification accepts.
pub const QUANTITY_PER_LINE_MAX: u32 = 100;

/// Copies in the whole order that verification accepts.
pub const TOTAL_QUANTITY_MAX: u64 = 500;

/// A person's name, in characters.
pub const NAME_CHARS_MIN: usize = 2;
pub const NAME_CHARS_MAX: usize = 100;

/// A street line, a city, a state, in characters.
pub const ADDRESS_PART_CHARS_MAX: usize = 200;

/// An e-mail address (RFC 5321: 254 total, 64 local part, 253 domain, 63 per label).
pub const EMAIL_CHARS_MAX: usize = 254;
pub const EMAIL_LOCAL_CHARS_MAX: usize = 64;
pub const EMAIL_DOMAIN_CHARS_MAX: usize = 253;
pub const EMAIL_LABEL_CHARS_MAX: usize = 63;

/// Card number length in digits (ISO/IEC 7812 PANs are 12 to 19 digits).
pub const CARD_DIGITS_MIN: usize = 12;
pub const CARD_DIGITS_MAX: usize = 19;

/// Cards are not issued for longer than this; a later expiry is a typo (e.g. `12/2205`).
pub const CARD_VALIDITY_YEARS_MAX: u16 = 20;

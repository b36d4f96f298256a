//! Card-number arithmetic: normalising, the Luhn checksum, and the brand from the IIN prefix.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CardBrand {
    Visa,
    Mastercard,
    AmericanExpress,
    Discover,
    Jcb,
    DinersClub,
    UnionPay,
    Maestro,
    /// A valid-looking number whose prefix is in none of the ranges above: allowed.
    Unknown,
}

/// One brand's IIN ranges (inclusive, compared on the first `prefix_digits` digits) and the
/// lengths its numbers have. Checked in order, so a narrow range listed before a wide one wins
/// (Discover's 622126–622925 inside UnionPay's 62).
struct BrandRule {
    brand: CardBrand,
    ranges: &'static [(u32, u32)],
    lengths: (usize, usize),
}

#[rustfmt::skip]
const BRAND_RULES: &[BrandRule] = &[
    BrandRule { brand: CardBrand::AmericanExpress, ranges: &[(34, 34), (37, 37)], lengths: (15, 15) },
    BrandRule { brand: CardBrand::Visa, ranges: &[(4, 4)], lengths: (13, 19) },
    BrandRule { brand: CardBrand::Mastercard, ranges: &[(51, 55), (2221, 2720)], lengths: (16, 16) },
    BrandRule { brand: CardBrand::Discover, ranges: &[(6011, 6011), (644, 649), (65, 65), (622_126, 622_925)], lengths: (16, 19) },
    BrandRule { brand: CardBrand::Jcb, ranges: &[(3528, 3589)], lengths: (16, 19) },
    BrandRule { brand: CardBrand::DinersClub, ranges: &[(300, 305), (3095, 3095), (36, 36), (38, 39)], lengths: (14, 19) },
    BrandRule { brand: CardBrand::UnionPay, ranges: &[(62, 62)], lengths: (16, 19) },
    BrandRule { brand: CardBrand::Maestro, ranges: &[(5018, 5018), (5020, 5020), (5038, 5038), (5893, 5893), (6304, 6304), (6759, 6759), (6761, 6763)], lengths: (12, 19) },
];

impl CardBrand {
    pub fn name(self) -> &'static str {
        match self {
            Self::Visa => "Visa",
            Self::Mastercard => "Mastercard",
            Self::AmericanExpress => "American Express",
            Self::Discover => "Discover",
            Self::Jcb => "JCB",
            Self::DinersClub => "Diners Club",
            Self::UnionPay => "UnionPay",
            Self::Maestro => "Maestro",
            Self::Unknown => "unknown brand",
        }
    }

    /// Digits of the card security code: 4 on the front of an Amex, 3 on the back of others.
    pub fn cvv_digits(self) -> usize {
        if self == Self::AmericanExpress {
            4
        } else {
            3
        }
    }

    /// Allowed number lengths (inclusive); `Unknown` allows the whole ISO 7812 range.
    pub fn lengths(self) -> (usize, usize) {
        BRAND_RULES
            .iter()
            .find(|r| r.brand == self)
            .map_or((12, 19), |r| r.lengths)
    }
}

impl fmt::Display for CardBrand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The digits of a typed card number, with spaces and dashes (as printed on cards) removed;
/// `None` if anything else is in it. Never echoes the number.
pub fn card_digits(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(|c| *c != ' ' && *c != '-').collect();
    digits.chars().all(|c| c.is_ascii_digit()).then_some(digits)
}

/// The Luhn (mod 10) checksum over ASCII digits, doubling every second digit from the right.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The brand whose IIN range the leading digits fall in (`Unknown` if none).
pub fn card_brand(digits: &str) -> CardBrand {
    let prefix = |n: usize| -> Option<u32> { digits.get(..n).and_then(|p| p.parse().ok()) };
    BRAND_RULES
        .iter()
        .find(|rule| {
            rule.ranges.iter().any(|(lo, hi)| {
                let width = lo.to_string().len();
                prefix(width).is_some_and(|p| (*lo..=*hi).contains(&p))
            })
        })
        .map_or(CardBrand::Unknown, |rule| rule.brand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_the_well_known_test_numbers() {
        for n in [
            "4111111111111111",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "79927398713",
        ] {
            assert!(luhn_valid(n), "{n}");
        }
    }

    #[test]
    fn luhn_refuses_a_single_changed_digit_and_non_digits() {
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("79927398710"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4111x11111111111"));
    }

    #[test]
    fn brands_follow_their_iin_ranges() {
        for (digits, brand) in [
            ("4111111111111111", CardBrand::Visa),
            ("5555555555554444", CardBrand::Mastercard),
            ("2221000000000009", CardBrand::Mastercard),
            ("378282246310005", CardBrand::AmericanExpress),
            ("6011111111111117", CardBrand::Discover),
            ("6221260000000000", CardBrand::Discover),
            ("6200000000000005", CardBrand::UnionPay),
            ("3530111333300000", CardBrand::Jcb),
            ("30569309025904", CardBrand::DinersClub),
            ("6759649826438453", CardBrand::Maestro),
            ("9999999999999995", CardBrand::Unknown),
            ("2720990000000000", CardBrand::Mastercard),
            ("2721000000000000", CardBrand::Unknown),
        ] {
            assert_eq!(card_brand(digits), brand, "{digits}");
        }
    }

    #[test]
    fn spaces_and_dashes_are_dropped_and_anything_else_refused() {
        assert_eq!(
            card_digits("4111 1111-1111 1111").as_deref(),
            Some("4111111111111111")
        );
        assert_eq!(card_digits("4111.1111"), None);
        assert_eq!(
            card_digits("٤١١١"),
            None,
            "Arabic-Indic digits are not ASCII digits"
        );
    }

    #[test]
    fn amex_has_a_four_digit_cvv_and_the_rest_three() {
        assert_eq!(CardBrand::AmericanExpress.cvv_digits(), 4);
        assert_eq!(CardBrand::Visa.cvv_digits(), 3);
        assert_eq!(CardBrand::Unknown.cvv_digits(), 3);
    }
}

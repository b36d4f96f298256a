//! The checkout request, with the seeds' JSON field names (seed 000, "Example Checkout Request").
//!
//! The derived `Deserialize` is for messages between services, where the value was already
//! checked; JSON from outside goes through `parse_checkout`, which reports every problem with
//! its path instead of stopping at the first.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutRequest {
    pub items: Vec<OrderItem>,
    pub user: User,
    pub credit_card: CreditCard,
    pub billing_address: BillingAddress,
    pub shipping_method: ShippingMethod,
    pub gift_wrapping: bool,
    pub terms_and_conditions_accepted: bool,
}

/// One line of the order: a catalog title and how many copies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderItem {
    pub name: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    /// An e-mail address.
    pub contact: String,
}

/// Exactly what the user typed: the number may contain spaces or dashes, the expiry is
/// `MM/YY` or `MM/YYYY`. Verification normalises; the request never does, so every service
/// sees the same bytes.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditCard {
    pub number: String,
    pub expiration_date: String,
    pub cvv: String,
}

/// Debug never prints the card number or CVV: requests end up in logs and on the page.
impl fmt::Debug for CreditCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreditCard")
            .field("number", &masked_card_number(&self.number))
            .field("expiration_date", &self.expiration_date)
            .field("cvv", &"***")
            .finish()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BillingAddress {
    pub street: String,
    pub city: String,
    /// Required for the United States, optional elsewhere.
    pub state: String,
    pub zip: String,
    /// An ISO 3166-1 code (alpha-2 or alpha-3) or an English country name.
    pub country: String,
}

/// Declared slowest first, so `Ord` is the queue's priority order (express > priority >
/// standard).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ShippingMethod {
    #[default]
    Standard,
    Priority,
    Express,
}

impl ShippingMethod {
    pub const ALL: [ShippingMethod; 3] = [Self::Standard, Self::Priority, Self::Express];

    /// Case-insensitive, surrounding whitespace ignored: "Express", " PRIORITY ".
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(wanted))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Priority => "priority",
            Self::Express => "express",
        }
    }
}

impl fmt::Display for ShippingMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl CheckoutRequest {
    /// The seeds' example request. Two adaptations, both so it passes verification in a
    /// simulation that starts today or later: the expiry is `12/2030` (the seed's `12/2025`
    /// is already past), and the card is the well-known Luhn-valid Visa test number (as in the
    /// seed). The title is the seed's, "Clean Architecture", which the shipped catalog carries.
    pub fn example() -> Self {
        Self {
            items: vec![OrderItem {
                name: "Clean Architecture".into(),
                quantity: 1,
            }],
            user: User {
                name: "John Doe".into(),
                contact: "john@example.com".into(),
            },
            credit_card: CreditCard {
                number: "4111111111111111".into(),
                expiration_date: "12/2030".into(),
                cvv: "123".into(),
            },
            billing_address: BillingAddress {
                street: "123 Main St".into(),
                city: "Anytown".into(),
                state: "CA".into(),
                zip: "12345".into(),
                country: "USA".into(),
            },
            shipping_method: ShippingMethod::Standard,
            gift_wrapping: false,
            terms_and_conditions_accepted: true,
        }
    }

    /// Copies in the whole order; u64 because 100 lines of up to 10^9 copies exceed u32.
    pub fn total_quantity(&self) -> u64 {
        self.items.iter().map(|i| i.quantity as u64).sum()
    }
}

/// `**** 1111` style: only the last four digits, and only when there are enough digits that
/// four of them do not give the number away.
pub fn masked_card_number(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 12 {
        return "****".into();
    }
    let last4: String = digits[digits.len() - 4..].iter().collect();
    format!("**** {last4}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipping_methods_parse_case_insensitively() {
        assert_eq!(
            ShippingMethod::parse("Express"),
            Some(ShippingMethod::Express)
        );
        assert_eq!(
            ShippingMethod::parse(" PRIORITY "),
            Some(ShippingMethod::Priority)
        );
        assert_eq!(
            ShippingMethod::parse("standard"),
            Some(ShippingMethod::Standard)
        );
        assert_eq!(ShippingMethod::parse("teleport"), None);
        assert_eq!(ShippingMethod::parse(""), None);
    }

    #[test]
    fn shipping_methods_order_from_slowest_to_fastest() {
        assert!(ShippingMethod::Express > ShippingMethod::Priority);
        assert!(ShippingMethod::Priority > ShippingMethod::Standard);
    }

    #[test]
    fn the_example_serialises_with_the_seed_field_names() {
        let json = serde_json::to_value(CheckoutRequest::example()).expect("serialisable");
        for key in [
            "items",
            "user",
            "creditCard",
            "billingAddress",
            "shippingMethod",
            "giftWrapping",
            "termsAndConditionsAccepted",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["creditCard"]["expirationDate"], "12/2030");
        assert_eq!(json["shippingMethod"], "standard");
        assert_eq!(json["items"][0]["quantity"], 1);
    }

    #[test]
    fn debug_output_never_shows_the_card_number_or_cvv() {
        let text = format!("{:?}", CheckoutRequest::example());
        assert!(!text.contains("4111111111111111"));
        assert!(!text.contains("\"123\""));
        assert!(text.contains("**** 1111"));
    }

    #[test]
    fn a_short_number_is_masked_entirely() {
        assert_eq!(masked_card_number("1234"), "****");
        assert_eq!(masked_card_number("4111-1111-1111-1111"), "**** 1111");
    }

    #[test]
    fn total_quantity_adds_every_line_without_overflow() {
        let mut r = CheckoutRequest::example();
        r.items = vec![
            OrderItem {
                name: "a".into(),
                quantity: u32::MAX
            };
            3
        ];
        assert_eq!(r.total_quantity(), 3 * u32::MAX as u64);
    }
}

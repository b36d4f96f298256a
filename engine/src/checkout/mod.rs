//! The checkout request and the transaction-verification checks, as plain types and pure
//! functions (no I/O, no clock, no randomness): the orchestrator parses with
//! `parse_checkout`, the transaction-verification service runs events a, b and c of the
//! validation DAG with `verify_items`, `verify_user_data` and `verify_card_format`.
//!
//! "Today" for card expiry comes from `CalendarDate::add_micros(start_date, virtual_now)`.

pub mod calendar;
pub mod card;
pub mod countries;
mod countries_table;
pub mod email;
pub mod field_error;
mod json_reader;
pub mod limits;
pub mod parse;
pub mod postal_codes;
pub mod request;
pub mod response;
pub mod text_rules;
pub mod us_states;
pub mod verify_card;
pub mod verify_items;
pub mod verify_user;

pub use calendar::CalendarDate;
pub use card::CardBrand;
pub use field_error::{FieldError, VerificationError};
pub use parse::parse_checkout;
pub use request::{BillingAddress, CheckoutRequest, CreditCard, OrderItem, ShippingMethod, User};
pub use response::{CheckoutResponse, CheckoutStatus, SuggestedBook};
pub use verify_card::{detect_card_brand, verify_card_format};
pub use verify_items::verify_items;
pub use verify_user::verify_user_data;

#[cfg(test)]
mod example_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod verify_card_tests;
#[cfg(test)]
mod verify_user_tests;

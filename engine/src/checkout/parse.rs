//! `parse_checkout`: outside JSON to a `CheckoutRequest`, or every problem with its JSON path.
//!
//! Order of defences: the byte limit first (before any allocation that scales with the body),
//! then serde_json into a `Value` (its recursion limit of 128 stops deep nesting), then the
//! typed walk in `JsonReader`. Unknown fields are ignored and never stored or echoed, so only
//! the body limit bounds them.

use super::field_error::{cap_errors, FieldError};
use super::json_reader::{describe, JsonReader};
use super::limits::{BODY_BYTES_MAX, ITEM_LINES_MAX};
use super::request::{
    BillingAddress, CheckoutRequest, CreditCard, OrderItem, ShippingMethod, User,
};
use serde_json::{Map, Value};

/// The path used for problems with the request as a whole.
pub const BODY_FIELD: &str = "body";

pub fn parse_checkout(json: &str) -> Result<CheckoutRequest, Vec<FieldError>> {
    let bytes = json.len() as u64;
    if bytes > BODY_BYTES_MAX as u64 {
        let message = format!(
            "the request body is {bytes} bytes; the limit is {BODY_BYTES_MAX} bytes (64 KiB)"
        );
        return Err(vec![FieldError::new(BODY_FIELD, message)]);
    }
    if json.trim().is_empty() {
        return Err(vec![FieldError::new(
            BODY_FIELD,
            "the request body is empty; expected a JSON object",
        )]);
    }
    let value: Value = serde_json::from_str(json).map_err(|e| vec![malformed_json(&e)])?;
    let Value::Object(root) = &value else {
        let message = format!(
            "expected a JSON object with the checkout fields, got {}",
            describe(&value)
        );
        return Err(vec![FieldError::new(BODY_FIELD, message)]);
    };
    let mut r = JsonReader::default();
    let request = CheckoutRequest {
        items: read_items(&mut r, root.get("items")),
        user: read_user(&mut r, root.get("user")),
        credit_card: read_card(&mut r, root.get("creditCard")),
        billing_address: read_address(&mut r, root.get("billingAddress")),
        shipping_method: read_shipping_method(&mut r, root.get("shippingMethod")),
        gift_wrapping: r.boolean(root.get("giftWrapping"), "giftWrapping"),
        terms_and_conditions_accepted: r.boolean(
            root.get("termsAndConditionsAccepted"),
            "termsAndConditionsAccepted",
        ),
    };
    if r.errors.is_empty() {
        Ok(request)
    } else {
        Err(cap_errors(r.errors))
    }
}

/// serde_json's own sentence, re-worded so the position comes first ("line 3, column 7").
fn malformed_json(e: &serde_json::Error) -> FieldError {
    let full = e.to_string();
    let what = full
        .rfind(" at line ")
        .map_or(full.as_str(), |at| &full[..at]);
    let message = format!(
        "malformed JSON at line {}, column {}: {what}",
        e.line() as u64,
        e.column() as u64
    );
    FieldError::new(BODY_FIELD, message)
}

fn read_items(r: &mut JsonReader, value: Option<&Value>) -> Vec<OrderItem> {
    let lines = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(lines)) => lines,
        Some(other) => {
            r.error(
                "items",
                format!(
                    "expected a list of {{\"name\", \"quantity\"}} objects, got {}",
                    describe(other)
                ),
            );
            return Vec::new();
        }
    };
    if lines.len() > ITEM_LINES_MAX {
        // One error, not one per line: the caller must shorten the list first anyway.
        let count = lines.len() as u64;
        r.error(
            "items",
            format!("has {count} lines; the limit is {ITEM_LINES_MAX}"),
        );
        return Vec::new();
    }
    let mut items = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let path = format!("items[{}]", index as u32);
        let Value::Object(fields) = line else {
            r.error(
                &path,
                format!(
                    "expected an object like {{\"name\": ..., \"quantity\": ...}}, got {}",
                    describe(line)
                ),
            );
            continue;
        };
        let name = r.string(fields.get("name"), &format!("{path}.name"));
        if let Some(quantity) = r.quantity(fields.get("quantity"), &format!("{path}.quantity")) {
            items.push(OrderItem { name, quantity });
        }
    }
    items
}

fn field<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a Value> {
    map.and_then(|m| m.get(key))
}

fn read_user(r: &mut JsonReader, value: Option<&Value>) -> User {
    let m = r.object(value, "user");
    User {
        name: r.string(field(m, "name"), "user.name"),
        contact: r.string(field(m, "contact"), "user.contact"),
    }
}

fn read_card(r: &mut JsonReader, value: Option<&Value>) -> CreditCard {
    let m = r.object(value, "creditCard");
    CreditCard {
        number: r.string(field(m, "number"), "creditCard.number"),
        expiration_date: r.string(field(m, "expirationDate"), "creditCard.expirationDate"),
        cvv: r.string(field(m, "cvv"), "creditCard.cvv"),
    }
}

fn read_address(r: &mut JsonReader, value: Option<&Value>) -> BillingAddress {
    let m = r.object(value, "billingAddress");
    BillingAddress {
        street: r.string(field(m, "street"), "billingAddress.street"),
        city: r.string(field(m, "city"), "billingAddress.city"),
        state: r.string(field(m, "state"), "billingAddress.state"),
        zip: r.string(field(m, "zip"), "billingAddress.zip"),
        country: r.string(field(m, "country"), "billingAddress.country"),
    }
}

/// Absent means standard: the cheapest and lowest-priority choice is the only safe default.
fn read_shipping_method(r: &mut JsonReader, value: Option<&Value>) -> ShippingMethod {
    let parsed = match value {
        None | Some(Value::Null) => return ShippingMethod::Standard,
        Some(Value::String(s)) => ShippingMethod::parse(s),
        Some(_) => None,
    };
    parsed.unwrap_or_else(|| {
        let got = value.map_or_else(|| "nothing".to_string(), describe);
        r.error(
            "shippingMethod",
            format!("expected one of standard, priority, express, got {got}"),
        );
        ShippingMethod::Standard
    })
}

//! `parse_checkout` against well-formed, malformed and hostile bodies.

use super::field_error::REPORTED_ERRORS_MAX;
use super::*;
use serde_json::{json, Value};

/// The request exactly as printed in seed 000 ("Example Checkout Request").
pub const SEED_EXAMPLE_JSON: &str = r#"{
  "items": [
    {
      "name": "Clean Architecture",
      "quantity": 1
    }
  ],
  "user": {
    "name": "John Doe",
    "contact": "john@example.com"
  },
  "creditCard": {
    "number": "4111111111111111",
    "expirationDate": "12/2025",
    "cvv": "123"
  },
  "billingAddress": {
    "street": "123 Main St",
    "city": "Anytown",
    "state": "CA",
    "zip": "12345",
    "country": "USA"
  },
  "shippingMethod": "standard",
  "giftWrapping": false,
  "termsAndConditionsAccepted": true
}"#;

fn example_with(path: &[&str], value: Value) -> String {
    let mut v = serde_json::to_value(CheckoutRequest::example()).expect("serialisable");
    let mut slot = &mut v;
    for key in path {
        slot = match key.parse::<usize>() {
            Ok(i) => &mut slot[i],
            Err(_) => &mut slot[*key],
        };
    }
    *slot = value;
    v.to_string()
}

fn error_lines(json: &str) -> Vec<String> {
    match parse_checkout(json) {
        Ok(_) => Vec::new(),
        Err(es) => es.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn the_seed_example_parses_with_every_field_in_place() {
    let parsed = parse_checkout(SEED_EXAMPLE_JSON).expect("the seed's own example parses");
    let mut expected = CheckoutRequest::example();
    expected.credit_card.expiration_date = "12/2025".into();
    assert_eq!(parsed, expected);
}

#[test]
fn a_serialised_request_parses_back_to_itself() {
    let r = CheckoutRequest::example();
    let text = serde_json::to_string(&r).expect("serialisable");
    assert_eq!(parse_checkout(&text), Ok(r));
}

#[test]
fn malformed_json_reports_line_and_column() {
    let lines = error_lines("{\n  \"items\": [\n    {\"name\": \"x\",, }\n  ]\n}");
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("body: malformed JSON at line 3, column 18: key must be a string"),
        "{}",
        lines[0]
    );
    let truncated = &SEED_EXAMPLE_JSON[..100];
    assert!(
        error_lines(truncated)[0].contains("EOF while parsing"),
        "{:?}",
        error_lines(truncated)
    );
}

#[test]
fn a_string_quantity_names_its_path_and_shows_the_value() {
    assert_eq!(
        error_lines(&example_with(&["items", "0", "quantity"], json!("abc"))),
        ["items[0].quantity: expected a whole number, got \"abc\""]
    );
}

#[test]
fn absurd_quantities_get_clear_errors() {
    let cases: [(&str, &str); 7] = [
        ("-5", "must not be negative, got -5"),
        (
            "2.5",
            "expected a whole number (no decimal point or exponent), got 2.5",
        ),
        (
            "1.0",
            "expected a whole number (no decimal point or exponent), got 1.0",
        ),
        (
            "1000000001",
            "is absurdly large: 1000000001 (the largest accepted is 1000000000)",
        ),
        (
            "18446744073709551616",
            "is absurdly large: 1.8446744073709552e+19 (the largest accepted is 1000000000)",
        ),
        (
            "-99999999999999999999999",
            "must not be negative, got -1e+23",
        ),
        (
            "1e300",
            "is absurdly large: 1e+300 (the largest accepted is 1000000000)",
        ),
    ];
    for (literal, message) in cases {
        let body =
            SEED_EXAMPLE_JSON.replacen("\"quantity\": 1", &format!("\"quantity\": {literal}"), 1);
        assert_eq!(
            error_lines(&body),
            [format!("items[0].quantity: {message}")],
            "{literal}"
        );
    }
}

#[test]
fn the_largest_accepted_quantity_and_zero_reach_verification() {
    let body = example_with(&["items", "0", "quantity"], json!(1_000_000_000u64));
    assert_eq!(
        parse_checkout(&body).map(|r| r.items[0].quantity),
        Ok(1_000_000_000)
    );
    let body = example_with(&["items", "0", "quantity"], json!(0));
    assert_eq!(parse_checkout(&body).map(|r| r.items[0].quantity), Ok(0));
}

#[test]
fn a_missing_quantity_is_a_parse_error() {
    assert_eq!(
        error_lines(&example_with(
            &["items", "0"],
            json!({"name": "Clean Code"})
        )),
        ["items[0].quantity: is missing: expected a whole number of copies"]
    );
}

#[test]
fn wrong_shapes_name_the_path_and_what_was_found() {
    assert_eq!(
        error_lines(&example_with(&["items"], json!("Clean Code"))),
        ["items: expected a list of {\"name\", \"quantity\"} objects, got \"Clean Code\""]
    );
    assert_eq!(
        error_lines(&example_with(&["items", "0"], json!(7))),
        ["items[0]: expected an object like {\"name\": ..., \"quantity\": ...}, got 7"]
    );
    assert_eq!(
        error_lines(&example_with(&["user"], json!([1, 2]))),
        ["user: expected an object, got an array"]
    );
    assert_eq!(
        error_lines(&example_with(
            &["creditCard", "number"],
            json!(4111111111111111u64)
        )),
        ["creditCard.number: expected a string, got 4111111111111111"]
    );
    assert_eq!(
        error_lines(&example_with(&["giftWrapping"], json!("yes"))),
        ["giftWrapping: expected true or false, got \"yes\""]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_document_order() {
    let body = json!({"items": [{"name": 1, "quantity": "x"}], "user": {"contact": false}, "shippingMethod": "teleport"});
    assert_eq!(
        error_lines(&body.to_string()),
        [
            "items[0].name: expected a string, got 1",
            "items[0].quantity: expected a whole number, got \"x\"",
            "user.contact: expected a string, got false",
            "shippingMethod: expected one of standard, priority, express, got \"teleport\"",
        ]
    );
}

#[test]
fn a_body_that_is_not_an_object_is_refused_as_a_whole() {
    for (body, got) in [
        ("[]", "an array"),
        ("42", "42"),
        ("\"hi\"", "\"hi\""),
        ("null", "null"),
    ] {
        assert_eq!(
            error_lines(body),
            [format!(
                "body: expected a JSON object with the checkout fields, got {got}"
            )]
        );
    }
    assert_eq!(
        error_lines("  \n"),
        ["body: the request body is empty; expected a JSON object"]
    );
}

#[test]
fn missing_and_null_fields_become_empty_values_for_verification() {
    let r = parse_checkout(r#"{"user": null, "items": null}"#).expect("structure is forgiving");
    assert!(r.items.is_empty() && r.user.name.is_empty() && r.credit_card.number.is_empty());
    assert_eq!(r.shipping_method, ShippingMethod::Standard);
    assert!(!r.terms_and_conditions_accepted && !r.gift_wrapping);
    assert!(verify_items(&r, &|_| true).is_err());
    assert!(verify_user_data(&r).is_err());
}

#[test]
fn unknown_fields_are_ignored_and_strings_trimmed() {
    let body = SEED_EXAMPLE_JSON
        .replacen("\"John Doe\"", "\"  John Doe \\n\"", 1)
        .replacen('{', "{\"coupon\": [1, {\"x\": null}],", 1);
    assert_eq!(
        parse_checkout(&body).map(|r| r.user.name),
        Ok("John Doe".to_string())
    );
}

#[test]
fn shipping_methods_parse_case_insensitively_and_default_to_standard() {
    let express = example_with(&["shippingMethod"], json!("EXPRESS"));
    assert_eq!(
        parse_checkout(&express).map(|r| r.shipping_method),
        Ok(ShippingMethod::Express)
    );
    assert_eq!(
        error_lines(&example_with(&["shippingMethod"], json!(2))),
        ["shippingMethod: expected one of standard, priority, express, got 2"]
    );
}

#[test]
fn a_body_over_64_kib_is_refused_before_parsing_and_one_at_the_limit_is_not() {
    let padded = format!(
        "{SEED_EXAMPLE_JSON}{}",
        " ".repeat(limits::BODY_BYTES_MAX - SEED_EXAMPLE_JSON.len())
    );
    assert!(parse_checkout(&padded).is_ok());
    let over = format!("{padded} ");
    assert_eq!(
        error_lines(&over),
        ["body: the request body is 65537 bytes; the limit is 65536 bytes (64 KiB)"]
    );
}

#[test]
fn a_string_over_1000_characters_is_refused_with_its_length() {
    assert_eq!(
        error_lines(&example_with(
            &["billingAddress", "city"],
            json!("é".repeat(1001))
        )),
        ["billingAddress.city: is too long: 1001 characters (the limit is 1000)"]
    );
    assert!(parse_checkout(&example_with(
        &["billingAddress", "city"],
        json!("é".repeat(1000))
    ))
    .is_ok());
}

#[test]
fn more_than_100_lines_give_one_error_not_one_per_line() {
    let lines: Vec<Value> = (0..101)
        .map(|i| json!({"name": format!("b{i}"), "quantity": 1}))
        .collect();
    assert_eq!(
        error_lines(&example_with(&["items"], Value::Array(lines))),
        ["items: has 101 lines; the limit is 100"]
    );
}

#[test]
fn a_hundred_bad_lines_give_a_capped_list_of_errors() {
    let lines: Vec<Value> = (0..100)
        .map(|_| json!({"name": "x", "quantity": -1}))
        .collect();
    let errors =
        parse_checkout(&example_with(&["items"], Value::Array(lines))).expect_err("all negative");
    assert_eq!(errors.len(), REPORTED_ERRORS_MAX + 1);
    assert_eq!(
        errors[REPORTED_ERRORS_MAX].message,
        "… and 75 more errors not shown"
    );
}

#[test]
fn nesting_deeper_than_serde_jsons_limit_of_128_is_an_error_not_a_stack_overflow() {
    let deep = format!("{{\"x\": {}{}}}", "[".repeat(20_000), "]".repeat(20_000));
    let lines = error_lines(&deep);
    assert!(lines[0].contains("recursion limit exceeded"), "{lines:?}");
    let fine = format!("{{\"x\": {}{}}}", "[".repeat(100), "]".repeat(100));
    assert_eq!(parse_checkout(&fine).map(|r| r.items.len()), Ok(0));
}

#[test]
fn hostile_strings_parse_and_are_left_for_verification_to_refuse() {
    let body = example_with(&["user", "name"], json!("<script>\u{0}\u{202E}"));
    let r = parse_checkout(&body).expect("a string is a string");
    let errors = verify_user_data(&r).expect_err("not a name");
    assert_eq!(errors[0].field, "user.name");
    assert!(
        errors[0].message.contains("U+0000") || errors[0].message.contains("\"<\""),
        "{}",
        errors[0].message
    );
}

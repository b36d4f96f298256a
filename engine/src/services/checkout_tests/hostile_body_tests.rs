//! Random and hostile bodies through the orchestrator: never a panic, always a structured
//! answer, and a rejection always says what was wrong.

use super::*;
use crate::checkout::CheckoutStatus;
use crate::sim::rng::SimRng;
use serde_json::Value;

const BODIES: u32 = 200;

/// Values that stress the parser and the checks.
const NASTY: &[&str] = &[
    "null",
    "-1",
    "0",
    "1e309",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967296",
    "1.5",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"<script>alert(1)</script>\"",
    "\"\u{202E}\u{200B}\"",
    "\"漢🦀\"",
];

fn pick<'a>(rng: &mut SimRng, options: &[&'a str]) -> &'a str {
    options[rng.below(options.len() as u64) as usize]
}

/// Replaces one value somewhere in the example (at any depth) with `nasty`.
fn replace_a_value(rng: &mut SimRng, value: &mut Value, nasty: Value) {
    let descend = rng.chance_ppm(700_000);
    match value {
        Value::Object(map) if descend && !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len() as u64) as usize)
                .cloned()
                .unwrap_or_default();
            if let Some(inner) = map.get_mut(&key) {
                return replace_a_value(rng, inner, nasty);
            }
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = rng.below(items.len() as u64) as usize;
            if let Some(inner) = items.get_mut(i) {
                return replace_a_value(rng, inner, nasty);
            }
        }
        _ => {}
    }
    *value = nasty;
}

fn hostile_body(rng: &mut SimRng, case: u32) -> String {
    let example = example_json();
    match case % 6 {
        0 => {
            let mut v: Value = serde_json::from_str(&example).unwrap_or(Value::Null);
            for _ in 0..=rng.below(3) {
                let nasty = serde_json::from_str(pick(rng, NASTY)).unwrap_or(Value::Null);
                replace_a_value(rng, &mut v, nasty);
            }
            v.to_string()
        }
        1 => {
            // Flip bytes of the text (then keep it valid UTF-8, as a String must be).
            let mut bytes = example.into_bytes();
            for _ in 0..=rng.below(4) {
                let i = rng.below(bytes.len() as u64) as usize;
                bytes[i] = rng.below(256) as u8;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        2 => example[..rng.below(example.len() as u64) as usize].to_string(),
        3 => (0..rng.below(300))
            .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'))
            .collect(),
        4 => example.replace(
            "\"quantity\":1",
            &format!("\"quantity\":{}", pick(rng, &NASTY[..9])),
        ),
        _ => match rng.below(4) {
            0 => "[".repeat(200 + rng.below(5000) as usize),
            1 => format!(
                "{{\"items\":[{}]}}",
                "{\"name\":\"Clean Architecture\",\"quantity\":1},".repeat(150) + "{}"
            ),
            2 => format!("{{\"user\":{{\"name\":\"{}\"}}}}", "A".repeat(70_000)),
            _ => example.replace("John Doe", &"\u{0}".repeat(rng.below(2000) as usize)),
        },
    }
}

#[test]
fn two_hundred_hostile_bodies_each_get_a_structured_answer_and_nothing_panics() {
    let mut rng = SimRng::new(0xbad_b0d1e5);
    let mut shop = shop(90);
    let bodies: Vec<String> = (0..BODIES)
        .map(|case| hostile_body(&mut rng, case))
        .collect();
    // In waves of 20, so they also run concurrently.
    let mut responses = Vec::new();
    for wave in bodies.chunks(20) {
        let answers: Vec<Answer> = wave.iter().map(|b| shop.submit(b.clone())).collect();
        assert!(
            shop.run_until(secs(20), |_| answers.iter().all(|a| a.borrow().is_some())),
            "a wave went unanswered"
        );
        responses.extend(
            answers
                .iter()
                .map(|a| a.borrow_mut().take().expect("answered").expect("rpc ok")),
        );
    }
    assert_eq!(responses.len(), BODIES as usize);
    let mut rejected = 0;
    for (i, r) in responses.iter().enumerate() {
        assert!(r.order_id.starts_with("ord-"), "body {i}: no order id");
        match r.status {
            CheckoutStatus::Rejected => {
                rejected += 1;
                assert!(!r.errors.is_empty(), "body {i}: rejected without a reason");
                assert!(
                    r.errors
                        .iter()
                        .all(|e| !e.field.is_empty() && !e.message.is_empty()),
                    "body {i}"
                );
                assert!(r.errors.len() <= 26, "body {i}: errors are capped");
            }
            CheckoutStatus::Approved => assert_eq!(r.suggested_books.len(), 3, "body {i}"),
        }
    }
    assert!(
        rejected >= 150,
        "only {rejected} of {BODIES} hostile bodies were rejected"
    );
    // And the shop still works afterwards.
    let after = shop.checkout(json_of(&example_from_buyer(12345)));
    assert_eq!(
        after.status,
        CheckoutStatus::Approved,
        "{}",
        error_text(&after)
    );
}

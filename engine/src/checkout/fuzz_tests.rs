//! A small deterministic fuzzer: thousands of arbitrary and mutated bodies, seeded by
//! `SimRng`, must never panic `parse_checkout` or the checks, and every rejection must say
//! something. A failure prints the seed and case number to rerun it.

use super::parse_tests::SEED_EXAMPLE_JSON;
use super::*;
use crate::sim::rng::SimRng;
use serde_json::{json, Map, Value};
use std::panic::catch_unwind;

const CASES_PER_KIND: u32 = 1000;
/// Longest sentence a message may be: templates plus two 40-character excerpts.
const MESSAGE_CHARS_MAX: usize = 250;

/// Pieces that stress JSON and the checks: structure, escapes, control and invisible
/// characters, markup, multi-byte text, number edges.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "false",
    "-",
    "0",
    "1",
    "9",
    "1e309",
    "-0",
    "0.5",
    "18446744073709551616",
    "-9223372036854775809",
    "\u{0}",
    "\u{202E}",
    "\u{200B}",
    "<script>",
    "é",
    "漢",
    "🦀",
    " ",
    "\n",
    "\t",
    "\"items\"",
    "\"quantity\"",
    "\"name\"",
    "\"creditCard\"",
];

fn pick<'a>(rng: &mut SimRng, options: &[&'a str]) -> &'a str {
    options[rng.below(options.len() as u64) as usize]
}

fn random_bytes(rng: &mut SimRng) -> String {
    let len = rng.below(200);
    let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn piece_soup(rng: &mut SimRng) -> String {
    (0..rng.below(120)).map(|_| pick(rng, PIECES)).collect()
}

fn truncated_example(rng: &mut SimRng) -> String {
    SEED_EXAMPLE_JSON[..rng.below(SEED_EXAMPLE_JSON.len() as u64) as usize].to_string()
}

/// The seed example with a few characters deleted, inserted or replaced.
fn edited_example(rng: &mut SimRng) -> String {
    let mut chars: Vec<char> = SEED_EXAMPLE_JSON.chars().collect();
    for _ in 0..rng.range_inclusive(1, 4) {
        let at = rng.below(chars.len() as u64 + 1) as usize;
        let replacement: Vec<char> = pick(rng, PIECES).chars().collect();
        match rng.below(3) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => {
                chars.splice(at..at + 1, replacement);
            }
            _ => {
                chars.splice(at..at, replacement);
            }
        }
    }
    chars.into_iter().collect()
}

fn random_string(rng: &mut SimRng) -> String {
    match rng.below(4) {
        0 => "x".repeat(rng.range_inclusive(990, 1010) as usize),
        1 => random_bytes(rng),
        _ => piece_soup(rng),
    }
}

fn random_value(rng: &mut SimRng, depth: u32) -> Value {
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance_ppm(500_000)),
        2 => match rng.below(4) {
            0 => json!(rng.next_u64()),
            1 => json!(rng.next_u64() as i64),
            2 => json!(rng.below(200)),
            _ => json!((rng.next_u64() >> 11) as f64 / 1024.0),
        },
        3 => Value::String(random_string(rng)),
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let keys = ["name", "quantity", "number", "zip", "items", "x"];
            let map: Map<String, Value> = (0..rng.below(4))
                .map(|_| (pick(rng, &keys).to_string(), random_value(rng, depth - 1)))
                .collect();
            Value::Object(map)
        }
    }
}

/// Walks down from `v` to a random node (each step taken with probability 0.7) and replaces
/// that node with a random value.
fn replace_random_node(v: &mut Value, rng: &mut SimRng) {
    let len = match v {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if len > 0 && rng.chance_ppm(700_000) {
        let i = rng.below(len as u64) as usize;
        let child = match v {
            Value::Object(m) => m.values_mut().nth(i),
            Value::Array(a) => a.get_mut(i),
            _ => None,
        };
        if let Some(child) = child {
            return replace_random_node(child, rng);
        }
    }
    *v = random_value(rng, 3);
}

/// The example as a `Value` with one node replaced by a random value (wrong types, nulls,
/// huge numbers, hostile strings).
fn retyped_example(rng: &mut SimRng) -> String {
    let mut v = serde_json::to_value(CheckoutRequest::example()).unwrap_or(Value::Null);
    replace_random_node(&mut v, rng);
    v.to_string()
}

fn deep_nesting(rng: &mut SimRng) -> String {
    let depth = rng.range_inclusive(100, 400) as usize;
    let (open, close) = if rng.chance_ppm(500_000) {
        ("[", "]")
    } else {
        ("{\"items\":", "}")
    };
    let closing = if rng.chance_ppm(500_000) {
        close.repeat(depth)
    } else {
        String::new()
    };
    format!("{{\"items\":{}1{}}}", open.repeat(depth), closing)
}

fn huge_number_quantity(rng: &mut SimRng) -> String {
    let digits: String = (0..rng.range_inclusive(1, 400))
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect();
    let literal = format!(
        "{}{digits}{}",
        pick(rng, &["", "-"]),
        pick(rng, &["", ".5", "e9", "e-9", "E+400"])
    );
    SEED_EXAMPLE_JSON.replacen("\"quantity\": 1", &format!("\"quantity\": {literal}"), 1)
}

/// Makes one body to try.
type Generator = fn(&mut SimRng) -> String;

fn assert_meaningful(errors: &[FieldError], context: &str) {
    assert!(!errors.is_empty(), "{context}: Err with no errors");
    for e in errors {
        assert!(
            !e.field.is_empty() && !e.message.trim().is_empty(),
            "{context}: empty error {e:?}"
        );
        let chars = e.message.chars().count();
        assert!(
            chars <= MESSAGE_CHARS_MAX,
            "{context}: {chars}-character message {e}"
        );
    }
}

/// Parses (and, when that succeeds, verifies) one body; returns whether the parse succeeded.
fn check_one(body: &str, context: &str) -> bool {
    let parsed = catch_unwind(|| parse_checkout(body))
        .unwrap_or_else(|_| panic!("{context}: parse_checkout panicked"));
    let request = match parsed {
        Ok(r) => r,
        Err(errors) => {
            assert_meaningful(&errors, context);
            return false;
        }
    };
    let today = CalendarDate {
        year: 2026,
        month: 1,
        day: 1,
    };
    let results = catch_unwind(|| {
        [
            verify_items(&request, &|t| t == "Clean Architecture"),
            verify_user_data(&request),
            verify_card_format(&request, today),
        ]
    })
    .unwrap_or_else(|_| panic!("{context}: a verification panicked"));
    for errors in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_meaningful(errors, context);
    }
    true
}

#[test]
fn thousands_of_arbitrary_and_mutated_bodies_never_panic_and_always_explain() {
    let kinds: [(&str, Generator); 7] = [
        ("random-bytes", random_bytes),
        ("piece-soup", piece_soup),
        ("truncated", truncated_example),
        ("edited", edited_example),
        ("retyped", retyped_example),
        ("deep", deep_nesting),
        ("huge-number", huge_number_quantity),
    ];
    for (kind, generate) in kinds {
        let seed = crate::sim::rng::fnv1a64(kind.as_bytes());
        let mut rng = SimRng::new(seed);
        let mut parsed_ok = 0u32;
        for case in 0..CASES_PER_KIND {
            let body = generate(&mut rng);
            if check_one(&body, &format!("kind {kind} seed {seed} case {case}")) {
                parsed_ok += 1;
            }
        }
        // The generators must reach both sides, or the test proves little.
        if kind == "retyped" || kind == "edited" {
            assert!(
                parsed_ok > 0 && parsed_ok < CASES_PER_KIND,
                "{kind}: {parsed_ok} of {CASES_PER_KIND} parsed"
            );
        }
        if kind == "deep" || kind == "truncated" || kind == "huge-number" {
            assert!(
                parsed_ok < CASES_PER_KIND / 10,
                "{kind}: {parsed_ok} parsed"
            );
        }
    }
}

#[test]
fn the_fuzzer_is_deterministic() {
    let run = |seed| {
        let mut rng = SimRng::new(seed);
        (0..50)
            .map(|_| retyped_example(&mut rng))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(11), run(11));
    assert_ne!(run(11), run(12));
}

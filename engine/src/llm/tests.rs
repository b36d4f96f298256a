//! Table tests of the strict parsers: each row is an answer and what must come of it.

use super::*;
use serde_json::json;

/// (case, message text, Ok(fraud, confidence ‰, reasons) or Err(part of the error)).
type FraudRow = (
    &'static str,
    &'static str,
    Result<(bool, u32, usize), &'static str>,
);

const FRAUD_TABLE: &[FraudRow] = &[
    (
        "good answer",
        r#"{"fraud": true, "confidence": 0.92, "reasons": ["velocity"]}"#,
        Ok((true, 920, 1)),
    ),
    (
        "good, not fraud, no reasons",
        r#" {"fraud": false, "confidence": 1, "reasons": []} "#,
        Ok((false, 1000, 0)),
    ),
    (
        "confidence 0",
        r#"{"fraud": false, "confidence": 0, "reasons": []}"#,
        Ok((false, 0, 0)),
    ),
    (
        "rounds to per-mille",
        r#"{"fraud": true, "confidence": 0.7495, "reasons": []}"#,
        Ok((true, 750, 0)),
    ),
    (
        "malformed JSON",
        r#"{"fraud": true, "confidence": 0.9"#,
        Err("not one JSON object"),
    ),
    ("not an object", r#"[true, 0.9, []]"#, Err("not an object")),
    (
        "prose before",
        r#"Sure! {"fraud": true, "confidence": 0.9, "reasons": []}"#,
        Err("not one JSON object"),
    ),
    (
        "prose after",
        r#"{"fraud": true, "confidence": 0.9, "reasons": []} Hope this helps."#,
        Err("not one JSON object"),
    ),
    (
        "code fence",
        "```json\n{\"fraud\": true, \"confidence\": 0.9, \"reasons\": []}\n```",
        Err("not one JSON object"),
    ),
    (
        "fraud as a string",
        r#"{"fraud": "yes", "confidence": 0.9, "reasons": []}"#,
        Err("\"fraud\" must be true or false"),
    ),
    (
        "confidence as a string",
        r#"{"fraud": true, "confidence": "0.9", "reasons": []}"#,
        Err("\"confidence\" must be a number"),
    ),
    (
        "confidence above 1",
        r#"{"fraud": true, "confidence": 1.7, "reasons": []}"#,
        Err("outside 0..1"),
    ),
    (
        "confidence negative",
        r#"{"fraud": false, "confidence": -0.1, "reasons": []}"#,
        Err("outside 0..1"),
    ),
    (
        "confidence as percent",
        r#"{"fraud": true, "confidence": 92, "reasons": []}"#,
        Err("outside 0..1"),
    ),
    (
        "reasons not a list",
        r#"{"fraud": true, "confidence": 0.9, "reasons": "velocity"}"#,
        Err("list of strings"),
    ),
    (
        "a reason not a string",
        r#"{"fraud": true, "confidence": 0.9, "reasons": [3]}"#,
        Err("list of strings"),
    ),
    (
        "missing key",
        r#"{"fraud": true, "confidence": 0.9}"#,
        Err("missing key \"reasons\""),
    ),
    (
        "extra key",
        r#"{"fraud": true, "confidence": 0.9, "reasons": [], "risk": 1}"#,
        Err("unexpected key \"risk\""),
    ),
    ("empty", "", Err("not one JSON object")),
];

#[test]
fn fraud_verdicts_parse_strictly() {
    for (case, text, want) in FRAUD_TABLE {
        let got = parse_fraud_verdict(text);
        match (want, &got) {
            (Ok((fraud, c, n)), Ok(v)) => assert_eq!(
                (v.fraud, v.confidence_permille, v.reasons.len()),
                (*fraud, *c, *n),
                "{case}"
            ),
            (Err(part), Err(e)) => assert!(e.contains(part), "{case}: {e:?} lacks {part:?}"),
            _ => panic!("{case}: wanted {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn too_many_or_too_long_reasons_are_malformed() {
    let many = json!({"fraud": true, "confidence": 0.5, "reasons": vec!["r"; super::parse::REASONS_MAX + 1]});
    assert!(parse_fraud_verdict(&many.to_string()).is_err());
    let long = json!({"fraud": true, "confidence": 0.5, "reasons": ["x".repeat(201)]});
    assert!(parse_fraud_verdict(&long.to_string()).is_err());
}

fn allowed() -> Vec<String> {
    ["Dune", "Emma", "Ulysses"].map(String::from).to_vec()
}

/// (case, message text, count, Ok(titles kept, dropped) or Err(part of the error)).
type SuggestRow = (
    &'static str,
    &'static str,
    usize,
    Result<(&'static [&'static str], u32), &'static str>,
);

const SUGGEST_TABLE: &[SuggestRow] = &[
    (
        "good answer",
        r#"{"suggestions": ["Dune", "Emma"]}"#,
        3,
        Ok((&["Dune", "Emma"], 0)),
    ),
    (
        "unknown titles dropped and counted",
        r#"{"suggestions": ["Dune", "The Hobbit", "Emma", "dune"]}"#,
        3,
        Ok((&["Dune", "Emma"], 2)),
    ),
    (
        "repeats kept once",
        r#"{"suggestions": ["Emma", "Emma"]}"#,
        3,
        Ok((&["Emma"], 0)),
    ),
    (
        "capped at the count",
        r#"{"suggestions": ["Dune", "Emma", "Ulysses"]}"#,
        2,
        Ok((&["Dune", "Emma"], 0)),
    ),
    (
        "all unknown",
        r#"{"suggestions": ["Nope"]}"#,
        3,
        Ok((&[], 1)),
    ),
    (
        "malformed JSON",
        r#"{"suggestions": ["Dune""#,
        3,
        Err("not one JSON object"),
    ),
    (
        "prose around",
        r#"Here you go: {"suggestions": ["Dune"]}"#,
        3,
        Err("not one JSON object"),
    ),
    (
        "a title not a string",
        r#"{"suggestions": ["Dune", 7]}"#,
        3,
        Err("strings"),
    ),
    (
        "list not a list",
        r#"{"suggestions": "Dune"}"#,
        3,
        Err("list of titles"),
    ),
    (
        "objects instead of titles",
        r#"{"suggestions": [{"title": "Dune"}]}"#,
        3,
        Err("strings"),
    ),
    (
        "extra key",
        r#"{"suggestions": [], "why": "x"}"#,
        3,
        Err("unexpected key"),
    ),
];

#[test]
fn suggestions_parse_strictly_and_keep_only_catalog_titles() {
    for (case, text, count, want) in SUGGEST_TABLE {
        let got = parse_suggestions(text, &allowed(), *count);
        match (want, &got) {
            (Ok((titles, dropped)), Ok(s)) => {
                assert_eq!(s.titles, titles.to_vec(), "{case}");
                assert_eq!(s.dropped_unknown, *dropped, "{case}");
            }
            (Err(part), Err(e)) => assert!(e.contains(part), "{case}: {e:?} lacks {part:?}"),
            _ => panic!("{case}: wanted {want:?}, got {got:?}"),
        }
    }
}

fn chat(content: &str) -> String {
    json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})
        .to_string()
}

#[test]
fn replies_give_the_message_text_or_the_reason_to_fall_back() {
    let ok = LlmReply::Http {
        status: 200,
        body: chat("{}"),
    };
    assert_eq!(ok.content(3000), Ok("{}".to_string()));
    let cases: &[(LlmReply, &str)] = &[
        (
            LlmReply::Http {
                status: 500,
                body: chat("{}"),
            },
            "HTTP error 500",
        ),
        (
            LlmReply::Http {
                status: 401,
                body: String::new(),
            },
            "HTTP error 401",
        ),
        (
            LlmReply::Http {
                status: 200,
                body: "<html>".into(),
            },
            "malformed answer: the response body is not JSON",
        ),
        (
            LlmReply::Http {
                status: 200,
                body: r#"{"choices": []}"#.into(),
            },
            "malformed answer: no choices[0]",
        ),
        (
            LlmReply::Http {
                status: 200,
                body: r#"{"choices": [{"message": {"content": 5}}]}"#.into(),
            },
            "malformed answer: no choices[0]",
        ),
        (
            LlmReply::Failed {
                error: FailKind::Timeout,
                detail: "wall clock".into(),
            },
            "timeout after 3000 ms",
        ),
        (
            LlmReply::Failed {
                error: FailKind::Network,
                detail: "Failed to fetch".into(),
            },
            "network error: Failed to fetch",
        ),
    ];
    for (reply, want) in cases {
        let got = reply.content(3000).expect_err("falls back").to_string();
        assert!(got.starts_with(want), "{reply:?}: {got}");
    }
}

#[test]
fn reply_inputs_are_read_with_errors_that_name_the_field() {
    let ok = LlmReply::from_json(&json!({"status": 200, "body": "x"}), "r").expect("valid");
    assert_eq!(
        ok,
        LlmReply::Http {
            status: 200,
            body: "x".into()
        }
    );
    let back = serde_json::to_value(&ok).expect("serialises");
    assert_eq!(LlmReply::from_json(&back, "r"), Ok(ok));
    let failed =
        LlmReply::from_json(&json!({"error": "timeout", "detail": "3 s"}), "r").expect("valid");
    assert_eq!(
        LlmReply::from_json(&serde_json::to_value(&failed).unwrap(), "r"),
        Ok(failed)
    );
    let bad: &[(serde_json::Value, &str)] = &[
        (json!({"status": 200}), "r.body"),
        (json!({"status": 42, "body": ""}), "r.status"),
        (json!({"status": "200", "body": ""}), "r.status"),
        (json!({"error": "boom"}), "r.error"),
        (json!({"error": "network", "detail": 5}), "r.detail"),
        (
            json!({"status": 200, "body": "x".repeat(BODY_MAX_BYTES + 1)}),
            "r.body",
        ),
    ];
    for (v, field) in bad {
        let e = LlmReply::from_json(v, "r").expect_err("refused");
        assert!(e.starts_with(field), "{v}: {e}");
    }
}

#[test]
fn the_request_body_is_chat_completions_in_json_mode_without_the_key() {
    let prompt = suggestions_prompt(&["Dune".into()], allowed(), 2);
    let body: serde_json::Value =
        serde_json::from_str(&chat_completions_body(&prompt, "gpt-4o-mini")).expect("JSON");
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["role"], "user");
    assert_eq!(body["response_format"]["type"], "json_object");
    let user: serde_json::Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(user["allowed_titles"], json!(["Dune", "Emma", "Ulysses"]));
    let fraud = fraud_prompt(&crate::fraud::FraudFeatures::default());
    assert!(fraud.user.contains("card_uses_in_window"), "{}", fraud.user);
    assert!(fraud.allowed_titles.is_empty());
}

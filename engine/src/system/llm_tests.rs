//! The optional LLM end to end on a whole deployment: recorded replies (a good answer, a
//! malformed one, an HTTP error, and no reply at all) end in the right verdicts and visible
//! fallbacks, and the recorded run replays — from its inputs as JSON, as a share link or a
//! scenario file carries them — to the same trace hash without asking anyone.

use super::config::ClusterConfig;
use super::inputs::{Action, TimedInput};
use super::System;
use crate::checkout::CheckoutStatus;
use crate::llm::{LlmReply, LlmRequest, LlmService};
use crate::sim::trace::TraceKind;
use serde_json::json;

const END_US: u64 = 30_000_000;
/// Checkouts far enough apart that each order's LLM waits end before the next one starts.
const CHECKOUTS_AT_MS: [u64; 4] = [2_000, 8_000, 14_000, 20_000];

fn chat(content: serde_json::Value) -> LlmReply {
    let content = match content {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    LlmReply::Http {
        status: 200,
        body: json!({"choices": [{"message": {"role": "assistant", "content": content}}]})
            .to_string(),
    }
}

/// The outside world of this test: per order (1-based) and service, what the "model" replies
/// (None: it never answers).
fn reply_for(req: &LlmRequest) -> Option<LlmReply> {
    let order: u32 = req.order_id.trim_start_matches("ord-").parse().unwrap_or(0);
    match (order, req.service) {
        (1, LlmService::Fraud) => Some(chat(
            json!({"fraud": false, "confidence": 0.9, "reasons": ["usual customer"]}),
        )),
        (1, LlmService::Suggestions) => {
            let first = req.prompt.allowed_titles[0].clone();
            let second = req.prompt.allowed_titles[5].clone();
            Some(chat(
                json!({"suggestions": [first, "Not A Real Book", second]}),
            ))
        }
        (2, LlmService::Fraud) => Some(chat(
            json!({"fraud": true, "confidence": 0.95, "reasons": ["card testing pattern"]}),
        )),
        (3, LlmService::Fraud) => Some(chat(json!(
            "Sure! {\"fraud\": false, \"confidence\": 0.2, \"reasons\": []}"
        ))),
        (3, LlmService::Suggestions) => Some(LlmReply::Http {
            status: 500,
            body: "upstream error".into(),
        }),
        _ => None,
    }
}

fn world() -> System {
    let mut sys = System::new(ClusterConfig::default(), 11).expect("valid config");
    let mut inputs = vec![TimedInput::at(0, Action::Llm { on: true })];
    for at in CHECKOUTS_AT_MS {
        inputs.push(
            TimedInput::from_json(&json!({"at_ms": at, "checkout": "example"}), "t").unwrap(),
        );
    }
    sys.schedule(inputs).expect("valid inputs");
    sys
}

/// Runs like the page does: whenever a request is outstanding and no reply is scheduled, the
/// outside world answers it (or not) at the moment the world is at.
fn run_answering(sys: &mut System) {
    while sys.now() < END_US {
        for req in sys.llm_outstanding() {
            if sys.llm_reply_scheduled(req.id) {
                continue;
            }
            if let Some(reply) = reply_for(&req) {
                sys.act(Action::LlmReply {
                    request: req.id,
                    reply,
                })
                .expect("a reply input is valid");
            }
        }
        let next = sys.now() + 5_000;
        sys.run_until(next);
    }
}

fn logs(sys: &System) -> Vec<String> {
    sys.world()
        .trace()
        .since(0)
        .filter_map(|e| match &e.kind {
            TraceKind::Log { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn recorded_replies_decide_fall_back_visibly_and_replay_to_the_same_hash() {
    let mut sys = world();
    run_answering(&mut sys);
    assert!(sys.input_errors.is_empty(), "{:?}", sys.input_errors);
    let records = sys.client_records();
    let response = |i: usize| records[i].response.clone().expect("answered");
    let (r1, r2, r3, r4) = (response(0), response(1), response(2), response(3));

    // Order 1: the LLM's verdict and suggestions are used; the unknown title is dropped.
    assert_eq!(r1.status, CheckoutStatus::Approved, "{r1:?}");
    assert_eq!(r1.suggested_books.len(), 2, "{:?}", r1.suggested_books);
    // Order 2: a confident fraud verdict from the LLM rejects.
    assert_eq!(r2.status, CheckoutStatus::Rejected);
    assert!(
        r2.errors
            .iter()
            .any(|e| e.message.starts_with("llm_high_risk")),
        "{:?}",
        r2.errors
    );
    // Orders 3 and 4: every failure falls back to the local models, which approve.
    assert_eq!(r3.status, CheckoutStatus::Approved, "{r3:?}");
    assert_eq!(r4.status, CheckoutStatus::Approved, "{r4:?}");
    assert_eq!(
        r3.suggested_books.len(),
        3,
        "the embeddings suggested instead"
    );

    let calls: Vec<(String, LlmService, bool, Option<&str>)> = sys
        .observer
        .llm
        .calls
        .values()
        .map(|c| {
            let s = c.settled.as_ref().expect("every call settled");
            (c.order_id.clone(), c.service, s.used, s.failure)
        })
        .collect();
    use LlmService::*;
    let expected: Vec<(String, LlmService, bool, Option<&str>)> = vec![
        ("ord-0001".into(), Fraud, true, None),
        ("ord-0001".into(), Suggestions, true, None),
        ("ord-0002".into(), Fraud, true, None),
        ("ord-0003".into(), Fraud, false, Some("malformed")),
        ("ord-0003".into(), Suggestions, false, Some("http")),
        ("ord-0004".into(), Fraud, false, Some("timeout")),
        ("ord-0004".into(), Suggestions, false, Some("timeout")),
    ];
    assert_eq!(calls, expected);
    let logs = logs(&sys);
    for line in [
        "fraud: LLM fallback: timeout after 3000 ms; decided by the local model",
        "suggestions: LLM fallback: HTTP error 500; decided by the local model",
        "suggestions: LLM answer used: 2 catalog titles suggested, 1 unknown titles dropped",
    ] {
        assert!(logs.iter().any(|l| l == line), "no log line {line:?}");
    }
    assert!(sys.llm_outstanding().is_empty());

    // Replay from the recorded inputs, through JSON, without the outside world.
    let recorded: Vec<serde_json::Value> =
        sys.applied_inputs().iter().map(|i| i.to_json()).collect();
    let replies = recorded
        .iter()
        .filter(|v| v.get("llm_reply").is_some())
        .count();
    assert_eq!(replies, 5, "{recorded:?}");
    let mut replay = System::new(ClusterConfig::default(), 11).expect("valid config");
    let inputs = recorded
        .iter()
        .enumerate()
        .map(|(i, v)| TimedInput::from_json(v, &format!("inputs[{i}]")))
        .collect::<Result<Vec<_>, _>>()
        .expect("recorded inputs parse back");
    replay.schedule(inputs).expect("valid");
    replay.run_until(sys.now());
    assert_eq!(replay.world().trace_hash(), sys.world().trace_hash());
    assert_eq!(replay.world().trace().total(), sys.world().trace().total());
}

#[test]
fn without_the_option_nothing_is_asked_and_a_reply_for_nobody_is_an_input_error() {
    let mut sys = System::new(ClusterConfig::default(), 11).expect("valid config");
    sys.schedule(vec![TimedInput::from_json(
        &json!({"at_ms": 2000, "checkout": "example"}),
        "t",
    )
    .unwrap()])
        .unwrap();
    sys.run_until(8_000_000);
    assert!(sys.observer.llm.calls.is_empty());
    assert_eq!(
        sys.client_records()[0].response.as_ref().map(|r| r.status),
        Some(CheckoutStatus::Approved)
    );
    sys.act(Action::LlmReply {
        request: 1,
        reply: LlmReply::Http {
            status: 200,
            body: "{}".into(),
        },
    })
    .expect("well-formed");
    sys.run_until(9_000_000);
    assert_eq!(sys.input_errors.len(), 1);
    assert!(
        sys.input_errors[0].1.contains("request 1 is not waiting"),
        "{:?}",
        sys.input_errors
    );
}

#[test]
fn a_crash_while_waiting_forgets_the_request() {
    let mut sys = world();
    while sys.llm_outstanding().is_empty() && sys.now() < END_US {
        let next = sys.now() + 1_000;
        sys.run_until(next);
    }
    let waiting = sys.llm_outstanding();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].service, LlmService::Fraud);
    assert_eq!(waiting[0].deadline_us - waiting[0].issued_at_us, 3_000_000);
    sys.act(Action::Crash("fraud".into())).expect("a node");
    let t = sys.now() + 1_000;
    sys.run_until(t);
    assert!(
        sys.llm_outstanding().is_empty(),
        "a crashed node waits for nothing"
    );
}

#[test]
fn the_page_mode_stops_at_the_moment_a_request_is_issued() {
    let mut sys = world();
    assert!(sys.run_until_llm_asks(END_US), "a request stops the run");
    let waiting = sys.llm_outstanding();
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        waiting[0].issued_at_us,
        sys.now(),
        "stopped at the issuing step"
    );
    assert!(sys.llm_needs_reply());
    let now = sys.now();
    assert!(
        sys.run_until_llm_asks(END_US),
        "still waiting: stops at once"
    );
    assert_eq!(sys.now(), now);
    sys.act(Action::LlmReply {
        request: waiting[0].id,
        reply: LlmReply::Failed {
            error: crate::llm::FailKind::Network,
            detail: "refused".into(),
        },
    })
    .expect("valid");
    assert!(!sys.llm_needs_reply(), "the reply is scheduled");
}

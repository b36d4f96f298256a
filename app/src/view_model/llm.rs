//! What the page shows about the optional LLM: one line per request on an order's card (the
//! answer used, or the visible fallback and why), and the "waiting for LLM" line while the run
//! waits for an answer. Read from typed observations (`Snapshot::llm`), never from log text.

use engine::llm::{LlmRequest, LlmService};
use engine::system::llm_calls::LlmCall;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LlmCallLine {
    pub request: u64,
    pub service: &'static str,
    /// "waiting", "used" or "fallback" (also the CSS modifier).
    pub state: &'static str,
    pub text: String,
}

/// The LLM requests about `order_id`, oldest first.
pub fn order_calls(calls: &[LlmCall], order_id: &str) -> Vec<LlmCallLine> {
    calls
        .iter()
        .filter(|c| c.order_id == order_id)
        .map(|c| {
            let (state, text) = match &c.settled {
                None => ("waiting", "waiting for the answer".to_string()),
                Some(s) if s.used => ("used", format!("LLM answer used: {}", s.detail)),
                Some(s) => (
                    "fallback",
                    format!("LLM fallback: {} — the local model decided", s.detail),
                ),
            };
            LlmCallLine {
                request: c.request,
                service: service_label(c.service),
                state,
                text,
            }
        })
        .collect()
}

fn service_label(s: LlmService) -> &'static str {
    match s {
        LlmService::Fraud => "fraud",
        LlmService::Suggestions => "suggestions",
    }
}

/// "waiting for LLM (1.2 s): fraud about ord-0001" while requests wait; None otherwise.
pub fn waiting_text(outstanding: &[LlmRequest], waited_ms: Option<f64>) -> Option<String> {
    let first = outstanding.first()?;
    let waited = waited_ms.unwrap_or(0.0).max(0.0);
    let tenths = (waited / 100.0).floor() as u64;
    let more = match outstanding.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "waiting for LLM ({}.{} s): {} about {} (request {}){more}",
        tenths / 10,
        tenths % 10,
        service_label(first.service),
        first.order_id,
        first.id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::llm::fraud_prompt;
    use engine::system::llm_calls::LlmSettlement;

    fn call(request: u64, order: &str, settled: Option<(bool, &str)>) -> LlmCall {
        LlmCall {
            request,
            service: LlmService::Fraud,
            order_id: order.into(),
            corr: 1,
            asked_at_us: 0,
            deadline_us: 3_000_000,
            settled: settled.map(|(used, detail)| LlmSettlement {
                at_us: 1,
                used,
                failure: (!used).then_some("timeout"),
                detail: detail.into(),
            }),
        }
    }

    #[test]
    fn each_call_on_an_order_says_whether_the_answer_was_used() {
        let calls = vec![
            call(1, "ord-0001", Some((true, "not fraud, confidence 900 ‰"))),
            call(2, "ord-0002", None),
            call(3, "ord-0001", Some((false, "timeout after 3000 ms"))),
        ];
        let lines = order_calls(&calls, "ord-0001");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].state, "used");
        assert_eq!(
            lines[0].text,
            "LLM answer used: not fraud, confidence 900 ‰"
        );
        assert_eq!(lines[1].state, "fallback");
        assert!(lines[1]
            .text
            .starts_with("LLM fallback: timeout after 3000 ms"));
        assert_eq!(order_calls(&calls, "ord-0002")[0].state, "waiting");
    }

    #[test]
    fn the_waiting_line_names_the_oldest_request_and_the_wall_time() {
        let req = |id| LlmRequest {
            id,
            service: LlmService::Fraud,
            order_id: "ord-0001".into(),
            corr: 1,
            issued_at_us: 0,
            deadline_us: 1,
            prompt: fraud_prompt(&Default::default()),
        };
        assert_eq!(waiting_text(&[], Some(5.0)), None);
        assert_eq!(
            waiting_text(&[req(1)], Some(1234.0)).as_deref(),
            Some("waiting for LLM (1.2 s): fraud about ord-0001 (request 1)")
        );
        assert!(waiting_text(&[req(1), req(2)], None)
            .unwrap()
            .ends_with("(request 1) and 1 more"));
    }
}

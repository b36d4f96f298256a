//! Which LLM requests the page has sent and is waiting on. The engine lists the requests that
//! wait for a reply (`Snapshot::llm.outstanding`); each is fetched once, and its reply recorded
//! once, as an input at the virtual moment the world is at. Plain Rust, tested natively; the
//! HTTP itself is `llm_fetch.rs`.

use engine::llm::LlmRequest;
use std::collections::BTreeMap;

/// A request in flight: what was asked (to recognise it again) and the wall time it was sent.
#[derive(Clone, Debug, PartialEq)]
struct InFlight {
    request: LlmRequest,
    sent_wall_ms: f64,
}

#[derive(Clone, Debug, Default)]
pub struct LlmPump {
    in_flight: BTreeMap<u64, InFlight>,
}

impl LlmPump {
    /// The outstanding requests not yet sent; they count as sent from `now_wall_ms`. Requests
    /// no longer outstanding (answered, timed out, or gone with a reset) are forgotten.
    pub fn to_send(&mut self, outstanding: &[LlmRequest], now_wall_ms: f64) -> Vec<LlmRequest> {
        self.in_flight
            .retain(|id, f| outstanding.iter().any(|r| r.id == *id && *r == f.request));
        let mut new = Vec::new();
        for r in outstanding {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.in_flight.entry(r.id) {
                slot.insert(InFlight {
                    request: r.clone(),
                    sent_wall_ms: now_wall_ms,
                });
                new.push(r.clone());
            }
        }
        new
    }

    /// The fetch for `request` ended: true if its reply should be recorded (the same request
    /// still waits; after a reset or time travel to before it, it does not).
    pub fn finish(&mut self, request: &LlmRequest, outstanding: &[LlmRequest]) -> bool {
        let sent = self
            .in_flight
            .remove(&request.id)
            .is_some_and(|f| f.request == *request);
        sent && outstanding.iter().any(|r| r == request)
    }

    /// How long the oldest request in flight has been waiting (wall ms), if any.
    pub fn waiting_ms(&self, now_wall_ms: f64) -> Option<f64> {
        self.in_flight
            .values()
            .map(|f| now_wall_ms - f.sent_wall_ms)
            .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::llm::{fraud_prompt, LlmService};

    fn req(id: u64, order: &str) -> LlmRequest {
        LlmRequest {
            id,
            service: LlmService::Fraud,
            order_id: order.into(),
            corr: 7,
            issued_at_us: 1000,
            deadline_us: 3_001_000,
            prompt: fraud_prompt(&Default::default()),
        }
    }

    #[test]
    fn each_request_is_sent_once_and_its_reply_recorded_once() {
        let mut pump = LlmPump::default();
        let out = vec![req(1, "ord-0001")];
        assert_eq!(pump.to_send(&out, 10.0).len(), 1);
        assert!(pump.to_send(&out, 20.0).is_empty(), "not sent twice");
        assert_eq!(pump.waiting_ms(1210.0), Some(1200.0));
        assert!(pump.finish(&out[0], &out));
        assert!(!pump.finish(&out[0], &out), "recorded once");
        assert_eq!(pump.waiting_ms(1300.0), None);
    }

    #[test]
    fn a_reply_for_a_request_that_no_longer_waits_is_not_recorded() {
        let mut pump = LlmPump::default();
        let first = req(1, "ord-0001");
        pump.to_send(std::slice::from_ref(&first), 0.0);
        // A reset reissued request 1 about another order: the old answer must not reach it.
        let other = req(1, "ord-0002");
        assert!(!pump.finish(&first, std::slice::from_ref(&other)));
        assert_eq!(pump.to_send(std::slice::from_ref(&other), 5.0).len(), 1);
        assert!(!pump.finish(&other, &[]), "timed out meanwhile");
    }
}

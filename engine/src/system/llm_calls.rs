//! Every LLM request of the run as the trace tells it (typed facts `llm_asked` and
//! `llm_settled`): when it was asked, by whom, about which order, and whether the answer was
//! used or the service fell back. The page draws these on the order's card; the desk holds
//! only what is outstanding, and forgets a request once its wait ends.

use crate::llm::LlmService;
use crate::sim::Micros;
use serde::Serialize;
use std::collections::BTreeMap;

/// Requests remembered (the oldest forgotten first).
pub const LLM_CALLS_KEPT: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LlmCall {
    pub request: u64,
    pub service: LlmService,
    pub order_id: String,
    pub corr: u64,
    pub asked_at_us: Micros,
    /// On the asking node's clock.
    pub deadline_us: Micros,
    /// None while waiting.
    pub settled: Option<LlmSettlement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LlmSettlement {
    pub at_us: Micros,
    /// The model's answer was used (false: the local model decided, a visible fallback).
    pub used: bool,
    /// "timeout", "network", "http", "malformed" for a fallback.
    pub failure: Option<&'static str>,
    /// What was used, or why not ("timeout after 3000 ms").
    pub detail: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LlmCalls {
    pub calls: BTreeMap<u64, LlmCall>,
    /// Bumped on every change, so a page can skip copying an unchanged list.
    pub version: u64,
}

impl LlmCalls {
    pub fn asked(&mut self, call: LlmCall) {
        self.calls.insert(call.request, call);
        while self.calls.len() > LLM_CALLS_KEPT {
            self.calls.pop_first();
        }
        self.version += 1;
    }

    pub fn settled(&mut self, request: u64, settlement: LlmSettlement) {
        if let Some(call) = self.calls.get_mut(&request) {
            call.settled = Some(settlement);
            self.version += 1;
        }
    }

    /// The calls about one order, oldest first.
    pub fn of_order<'a>(&'a self, order_id: &'a str) -> impl Iterator<Item = &'a LlmCall> {
        self.calls.values().filter(move |c| c.order_id == order_id)
    }
}

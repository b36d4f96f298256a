//! The optional LLM endpoint for fraud analysis and suggestions (seeds 000 and 001 asked
//! GPT-4o-mini), as pure types: the question a service asks, the reply the outside world
//! gives, and the strict parsers that turn a reply into something a service may act on.
//!
//! Why it is shaped like this. A model on the network is the one input of a run that no seed
//! can reproduce: asked twice, it answers differently, slowly, or not at all. So the engine
//! never calls it. A service that wants an answer *issues a request* (`LlmRequest`: an id, the
//! service, the order, the prompt) and waits for it in virtual time, with a deadline. The
//! answer comes back as a recorded input of the run (`LlmReply`, the HTTP status and body as
//! received, or the error the page saw), exactly like a checkout or a crash: a replay, a time
//! travel, a share link or the headless runner applies the same reply at the same virtual
//! millisecond and never calls the model again. A run without replies (the runner, a replay
//! of a link whose replies were lost) sees every request time out and falls back — the local
//! models stay the default and nothing depends on the LLM.
//!
//! What would go wrong otherwise: parsing loosely (taking the first `{…}` in prose, clamping a
//! confidence of 1.7 to 1) would let a model's formatting whims change decisions silently; so
//! anything but the exact shape is "malformed", and malformed falls back to the local model,
//! visibly. The confidence is read once into per-mille (`round(c × 1000)`, exact IEEE
//! operations on a correctly-rounded parse), so no float reaches a decision or the trace.
//!
//! The API key never comes here: the page adds it to the HTTP request it builds from
//! `chat_completions_body`, and it is in no input, export or trace.

mod parse;
mod prompt;
mod reply;

#[cfg(test)]
mod tests;

pub use parse::{parse_fraud_verdict, parse_suggestions, FraudVerdict, SuggestedTitles};
pub use prompt::{chat_completions_body, fraud_prompt, suggestions_prompt, LlmPrompt};
pub use reply::{FailKind, LlmFailure, LlmReply, BODY_MAX_BYTES, DETAIL_MAX_BYTES};

use serde::Serialize;

/// The services that may ask the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmService {
    Fraud,
    Suggestions,
}

impl LlmService {
    pub fn as_str(self) -> &'static str {
        match self {
            LlmService::Fraud => "fraud",
            LlmService::Suggestions => "suggestions",
        }
    }
}

/// One question a service asked and has not had answered yet: what the page shows ("waiting
/// for LLM") and what its driver turns into an HTTP request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LlmRequest {
    /// Unique within a run, in the order the requests were issued (1, 2, …).
    pub id: u64,
    pub service: LlmService,
    pub order_id: String,
    /// The order's correlation id (its trace events carry it).
    pub corr: u64,
    /// World time the request was issued, and when the service stops waiting for it.
    pub issued_at_us: u64,
    pub deadline_us: u64,
    pub prompt: LlmPrompt,
}

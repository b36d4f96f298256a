//! What the services ask, and the OpenAI chat-completions body the page sends for it.
//!
//! The instructions demand strict JSON of one exact shape, because `parse.rs` accepts nothing
//! else. The fraud question carries the order's features (counts and flags, no name, card or
//! address text: a hostile string never reaches the model, and nothing personal leaves the
//! page); the suggestions question carries the purchased titles and the catalog titles it may
//! choose from, so an answer outside the catalog can be recognised and dropped.

use crate::fraud::FraudFeatures;
use serde::Serialize;
use serde_json::json;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LlmPrompt {
    /// The system message: the task and the exact JSON shape of the answer.
    pub system: String,
    /// The user message: the facts of this order (JSON text).
    pub user: String,
    /// Suggestions only: the titles an answer may name (empty for fraud).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_titles: Vec<String>,
}

const FRAUD_INSTRUCTIONS: &str = "You are the fraud-detection service of an online bookstore. \
Judge whether the checkout described by the user message is fraudulent. Answer with exactly one \
JSON object and nothing else, of this shape: {\"fraud\": true or false, \"confidence\": a number \
from 0 to 1, \"reasons\": [short strings]}.";

const SUGGESTIONS_INSTRUCTIONS: &str = "You are the book-recommendation service of an online \
bookstore. Suggest books the customer may like, given the books in the user message. Choose only \
from \"allowed_titles\", spelled exactly as there, and never a purchased book. Answer with \
exactly one JSON object and nothing else, of this shape: {\"suggestions\": [titles]}.";

/// The fraud question about one order.
pub fn fraud_prompt(features: &FraudFeatures) -> LlmPrompt {
    LlmPrompt {
        system: FRAUD_INSTRUCTIONS.to_string(),
        user: json!({ "order": features }).to_string(),
        allowed_titles: Vec::new(),
    }
}

/// The suggestions question: `count` books like `purchased`, chosen from `allowed_titles`.
pub fn suggestions_prompt(
    purchased: &[String],
    allowed_titles: Vec<String>,
    count: u32,
) -> LlmPrompt {
    LlmPrompt {
        system: SUGGESTIONS_INSTRUCTIONS.to_string(),
        user: json!({
            "purchased": purchased,
            "count": count,
            "allowed_titles": allowed_titles,
        })
        .to_string(),
        allowed_titles,
    }
}

/// The request body for `POST {base}/chat/completions` (OpenAI's shape, which local servers
/// such as llama.cpp, Ollama and vLLM speak too): JSON mode where supported, no sampling
/// temperature, so the same question tends to get the same answer. The key is not in it.
pub fn chat_completions_body(prompt: &LlmPrompt, model: &str) -> String {
    json!({
        "model": model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "response_format": {"type": "json_object"},
        "temperature": 0,
    })
    .to_string()
}

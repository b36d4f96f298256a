//! The reply to a request, as the outside world gave it (recorded as an input of the run), and
//! why a reply could not be used.

use serde::Serialize;
use serde_json::Value;

/// The most body text one reply may carry (a page truncates longer bodies, which then fail to
/// parse): a verdict or a list of titles is a few hundred bytes.
pub const BODY_MAX_BYTES: usize = 32 * 1024;
/// The most detail text a failed reply may carry.
pub const DETAIL_MAX_BYTES: usize = 512;

/// What came back for one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LlmReply {
    /// An HTTP answer: its status and body, as received.
    Http { status: u16, body: String },
    /// No HTTP answer: the page gave up waiting (`timeout`), or the request failed on the way
    /// (`network`: refused, DNS, CORS…); `detail` says what the browser said.
    Failed { error: FailKind, detail: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailKind {
    Timeout,
    Network,
}

impl FailKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "timeout" => Some(FailKind::Timeout),
            "network" => Some(FailKind::Network),
            _ => None,
        }
    }
}

/// Why the model's answer is not used (each falls back to the local model).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LlmFailure {
    /// No reply before the deadline (virtual time), or the page's own wall-clock timeout.
    Timeout {
        after_ms: u64,
    },
    Network(String),
    Http {
        status: u16,
    },
    Malformed(String),
}

impl LlmFailure {
    /// A short name for the kind of failure (typed facts carry it).
    pub fn kind(&self) -> &'static str {
        match self {
            LlmFailure::Timeout { .. } => "timeout",
            LlmFailure::Network(_) => "network",
            LlmFailure::Http { .. } => "http",
            LlmFailure::Malformed(_) => "malformed",
        }
    }
}

impl std::fmt::Display for LlmFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LlmFailure::Timeout { after_ms } => write!(f, "timeout after {after_ms} ms"),
            LlmFailure::Network(d) => write!(f, "network error: {d}"),
            LlmFailure::Http { status } => write!(f, "HTTP error {status}"),
            LlmFailure::Malformed(why) => write!(f, "malformed answer: {why}"),
        }
    }
}

impl LlmReply {
    /// The assistant message's text of a chat-completions answer, or why there is none.
    /// `timeout_ms` is the service's own deadline, named when the page timed out first.
    pub fn content(&self, timeout_ms: u64) -> Result<String, LlmFailure> {
        match self {
            LlmReply::Failed {
                error: FailKind::Timeout,
                ..
            } => Err(LlmFailure::Timeout {
                after_ms: timeout_ms,
            }),
            LlmReply::Failed { detail, .. } => Err(LlmFailure::Network(detail.clone())),
            LlmReply::Http { status, .. } if !(200..300).contains(status) => {
                Err(LlmFailure::Http { status: *status })
            }
            LlmReply::Http { body, .. } => chat_content(body).map_err(LlmFailure::Malformed),
        }
    }

    /// Reads `{"status": 200, "body": "…"}` or `{"error": "timeout"|"network", "detail": "…"}`
    /// (the `request` key is read by the caller); errors name the field under `path`.
    pub fn from_json(v: &Value, path: &str) -> Result<Self, String> {
        if let Some(error) = v.get("error") {
            let error = error
                .as_str()
                .and_then(FailKind::parse)
                .ok_or_else(|| format!("{path}.error: expected \"timeout\" or \"network\""))?;
            let detail = match v.get("detail") {
                None => String::new(),
                Some(Value::String(d)) if d.len() <= DETAIL_MAX_BYTES => d.clone(),
                Some(_) => {
                    return Err(format!(
                        "{path}.detail: expected a string of at most {DETAIL_MAX_BYTES} bytes"
                    ))
                }
            };
            return Ok(LlmReply::Failed { error, detail });
        }
        let status = v
            .get("status")
            .and_then(Value::as_u64)
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| format!("{path}.status: expected an HTTP status 100–599"))?;
        let body = v
            .get("body")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{path}.body: expected the response body as a string"))?;
        if body.len() > BODY_MAX_BYTES {
            return Err(format!(
                "{path}.body: {} bytes, at most {BODY_MAX_BYTES}",
                body.len()
            ));
        }
        Ok(LlmReply::Http {
            status: status as u16,
            body: body.to_string(),
        })
    }
}

/// `choices[0].message.content` of a chat-completions body, strictly.
fn chat_content(body: &str) -> Result<String, String> {
    let v: Value =
        serde_json::from_str(body).map_err(|e| format!("the response body is not JSON ({e})"))?;
    v.get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| c.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| "no choices[0].message.content string in the response".to_string())
}

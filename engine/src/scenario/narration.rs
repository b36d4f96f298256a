//! Narration: the steps a scenario file tells its story in, each with claims the engine checks.
//!
//! Why claims and not captions: a caption that says "executor-2 wins term 1" is a promise about
//! the run, and a caption nobody checks drifts the day a timeout or a latency changes. So every
//! step carries a list of typed claims (`expect`), and the headless runner (and a native test
//! over every built-in scenario) runs to each step's `at_ms` and asserts them; the page shows
//! the same verdicts, computed by the same evaluator (`narration_eval.rs`). A wrong caption is
//! a failing test.
//!
//! Why narration cannot change the run: a step is only a moment to stop at and look. Nothing
//! here is scheduled into the world; the evaluator reads the system between `run_until` calls,
//! and running to a time in pieces is the same run as running there at once (tested).
//!
//! Why serde with `deny_unknown_fields`: the rest of the scenario file rejects unknown fields,
//! and a misspelt claim (`"leadr"`) that was silently ignored would be a claim never checked.
//! Each error is prefixed with its path (`narration[2].expect[0]`), and serde's message names
//! the field or variant it did not expect.

use crate::msg::DagEvent;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::TxnState;
use crate::view::EventState;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The clusters a claim may name.
pub const CLUSTERS: &[&str] = &["executors", "books-db"];

/// At most this many steps in one scenario (the issue asks for 3–7; room to grow, no more).
pub const STEPS_MAX: usize = 24;
/// At most this many claims in one step.
pub const CLAIMS_MAX: usize = 16;
/// Longest title, in characters.
pub const TITLE_CHARS_MAX: usize = 80;
/// Longest text or rule, in characters (a step is read in a pause, not a chapter).
pub const PROSE_CHARS_MAX: usize = 1200;
/// At most this many names in one highlight list.
pub const HIGHLIGHTS_MAX: usize = 16;

/// One pause in the story.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The virtual time the simulation pauses at; the claims are checked then.
    pub at_ms: u64,
    pub title: String,
    /// What just happened and why.
    pub text: String,
    /// The rule from the paper or protocol, with its source ("Raft §5.2: …").
    pub rule: String,
    #[serde(default)]
    pub highlight: Highlight,
    /// Claims about the state at `at_ms`, each checked by the engine.
    pub expect: Vec<Claim>,
}

/// What the page emphasises while the step is shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    /// Node names ("executor-2").
    #[serde(default)]
    pub nodes: Vec<String>,
    /// Message labels as the trace names them ("RequestVote", "Prepare").
    #[serde(default)]
    pub messages: Vec<String>,
    /// Order ids ("ord-0001").
    #[serde(default)]
    pub orders: Vec<String>,
}

/// An order's outcome as the shopper's client and the 2PC facts tell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderOutcome {
    /// The orchestrator answered "Order Rejected".
    Rejected,
    /// The orchestrator answered "Order Approved" (whatever happened after).
    Approved,
    /// Approved, and its transaction has not finished.
    Pending,
    Committed,
    Aborted,
}

/// One fact the engine checks. JSON: an object with one key, e.g. `{"no_leader": "executors"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Claim {
    /// `node` leads `cluster` now (per the trace) and is up; in `term`, if given.
    Leader {
        cluster: String,
        node: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        term: Option<u64>,
    },
    /// Nobody who is up leads the cluster now.
    NoLeader(String),
    /// `node` does not consider itself leader of anything now (it stepped down or never led).
    NotLeading(String),
    /// Some node of the cluster has reached `term` (Raft term, Bully epoch, lease token).
    TermAtLeast {
        cluster: String,
        term: u64,
    },
    /// `term` has begun (some node reached it) and nobody led the cluster in it: a split vote.
    TermWithoutLeader {
        cluster: String,
        term: u64,
    },
    /// The order's transaction is in `state` at its coordinator.
    Txn {
        order: String,
        state: TxnState,
    },
    /// The order's outcome; `reason` must appear in its errors (rejected) or abort reason.
    Order {
        id: String,
        status: OrderOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// One event of the order's validation DAG is in `state` (waiting, running, ok, failed,
    /// skipped).
    Event {
        order: String,
        event: DagEvent,
        state: EventState,
    },
    /// The payment node's record of the order's transaction.
    Payment {
        order: String,
        state: PaymentState,
    },
    /// The order's effects were applied exactly `times` times.
    Executed {
        order: String,
        times: u32,
    },
    Crashed(String),
    /// Up and running (not crashed, not paused).
    Up(String),
    Paused(String),
    /// `replica` (or, without it, every replica that is up) holds `copies` of `book`.
    Stock {
        book: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replica: Option<String>,
        copies: u32,
    },
    /// At least this many stock reads were judged stale.
    StaleReadsAtLeast(u64),
    /// `service` refused to clear the order's cache: its clock was not ≤ the final clock.
    CacheClearRefused {
        order: String,
        service: String,
    },
    /// The fraud or suggestions model is up (`true`) or down (`false`).
    Model {
        service: String,
        up: bool,
    },
}

impl Claim {
    /// Node names the claim refers to, for checking them against the world.
    pub fn node_names(&self) -> Vec<&str> {
        match self {
            Claim::Leader { node, .. } => vec![node],
            Claim::Crashed(n) | Claim::Up(n) | Claim::Paused(n) | Claim::NotLeading(n) => {
                vec![n]
            }
            Claim::Stock {
                replica: Some(r), ..
            } => vec![r],
            Claim::CacheClearRefused { service, .. } | Claim::Model { service, .. } => {
                vec![service]
            }
            _ => Vec::new(),
        }
    }

    /// The cluster the claim names, if any.
    pub fn cluster(&self) -> Option<&str> {
        match self {
            Claim::Leader { cluster, .. }
            | Claim::TermAtLeast { cluster, .. }
            | Claim::TermWithoutLeader { cluster, .. }
            | Claim::NoLeader(cluster) => Some(cluster),
            _ => None,
        }
    }
}

/// Parses the `narration` list; every error names the step and field. `until_ms` is the
/// scenario's: a step after the end could never be reached.
pub fn parse(v: &Value, until_ms: u64) -> Result<Vec<Step>, String> {
    let items = v.as_array().ok_or("narration: expected a list of steps")?;
    if items.len() > STEPS_MAX {
        return Err(format!("narration: at most {STEPS_MAX} steps"));
    }
    let mut steps = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("narration[{i}]");
        let step = parse_step(item, &path)?;
        if step.at_ms > until_ms {
            return Err(format!(
                "{path}.at_ms: {} is after the scenario's end (until_ms {until_ms})",
                step.at_ms
            ));
        }
        if let Some(prev) = steps.last().map(|s: &Step| s.at_ms) {
            if step.at_ms < prev {
                return Err(format!(
                    "{path}.at_ms: {} comes before the previous step's {prev}; steps go forward in time",
                    step.at_ms
                ));
            }
        }
        steps.push(step);
    }
    Ok(steps)
}

fn parse_step(item: &Value, path: &str) -> Result<Step, String> {
    if let Some(Value::Array(claims)) = item.get("expect") {
        // Parse claims one by one first, so an error names the claim's index.
        for (j, c) in claims.iter().enumerate() {
            serde_json::from_value::<Claim>(c.clone())
                .map_err(|e| format!("{path}.expect[{j}]: {e}"))?;
        }
    }
    let step: Step = serde_json::from_value(item.clone()).map_err(|e| format!("{path}: {e}"))?;
    let chars = |s: &str| s.chars().count();
    if step.title.trim().is_empty() || chars(&step.title) > TITLE_CHARS_MAX {
        return Err(format!(
            "{path}.title: must be 1–{TITLE_CHARS_MAX} characters"
        ));
    }
    for (field, value) in [("text", &step.text), ("rule", &step.rule)] {
        if value.trim().is_empty() || chars(value) > PROSE_CHARS_MAX {
            return Err(format!(
                "{path}.{field}: must be 1–{PROSE_CHARS_MAX} characters"
            ));
        }
    }
    if step.expect.is_empty() || step.expect.len() > CLAIMS_MAX {
        return Err(format!(
            "{path}.expect: 1–{CLAIMS_MAX} claims (a step claims something the engine checks)"
        ));
    }
    let h = &step.highlight;
    for (field, list) in [
        ("nodes", &h.nodes),
        ("messages", &h.messages),
        ("orders", &h.orders),
    ] {
        if list.len() > HIGHLIGHTS_MAX {
            return Err(format!(
                "{path}.highlight.{field}: at most {HIGHLIGHTS_MAX} names"
            ));
        }
    }
    Ok(step)
}

/// Checks that every node a step names (claims and highlights) exists in the world.
pub fn check_names(steps: &[Step], exists: impl Fn(&str) -> bool) -> Result<(), String> {
    for (i, step) in steps.iter().enumerate() {
        for (j, claim) in step.expect.iter().enumerate() {
            if let Some(n) = claim.node_names().into_iter().find(|n| !exists(n)) {
                return Err(format!("narration[{i}].expect[{j}]: no node named {n:?}"));
            }
            if let Some(c) = claim.cluster().filter(|c| !CLUSTERS.contains(c)) {
                return Err(format!(
                    "narration[{i}].expect[{j}]: no cluster named {c:?}; expected one of {}",
                    CLUSTERS.join(", ")
                ));
            }
        }
        if let Some(n) = step.highlight.nodes.iter().find(|n| !exists(n)) {
            return Err(format!(
                "narration[{i}].highlight.nodes: no node named {n:?}"
            ));
        }
    }
    Ok(())
}

//! The words of an order's lifecycle and of a fault, as types the trace carries.
//!
//! Why types and not strings: the page used to read these back out of log text
//! (`ends_with(" enqueued")`, `starts_with("heal")`), so each new status meant a new parser
//! somewhere, and a reworded log line silently broke a view. Now the service that changes an
//! order's status names an `OrderStep`, the fault verbs name a `FaultKind`, and every reader
//! (observer, checkers, snapshot observations, page) matches on the value. The words still
//! exist, for people and for the JSONL trace, and are written in exactly one place each
//! (`as_str`); the trace hash is taken over those words, so typing them changed no hash.

use serde::{Serialize, Serializer};

/// One step of an order's life, recorded by the service that took it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrderStep {
    /// The orchestrator took the checkout request.
    Received,
    /// Every DAG event succeeded.
    Validated,
    /// The queue holds it durably (recorded by the orchestrator and by the queue).
    Enqueued,
    /// Valid, but the queue could not take it.
    EnqueueFailed,
    /// The client was told "approved".
    Approved,
    /// The client was told "rejected".
    Rejected,
    /// Refused at once: too many orders were being validated.
    RejectedOverloaded,
    /// Every validator dropped its cached copy after the final clock.
    Cleared,
    /// A validator's clock was not ≤ the final clock; it kept its copy.
    ClearConflict,
    /// Its lease ran out before an acknowledgement; the queue holds it again.
    Redelivered,
    /// The executor acknowledged it; the queue forgot it.
    Acked,
}

impl OrderStep {
    pub const ALL: [OrderStep; 11] = [
        OrderStep::Received,
        OrderStep::Validated,
        OrderStep::Enqueued,
        OrderStep::EnqueueFailed,
        OrderStep::Approved,
        OrderStep::Rejected,
        OrderStep::RejectedOverloaded,
        OrderStep::Cleared,
        OrderStep::ClearConflict,
        OrderStep::Redelivered,
        OrderStep::Acked,
    ];

    /// The word in the trace and the log.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStep::Received => "received",
            OrderStep::Validated => "validated",
            OrderStep::Enqueued => "enqueued",
            OrderStep::EnqueueFailed => "enqueue failed",
            OrderStep::Approved => "approved",
            OrderStep::Rejected => "rejected",
            OrderStep::RejectedOverloaded => "rejected (overloaded)",
            OrderStep::Cleared => "cleared",
            OrderStep::ClearConflict => "clear conflict",
            OrderStep::Redelivered => "redelivered",
            OrderStep::Acked => "acked",
        }
    }

    /// The step as a heading ("Enqueue failed").
    pub fn title(self) -> String {
        let word = self.as_str();
        let mut chars = word.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    }

    /// Whether the order's journey draws this step in a place of its own (received,
    /// validation, the queue, the lease, the execution); any other step is drawn after them,
    /// in the order it happened, so a new step shows up without anyone teaching the page.
    pub fn has_own_place(self) -> bool {
        !matches!(
            self,
            OrderStep::EnqueueFailed | OrderStep::RejectedOverloaded
        )
    }
}

impl std::fmt::Display for OrderStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and tools compare a step with its word (`status == "acked"`).
impl PartialEq<str> for OrderStep {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl Serialize for OrderStep {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a fault verb did to the world, as the timeline draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Something broke or got worse: a partition, a cut or held link, loss, latency, a slow
    /// node, a model outage, a full or torn disk, a clock change.
    Harm,
    /// Something was put right: heal all, a healed or released link, a model back, reordering
    /// off, a disk with space again.
    Heal,
    /// A person changed a setting (stock reads, decline rates…): neither harm nor healing.
    Setting,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_its_own_word() {
        let words: std::collections::BTreeSet<&str> =
            OrderStep::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(words.len(), OrderStep::ALL.len());
        assert_eq!(OrderStep::EnqueueFailed.title(), "Enqueue failed");
        assert!(OrderStep::Acked == *"acked");
        assert_eq!(
            serde_json::to_string(&OrderStep::ClearConflict).unwrap(),
            "\"clear conflict\""
        );
    }
}

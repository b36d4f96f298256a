//! Conditions on what happens in the world, for inputs that must land in a protocol phase
//! rather than at a clock time: "crash the coordinator the moment it records COMMITTING".
//! A timed crash is fragile — the phase it hits moves with the seed, the latency, the order's
//! place in the queue — while a condition names the phase itself. A condition is judged on one
//! trace event at a time (the event that makes it true), so it is exact to the step, replays
//! identically, and needs no state of its own. Anything that wants to wait for a phase (an
//! input here; narration steps later) asks `holds_on` of each new event.

use crate::facts::Fact;
use crate::protocol::payment::PaymentState;
use crate::protocol::two_pc::{order_of, TxnState};
use crate::sim::trace::{TraceEvent, TraceKind};
use serde::{Deserialize, Serialize};

/// One thing to wait for. JSON: `{"txn": {"order": "ord-0001", "state": "COMMITTING"}}` or
/// `{"payment": {"order": "ord-0001", "state": "prepared"}}`; without `order`, any order's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// A coordinator records the order's transaction entering `state` (STARTED, PREPARING,
    /// COMMITTING, COMMITTED, ABORTING, ABORTED). COMMITTING / ABORTING are recorded only
    /// once the decision is durable, so they mean "after the decision, before phase 2 ends".
    Txn {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<String>,
        state: TxnState,
    },
    /// The payment node's record of the order's transaction becomes `state` (prepared,
    /// captured, released, declined) — recorded after it is durable on the payment node.
    Payment {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<String>,
        state: PaymentState,
    },
}

impl Condition {
    /// True when `ev` is the event that makes this condition true.
    pub fn holds_on(&self, ev: &TraceEvent) -> bool {
        let TraceKind::Fact(fact) = &ev.kind else {
            return false;
        };
        match (self, fact.as_ref()) {
            (
                Condition::Txn { order, state },
                Fact::Txn {
                    order_id, state: s, ..
                },
            ) => s == state && is_order(order, order_id),
            (Condition::Payment { order, state }, Fact::Payment { txn, state: s, .. }) => {
                s == state && is_order(order, order_of(txn))
            }
            _ => false,
        }
    }

    /// The condition in words, for logs and the page: "ord-0001 reaches COMMITTING".
    pub fn describe(&self) -> String {
        let (order, what) = match self {
            Condition::Txn { order, state } => (order, format!("reaches {}", state.as_str())),
            Condition::Payment { order, state } => {
                (order, format!("payment is {}", state.as_str()))
            }
        };
        format!("{} {what}", order.as_deref().unwrap_or("any order"))
    }
}

/// `wanted` None matches every order.
fn is_order(wanted: &Option<String>, order_id: &str) -> bool {
    wanted.as_deref().is_none_or(|w| w == order_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::NodeId;

    fn event(fact: Fact) -> TraceEvent {
        TraceEvent {
            seq: 0,
            t_us: 0,
            node: NodeId(0),
            kind: TraceKind::Fact(Box::new(fact)),
            vc: None,
            corr: 0,
        }
    }

    fn txn(order: &str, state: TxnState) -> TraceEvent {
        event(Fact::Txn {
            txn: crate::protocol::two_pc::txn_id(order),
            order_id: order.into(),
            state,
            reason: None,
        })
    }

    fn payment(order: &str, state: PaymentState) -> TraceEvent {
        event(Fact::Payment {
            txn: crate::protocol::two_pc::txn_id(order),
            state,
            amount_cents: 100,
            method: "visa".into(),
        })
    }

    #[test]
    fn a_txn_condition_holds_on_that_order_entering_that_state_only() {
        let c: Condition =
            serde_json::from_str(r#"{"txn": {"order": "ord-0002", "state": "COMMITTING"}}"#)
                .expect("parses");
        assert!(c.holds_on(&txn("ord-0002", TxnState::Committing)));
        assert!(!c.holds_on(&txn("ord-0002", TxnState::Preparing)));
        assert!(!c.holds_on(&txn("ord-0001", TxnState::Committing)));
        assert!(!c.holds_on(&payment("ord-0002", PaymentState::Prepared)));
    }

    #[test]
    fn a_condition_without_an_order_holds_for_any_order() {
        let c: Condition =
            serde_json::from_str(r#"{"payment": {"state": "prepared"}}"#).expect("parses");
        assert!(c.holds_on(&payment("ord-0007", PaymentState::Prepared)));
        assert!(!c.holds_on(&payment("ord-0007", PaymentState::Captured)));
        assert_eq!(c.describe(), "any order payment is prepared");
    }

    #[test]
    fn a_condition_prints_as_it_parses() {
        let text = r#"{"txn":{"order":"ord-0001","state":"ABORTING"}}"#;
        let c: Condition = serde_json::from_str(text).expect("parses");
        assert_eq!(serde_json::to_string(&c).expect("prints"), text);
        assert_eq!(c.describe(), "ord-0001 reaches ABORTING");
    }

    #[test]
    fn a_malformed_condition_is_refused_with_what_is_wrong() {
        let cases = [
            (r#"{"tx": {"state": "COMMITTING"}}"#, "unknown variant `tx`"),
            (
                r#"{"txn": {"state": "COMMITING"}}"#,
                "unknown variant `COMMITING`",
            ),
            (r#"{"txn": {"order": "ord-0001"}}"#, "missing field `state`"),
            (
                r#"{"txn": {"state": "STARTED", "node": "x"}}"#,
                "unknown field `node`",
            ),
            (r#"{"payment": {"state": "PREPARED"}}"#, "unknown variant"),
        ];
        for (text, want) in cases {
            let err = serde_json::from_str::<Condition>(text).expect_err(text);
            assert!(err.to_string().contains(want), "{text} → {err}");
        }
    }
}

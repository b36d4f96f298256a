//! No approved order is executed twice: execution is idempotent by order ID, even when the
//! queue redelivers an order after a leader crash. shared/SPEC.md (invariants: "no approved
//! order lost or executed twice"); at-least-once delivery + idempotent apply = effectively once.

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;

pub const NAME: &str = "no order executed twice";

pub struct ExecutedOnce;

impl Invariant for ExecutedOnce {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        "SPEC invariants; idempotent execution by order ID"
    }

    fn check(&mut self, ev: &TraceEvent, facts: &Observer) -> Option<String> {
        let TraceKind::Executed { order_id, term } = &ev.kind else {
            return None;
        };
        match facts.executed.get(order_id) {
            Some((n, _)) if *n > 1 => Some(format!(
                "{order_id} executed {n} times (now by {} in term {term})",
                ev.node
            )),
            _ => None,
        }
    }
}

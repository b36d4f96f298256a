//! Only the leader dequeues: every order the queue hands out went to a node that was elected
//! leader of the executor cluster for the fencing token it presented.
//! shared/SPEC.md (order queue: "only the executor leader may dequeue"); fencing tokens as in
//! Kleppmann, "How to do distributed locking" (2016).

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;

pub struct LeaderOnlyDequeues;

pub const EXECUTOR_CLUSTER: &str = "executors";

impl Invariant for LeaderOnlyDequeues {
    fn name(&self) -> &'static str {
        "only the leader dequeues"
    }

    fn source(&self) -> &'static str {
        "SPEC order queue; fencing tokens (Kleppmann 2016)"
    }

    fn check(&mut self, ev: &TraceEvent, facts: &Observer) -> Option<String> {
        let TraceKind::Dequeued {
            order_id,
            executor,
            term,
            ..
        } = &ev.kind
        else {
            return None;
        };
        match facts.led(EXECUTOR_CLUSTER, *term, *executor) {
            Some(_) => None,
            None => Some(format!(
                "{order_id} was dequeued by {executor} with term {term}, which it never led"
            )),
        }
    }
}

//! Only the leader dequeues, at the moment it dequeues: every order the queue hands out was
//! requested by a node that, when it sent the request, was leading the executor cluster with
//! exactly the fencing token it presented — elected for it and not yet stepped down, deposed or
//! crashed. For Raft that is the leader of the highest term the node knew then (a Raft node
//! steps down the moment it hears of a higher term, §5.1); for Bully, the coordinator of its
//! epoch until it hears of a newer one; for the lease lock, the holder of an unexpired lease.
//! shared/SPEC.md (order queue: "only the executor leader may dequeue"); Raft §5.1–5.2;
//! fencing tokens as in Kleppmann, "How to do distributed locking" (2016).
//!
//! Why the request's send time and not the grant's: the queue grants one network delay after
//! the request left, and a leader that is deposed in between (it hears of a newer term while
//! its request is in flight) could not have known. It does not act on such a late lease (its
//! work loop checks that it still leads), and the fencing token makes the queue refuse it once
//! the newer leader has spoken. A request sent *after* stepping down is a bug.

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::{LeaderSpan, Observer};

pub struct LeaderOnlyDequeues;

pub const NAME: &str = "only the leader dequeues";
pub const EXECUTOR_CLUSTER: &str = "executors";

impl Invariant for LeaderOnlyDequeues {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        "SPEC order queue; Raft §5.1–5.2; fencing tokens (Kleppmann 2016)"
    }

    fn check(&mut self, ev: &TraceEvent, facts: &Observer) -> Option<String> {
        let TraceKind::Dequeued {
            order_id,
            executor,
            term,
            requested_at_us: asked,
            ..
        } = &ev.kind
        else {
            return None;
        };
        // A node may lead the same term twice: a lease holder that crashes and restarts
        // within its lease gets the same token back (found by swarm seed 72). Judge the
        // request against the span that covers it, else against the nearest one.
        let spans: Vec<&LeaderSpan> = facts
            .leaders
            .iter()
            .filter(|s| s.cluster == EXECUTOR_CLUSTER && s.term == *term && s.node == *executor)
            .collect();
        if spans.is_empty() {
            return Some(format!(
                "{order_id} was dequeued by {executor} with term {term}, which it never led"
            ));
        }
        // Equal times are let through: within one instant the trace cannot tell whether the
        // request left before or after the step-down.
        let covers = |s: &&LeaderSpan| s.from_us <= *asked && s.to_us.is_none_or(|t| t >= *asked);
        if spans.iter().any(covers) {
            return None;
        }
        match spans.iter().rev().find(|s| s.from_us <= *asked) {
            Some(span) => Some(format!(
                "{order_id} was dequeued by {executor} with term {term}, requested at {asked} µs \
                 after it had stopped leading that term at {} µs",
                span.to_us.unwrap_or_default()
            )),
            None => Some(format!(
                "{order_id} was dequeued by {executor} with term {term}, requested at {asked} µs \
                 before it became leader of that term at {} µs",
                spans[0].from_us
            )),
        }
    }
}

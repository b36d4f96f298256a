//! Fencing: the queue never hands out an order under a fencing token lower than one it has
//! already handed out under. Kleppmann, "How to do distributed locking" (2016): a lock holder
//! that pauses or whose clock misleads it can act after its lock passed on, so the guarded
//! resource itself must refuse every token below the highest it has seen. This is what keeps
//! two lease holders at once (clocks drifting beyond the margin) from both taking orders.

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;

pub const NAME: &str = "stale fencing tokens refused";
pub const SOURCE: &str = "fencing tokens (Kleppmann 2016); SPEC order queue";

#[derive(Default)]
pub struct FencedDequeues {
    highest: u64,
}

impl Invariant for FencedDequeues {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        SOURCE
    }

    fn check(&mut self, ev: &TraceEvent, _facts: &Observer) -> Option<String> {
        let TraceKind::Dequeued {
            order_id,
            executor,
            term,
            ..
        } = &ev.kind
        else {
            return None;
        };
        let highest = self.highest;
        self.highest = highest.max(*term);
        (*term < highest).then(|| {
            format!("{order_id} was handed to {executor} under token {term} after token {highest}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::NodeId;

    fn dequeued(term: u64) -> TraceEvent {
        TraceEvent {
            seq: 0,
            t_us: 0,
            node: NodeId(0),
            corr: 0,
            vc: None,
            kind: TraceKind::Dequeued {
                order_id: format!("o{term}"),
                executor: NodeId(1),
                term,
                lease_id: term,
                requested_at_us: 0,
            },
        }
    }

    #[test]
    fn a_dequeue_under_an_older_token_is_caught() {
        let mut c = FencedDequeues::default();
        let facts = Observer::default();
        let verdicts: Vec<bool> = [1, 2, 2, 5, 3, 5]
            .into_iter()
            .map(|t| c.check(&dequeued(t), &facts).is_some())
            .collect();
        assert_eq!(verdicts, [false, false, false, false, true, false]);
    }
}

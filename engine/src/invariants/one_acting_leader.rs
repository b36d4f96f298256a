//! At most one leader acting at any moment, per cluster: a node may start leading only once
//! every other leader of its cluster has stopped (stepped down or crashed). A leader's span,
//! from its `Leader` event to its `StepDown` or crash, is exactly the time its work loop may
//! dequeue, so two open spans are two coordinators acting at once.
//!
//! Garcia-Molina, "Elections in a Distributed Computing System" (IEEE Trans. Computers, 1982),
//! §4, the Bully algorithm: Assertion 1, nodes in the normal state agree on one coordinator;
//! the new coordinator halts every lower node before it proclaims itself, so the old one has
//! stopped before the new one starts. Stronger than "one leader per term" (Raft §5.2), which
//! holds for Bully by construction (epochs ≡ rank mod n) and says nothing about time.
//!
//! The algorithm promises this only under its own assumptions: messages are neither lost nor
//! late (a bound the timeouts are set from) and nodes fail only by crashing. A partition, lost
//! messages or a paused node can leave a cut-off leader believing it leads while the others
//! elect a new one — Bully has no quorum, and that is what fencing at the queue is for (checked
//! by "only the leader dequeues"). So this checker judges a run only while the network has been
//! reliable since the start: the first network fault or pause ends its judgement for the run,
//! and a world configured lossy from the start is not judged at all.

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;

pub const NAME: &str = "one leader acting at a time";
pub const SOURCE: &str =
    "Garcia-Molina 1982 §4 (Bully, Assertion 1; halt before proclaiming), on a reliable network";

pub struct OneActingLeader {
    /// The clusters judged (the lease lock has its own holder checker).
    clusters: Vec<String>,
    /// False once the network was unreliable or a node paused: Bully's premise is gone.
    premise: bool,
}

impl OneActingLeader {
    pub fn new(clusters: Vec<String>, reliable_network: bool) -> Self {
        Self {
            clusters,
            premise: reliable_network,
        }
    }
}

impl Invariant for OneActingLeader {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        SOURCE
    }

    fn check(&mut self, ev: &TraceEvent, facts: &Observer) -> Option<String> {
        match &ev.kind {
            TraceKind::Fault { .. } | TraceKind::Pause => {
                self.premise = false;
                None
            }
            TraceKind::Leader { cluster, term } if self.premise => {
                if !self.clusters.contains(cluster) {
                    return None;
                }
                // The observer has already opened this event's own span.
                let other = facts
                    .leaders
                    .iter()
                    .find(|s| s.to_us.is_none() && &s.cluster == cluster && s.node != ev.node)?;
                Some(format!(
                    "{cluster}: {} became leader (term {term}) while {} still led term {} \
                     (since {} µs)",
                    ev.node, other.node, other.term, other.from_us
                ))
            }
            _ => None,
        }
    }
}

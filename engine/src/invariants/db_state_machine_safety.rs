//! No acknowledged database write is lost, and replicas never diverge: if any replica applies
//! a log entry at a given index, no other replica ever applies a different entry at that
//! index (Raft's State Machine Safety property, Ongaro & Ousterhout 2014, Figure 3 and
//! §5.4.3), and the entry the primary acknowledged to a client at an index is the one every
//! replica applies there. A primary that acknowledged before a quorum had the entry, and then
//! lost it on failover, shows up here as a different term applied at that index.

use super::Invariant;
use crate::facts::Fact;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;
use std::collections::BTreeMap;

pub const NAME: &str = "no acknowledged write lost";
pub const SOURCE: &str =
    "Raft §5.4.3 State Machine Safety; seed 003: no acknowledged write lost on failover";

/// Log indexes whose first term is remembered.
const INDEXES_KEPT: usize = 50_000;

#[derive(Default)]
pub struct DbStateMachineSafety {
    /// Index → the term of the entry applied (or acknowledged) there first.
    seen: BTreeMap<u64, (u64, &'static str)>,
}

impl Invariant for DbStateMachineSafety {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        SOURCE
    }

    fn check(&mut self, ev: &TraceEvent, _facts: &Observer) -> Option<String> {
        let TraceKind::Fact(fact) = &ev.kind else {
            return None;
        };
        let (index, term, what) = match fact.as_ref() {
            Fact::DbApplied { index, term, .. } => (*index, *term, "applied"),
            Fact::DbAcked { index, term, .. } => (*index, *term, "acknowledged"),
            _ => return None,
        };
        let (first_term, first_what) = *self.seen.entry(index).or_insert((term, what));
        // Bounded: a replica applies an index within the window of the newest one (a replica
        // further behind is caught up by a snapshot and never applies the old indexes).
        while self.seen.len() > INDEXES_KEPT {
            self.seen.pop_first();
        }
        (first_term != term).then(|| {
            format!("entry #{index}: {} {what} term {term}, but term {first_term} was {first_what} there first", ev.node)
        })
    }
}

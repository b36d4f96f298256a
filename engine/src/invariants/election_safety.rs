//! Election Safety: at most one leader can be elected in a given term.
//! Raft paper (Ongaro & Ousterhout 2014), Figure 3 and §5.2. For Bully the "term" is the
//! coordinator epoch and for the lease lock the fencing token: each is claimed by one node only.

use super::Invariant;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::NodeId;
use crate::system::observer::Observer;
use std::collections::BTreeMap;

pub const NAME: &str = "one leader per term";

#[derive(Default)]
pub struct ElectionSafety {
    winners: BTreeMap<(String, u64), NodeId>,
}

impl Invariant for ElectionSafety {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        "Raft §5.2 / Figure 3 (Election Safety)"
    }

    fn check(&mut self, ev: &TraceEvent, _: &Observer) -> Option<String> {
        let TraceKind::Leader { cluster, term } = &ev.kind else {
            return None;
        };
        match self.winners.insert((cluster.clone(), *term), ev.node) {
            Some(prev) if prev != ev.node => Some(format!(
                "{cluster}: {} and {} both became leader of term {term}",
                prev, ev.node
            )),
            _ => None,
        }
    }
}

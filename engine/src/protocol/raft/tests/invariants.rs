//! Safety properties of the Raft paper (§5.2, §5.4), checked after every step of a test run.
//! Each records a readable violation instead of panicking, so a failing seed reports them all.
use super::super::{Entry, RaftNode, Role};
use crate::sim::NodeId;
use std::collections::BTreeMap;

pub type Cmd = u64;

#[derive(Default)]
pub struct Checker {
    /// Election safety (§5.2): at most one leader per term.
    leaders_by_term: BTreeMap<u64, NodeId>,
    /// Every entry any node has reported committed, by index.
    committed: BTreeMap<u64, Entry<Cmd>>,
    pub violations: Vec<String>,
}

impl Checker {
    pub fn leaders_by_term(&self) -> &BTreeMap<u64, NodeId> {
        &self.leaders_by_term
    }

    pub fn committed(&self) -> &BTreeMap<u64, Entry<Cmd>> {
        &self.committed
    }

    /// Election safety and leader completeness (§5.4): a node that leads term t is the only
    /// leader of t, and its log holds every entry committed so far.
    pub fn observe_node(&mut self, now_us: u64, node: &RaftNode<Cmd>) {
        if node.role() != Role::Leader {
            return;
        }
        let term = node.term();
        match self.leaders_by_term.get(&term) {
            Some(other) if *other != node.id() => self.violations.push(format!(
                "t={now_us}: two leaders in term {term}: {other} and {}",
                node.id()
            )),
            Some(_) => {}
            None => {
                self.leaders_by_term.insert(term, node.id());
                // Entries a snapshot covers are checked when a state machine loads it.
                let compacted = node.log().snapshot_index();
                for (index, entry) in self.committed.range(compacted + 1..) {
                    if node.log().get(*index) != Some(entry) {
                        self.violations.push(format!(
                            "t={now_us}: leader {} of term {term} lacks committed entry {index}",
                            node.id()
                        ));
                    }
                }
            }
        }
    }

    /// State machine safety (§5.4.3): no two nodes apply different entries at one index, and
    /// each node applies indexes 1, 2, 3, ... without gaps.
    pub fn observe_applied(
        &mut self,
        now_us: u64,
        id: NodeId,
        applied: &[Entry<Cmd>],
        new: &[Entry<Cmd>],
    ) {
        let mut expected = applied.len() as u64 + 1;
        for entry in new {
            if entry.index != expected {
                self.violations.push(format!(
                    "t={now_us}: {id} applied index {} where {expected} was next",
                    entry.index
                ));
            }
            expected = entry.index + 1;
            match self.committed.get(&entry.index) {
                Some(known) if known != entry => self.violations.push(format!(
                    "t={now_us}: {id} committed {entry:?} but {known:?} was committed at that index"
                )),
                Some(_) => {}
                None => {
                    self.committed.insert(entry.index, entry.clone());
                }
            }
        }
    }
}

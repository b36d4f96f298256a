//! A dense vector clock over the world's nodes (entry i = node i), for the space-time diagram.
//!
//! The services' own vector clocks (`crate::clock::VectorClock`) cover only the checkout DAG's
//! four services and only the messages of one order, as seed 000 asks. The diagram needs the
//! clock of *every* event on *every* node — Fidge's and Mattern's 1988 construction over the
//! whole trace: a node ticks its own entry on each event; a send carries the sender's clock;
//! a receive takes the element-wise maximum with it and then ticks. Then for any two events
//! e, f: e happened before f ⇔ clock(e) < clock(f) (every entry ≤, one strictly less), and
//! neither ⇒ they are concurrent. Dense (a Vec indexed by node id) because every node takes
//! part and the diagram keeps tens of thousands of these.

use serde::Serialize;
use std::cmp::Ordering;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorldClock(pub Vec<u32>);

/// How two events relate in happens-before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Causality {
    Before,
    After,
    Same,
    Concurrent,
}

impl WorldClock {
    pub fn zero(nodes: usize) -> Self {
        Self(vec![0; nodes])
    }

    pub fn get(&self, node: usize) -> u32 {
        self.0.get(node).copied().unwrap_or(0)
    }

    /// Counts one more event on `node` (growing the clock if the node is new).
    pub fn tick(&mut self, node: usize) {
        if self.0.len() <= node {
            self.0.resize(node + 1, 0);
        }
        self.0[node] = self.0[node].saturating_add(1);
    }

    /// Element-wise maximum with `other` (the receive rule, before the tick).
    pub fn merge(&mut self, other: &WorldClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }

    /// `Before` when self happened before `other`, and so on.
    pub fn compare(&self, other: &WorldClock) -> Causality {
        let n = self.0.len().max(other.0.len());
        let (mut less, mut greater) = (false, false);
        for i in 0..n {
            match self.get(i).cmp(&other.get(i)) {
                Ordering::Less => less = true,
                Ordering::Greater => greater = true,
                Ordering::Equal => {}
            }
        }
        match (less, greater) {
            (false, false) => Causality::Same,
            (true, false) => Causality::Before,
            (false, true) => Causality::After,
            (true, true) => Causality::Concurrent,
        }
    }
}

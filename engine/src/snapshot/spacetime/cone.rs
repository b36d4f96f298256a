//! An event's causal cone: its past (events that happened before it), its future (events it
//! happened before) and the events concurrent with it — read off the world vector clocks
//! (`world_clock.rs`), which is exact: e → f ⇔ clock(e) < clock(f).

use super::{Causality, StEvent};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cone {
    pub focus: u64,
    /// Seqs, in trace order.
    pub past: Vec<u64>,
    pub future: Vec<u64>,
    pub concurrent: Vec<u64>,
}

impl Cone {
    pub fn of<'a>(focus: &StEvent, among: impl Iterator<Item = &'a StEvent>) -> Self {
        let mut cone = Cone {
            focus: focus.seq,
            ..Default::default()
        };
        for ev in among.filter(|e| e.seq != focus.seq) {
            match ev.clock.compare(&focus.clock) {
                Causality::Before => cone.past.push(ev.seq),
                Causality::After => cone.future.push(ev.seq),
                // Two distinct events never share a clock (each ticks its node's entry);
                // treat the impossible as unrelated rather than claim an order.
                Causality::Concurrent | Causality::Same => cone.concurrent.push(ev.seq),
            }
        }
        cone
    }
}

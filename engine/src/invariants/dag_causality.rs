//! Clocks respect causality: in every order's DAG, an event's vector clock is strictly greater
//! than the clocks of the events it depends on (a → c, b → d, c → e, d → e, e → f).
//! Lamport 1978 (clock condition); Mattern 1989 (vector clocks characterise causality); seed 000.

use super::Invariant;
use crate::clock::VectorClock;
use crate::msg::DagEvent;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::system::observer::Observer;
use std::collections::BTreeMap;

pub const NAME: &str = "clocks respect causality";

/// The most orders whose clocks are remembered; older ones are forgotten first.
const MAX_ORDERS: usize = 512;

#[derive(Default)]
pub struct DagCausality {
    clocks: BTreeMap<u64, BTreeMap<DagEvent, VectorClock>>,
}

fn event_named(name: &str) -> Option<DagEvent> {
    DagEvent::ALL.into_iter().find(|e| e.name() == name)
}

impl Invariant for DagCausality {
    fn name(&self) -> &'static str {
        NAME
    }

    fn source(&self) -> &'static str {
        "Lamport 1978 clock condition; Mattern 1989; seed 000 DAG"
    }

    fn check(&mut self, ev: &TraceEvent, _: &Observer) -> Option<String> {
        let (TraceKind::Event { name }, Some(vc)) = (&ev.kind, &ev.vc) else {
            return None;
        };
        let event = event_named(name)?;
        if ev.corr == 0 {
            return None;
        }
        let order = self.clocks.entry(ev.corr).or_default();
        let mut broken = None;
        for dep in event.depends_on() {
            if let Some(dep_vc) = order.get(dep) {
                if !dep_vc.happened_before(vc) {
                    broken = Some(format!(
                        "order c{}: {} {} is not after {} {}",
                        ev.corr,
                        event.name(),
                        vc,
                        dep.name(),
                        dep_vc
                    ));
                }
            }
        }
        order.insert(event, vc.clone());
        while self.clocks.len() > MAX_ORDERS {
            self.clocks.pop_first();
        }
        broken
    }
}

//! The validation DAG of one order as a plain state machine (no I/O): which events may start,
//! what a failure skips, when the order is settled. The runner in `events.rs` drives it.
//!
//! A failure skips the events that depend on it, transitively; events that do not depend on it
//! still run, so the client gets every independent error at once (seed 000: "stops dependent
//! events on the first failure and aggregates errors").

use crate::clock::VectorClock;
use crate::msg::DagEvent;
use crate::sim::Micros;
use crate::view::{DagEventView, EventState};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DagRun {
    /// In `DagEvent::ALL` order (the enum's declaration order, so `event as usize` indexes it).
    events: Vec<DagEventView>,
}

impl Default for DagRun {
    fn default() -> Self {
        Self::new()
    }
}

impl DagRun {
    pub fn new() -> Self {
        let events = DagEvent::ALL
            .iter()
            .map(|&event| DagEventView {
                event,
                state: EventState::Waiting,
                started_at_us: None,
                finished_at_us: None,
                vc: None,
            })
            .collect();
        Self { events }
    }

    pub fn events(&self) -> &[DagEventView] {
        &self.events
    }

    pub fn state(&self, event: DagEvent) -> EventState {
        self.events[event as usize].state
    }

    /// Waiting events whose dependencies all succeeded, in `DagEvent::ALL` order.
    pub fn ready(&self) -> Vec<DagEvent> {
        DagEvent::ALL
            .into_iter()
            .filter(|&e| self.state(e) == EventState::Waiting)
            .filter(|&e| {
                // Broken variant for "clocks respect causality" (invariants/dag_causality.rs).
                #[cfg(test)]
                if crate::bugs::planted(crate::bugs::Bug::DagIgnoresDependencies) {
                    return true;
                }
                e.depends_on()
                    .iter()
                    .all(|&d| self.state(d) == EventState::Ok)
            })
            .collect()
    }

    pub fn start(&mut self, event: DagEvent, now: Micros) {
        let view = &mut self.events[event as usize];
        view.state = EventState::Running;
        view.started_at_us = Some(now);
    }

    /// Records how `event` ended; a failure skips everything that depends on it.
    pub fn finish(&mut self, event: DagEvent, ok: bool, vc: Option<VectorClock>, now: Micros) {
        let view = &mut self.events[event as usize];
        view.state = if ok {
            EventState::Ok
        } else {
            EventState::Failed
        };
        view.finished_at_us = Some(now);
        view.vc = vc;
        self.skip_blocked();
    }

    /// Nothing will run (the validators could not be initialised).
    pub fn skip_all(&mut self) {
        for view in &mut self.events {
            if view.state == EventState::Waiting {
                view.state = EventState::Skipped;
            }
        }
    }

    /// Nothing running and nothing left to start.
    pub fn is_settled(&self) -> bool {
        !self.events.iter().any(|v| v.state == EventState::Running) && self.ready().is_empty()
    }

    pub fn all_ok(&self) -> bool {
        self.events.iter().all(|v| v.state == EventState::Ok)
    }

    /// `DagEvent::ALL` is in dependency order, so one pass reaches the fixpoint.
    fn skip_blocked(&mut self) {
        for event in DagEvent::ALL {
            let blocked = event
                .depends_on()
                .iter()
                .any(|&d| matches!(self.state(d), EventState::Failed | EventState::Skipped));
            if blocked && self.state(event) == EventState::Waiting {
                self.events[event as usize].state = EventState::Skipped;
            }
        }
    }
}

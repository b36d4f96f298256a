//! Exports to the field's tools: the JSON trace (`trace_json.rs`), a ShiViz log (`shiviz.rs`),
//! Chrome trace-event JSON for Perfetto and chrome://tracing (`perfetto.rs`) and a Mermaid
//! sequence diagram (`mermaid.rs`); the report is `system::report`. Formats: `docs/exports.md`.
//!
//! Why pure functions over trace events, and why through the space-time diagram's code: the
//! page and the headless runner must write the same file for the same run, and every causal
//! fact in an export (which receive took which send, each event's vector clock) must be the one
//! the page draws. So every exporter replays the trace events it is given into a fresh
//! `SpaceTime` (Fidge/Mattern clocks, `snapshot/spacetime/world_clock.rs`) and writes what that
//! computed; nothing here recomputes causality its own way. A fresh diagram starts every clock
//! at zero at the first event exported, so a window or a trace whose oldest events scrolled
//! away still gives clocks that are consistent among themselves (what ShiViz checks).
//!
//! Bounded: at most `EVENTS_MAX` diagram events per export (the diagram's own bound), the
//! first ones of the window, so a prefix — closed under happens-before, since the trace is
//! in causal order — and never a hang on a long run; the files say when they were cut.

pub mod mermaid;
pub mod perfetto;
pub mod shiviz;
pub mod spec;
pub mod trace_json;

#[cfg(test)]
mod tests;

use crate::sim::trace::TraceEvent;
use crate::sim::{Micros, NodeId};
use crate::snapshot::spacetime::{SpaceTime, StDrop, StEvent};

/// Diagram events one export holds at most (the space-time diagram's own bound).
pub const EVENTS_MAX: usize = crate::snapshot::spacetime::EVENTS_MAX;

/// Node names by id (`World::nodes()` order), so files name nodes as the page does.
#[derive(Clone, Debug, Default)]
pub struct NodeNames(pub Vec<String>);

impl NodeNames {
    pub fn of(world: &crate::sim::World) -> Self {
        Self(world.nodes().into_iter().map(|n| n.name).collect())
    }

    /// The node's name with any whitespace made `_` (ShiViz hosts and Mermaid ids are words).
    pub fn name(&self, id: NodeId) -> String {
        match self.0.get(id.0 as usize) {
            Some(n) => n.split_whitespace().collect::<Vec<_>>().join("_"),
            None => format!("node-{}", id.0),
        }
    }
}

/// A time window of virtual time, `from_us <= t < to_us`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from_us: Micros,
    pub to_us: Micros,
}

impl Window {
    pub const ALL: Window = Window {
        from_us: 0,
        to_us: Micros::MAX,
    };

    pub fn contains(&self, t_us: Micros) -> bool {
        self.from_us <= t_us && t_us < self.to_us
    }
}

/// The trace events of `window` replayed into a fresh space-time diagram, with the trace
/// events themselves (for facts the diagram does not keep), cut after `EVENTS_MAX` diagram
/// events. `truncated` says whether the cut happened.
pub struct Replayed<'a> {
    pub diagram: SpaceTime,
    pub events: Vec<&'a TraceEvent>,
    pub truncated: bool,
}

impl Replayed<'_> {
    /// Every diagram event, in trace order.
    pub fn st_events(&self) -> impl Iterator<Item = &StEvent> {
        self.diagram.events_between(0, Micros::MAX)
    }

    pub fn drops(&self) -> impl Iterator<Item = &StDrop> {
        self.diagram.drops_between(0, Micros::MAX)
    }
}

pub fn replay<'a>(
    events: impl IntoIterator<Item = &'a TraceEvent>,
    window: Window,
) -> Replayed<'a> {
    let mut diagram = SpaceTime::default();
    let mut kept = Vec::new();
    let mut truncated = false;
    for ev in events.into_iter().filter(|e| window.contains(e.t_us)) {
        if diagram.len() >= EVENTS_MAX {
            truncated = true;
            break;
        }
        diagram.observe(ev);
        kept.push(ev);
    }
    Replayed {
        diagram,
        events: kept,
        truncated,
    }
}

/// Seconds with microsecond precision, for people ("2.500123 s").
pub fn secs_label(t_us: Micros) -> String {
    format!("{}.{:06} s", t_us / 1_000_000, t_us % 1_000_000)
}

/// One line of free text: no line breaks (every format here is line-oriented).
pub fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

//! The space-time diagram's data (Lamport 1978, Fig. 1: one line per process, time flowing
//! along it, messages as arrows between lines): every send, receive and local event of every
//! node with its world vector clock (`world_clock.rs`), which message each receive took, what
//! became of each send (delivered, dropped — and why — or still on the wire), and the causal
//! cone of any event. Built incrementally from the trace, so a frame costs only the events since
//! the last one; bounded (`EVENTS_MAX`), so a long run keeps the recent past.
//!
//! Which trace records are events: sends, deliveries and node-local happenings that mean
//! something to a reader (crash, restart, pause, resume, leadership, checkout DAG events, queue
//! and 2PC facts). Timers and free-text logs are not: they would bury the messages, and a timer
//! carries no causality. Drops are marks on the wire, not events of a node: a message that
//! never arrives makes nobody's clock move.

mod cone;
mod events;
pub mod explain;
pub mod layout;
mod world_clock;

#[cfg(test)]
mod tests;

pub use cone::Cone;
pub use events::{LocalKind, MsgFate, StDrop, StEvent, StKind};
pub use world_clock::{Causality, WorldClock};

/// The words the diagram shows for a local trace event (None: not a diagram event).
pub fn local_label(kind: &TraceKind) -> Option<String> {
    events::local(kind).map(|(_, label)| label)
}

use crate::sim::trace::{Trace, TraceEvent, TraceKind};
use crate::sim::Micros;
use std::collections::{BTreeMap, VecDeque};

/// Events kept (oldest forgotten first): at a busy 2,500 events per virtual second, the last
/// 20 s or so, far more than a readable window; about 100 bytes each with 13 nodes.
pub const EVENTS_MAX: usize = 50_000;
/// Drop marks kept.
pub const DROPS_MAX: usize = 5_000;
/// Sends remembered while their message is on the wire. A message the world never delivers
/// nor drops (held on a link forever) must not pin memory: past this many, the oldest go.
const IN_FLIGHT_MAX: usize = 100_000;

#[derive(Clone, Debug, Default)]
pub struct SpaceTime {
    events: VecDeque<StEvent>,
    drops: VecDeque<StDrop>,
    clocks: Vec<WorldClock>,
    /// Message id → (seq of its send event, the sender's clock at the send).
    on_wire: BTreeMap<u64, (u64, WorldClock)>,
    /// The next trace seq to read.
    next_seq: u64,
    /// Trace events that scrolled out of the trace before we read them: causality through
    /// them is unknown (the diagram says so rather than guess).
    pub missed: u64,
}

impl SpaceTime {
    /// Reads every trace event since the last call.
    pub fn catch_up(&mut self, trace: &Trace) {
        let mut it = trace.since(self.next_seq).peekable();
        if let Some(first) = it.peek() {
            self.missed += first.seq.saturating_sub(self.next_seq);
        }
        for ev in it {
            self.observe(ev);
        }
    }

    pub fn observe(&mut self, ev: &TraceEvent) {
        self.next_seq = ev.seq + 1;
        match &ev.kind {
            TraceKind::Send {
                msg,
                to,
                label,
                deliver_at_us,
            } => {
                let kind = StKind::Send {
                    msg: *msg,
                    to: *to,
                    label,
                    deliver_at_us: *deliver_at_us,
                    fate: MsgFate::OnWire,
                };
                let clock = self.push(ev, kind);
                self.remember_send(*msg, ev.seq, clock);
            }
            TraceKind::Deliver { msg, from, label } => self.receive(ev, *msg, *from, label),
            TraceKind::Duplicate { msg, copy, .. } => {
                if let Some(sent) = self.on_wire.get(msg).cloned() {
                    self.on_wire.insert(*copy, sent);
                }
            }
            TraceKind::Drop {
                msg,
                from,
                to,
                label,
                reason,
            } => {
                let send_seq = self.on_wire.remove(msg).map(|(seq, _)| seq);
                if let Some(seq) = send_seq {
                    self.set_fate(seq, MsgFate::Dropped(*reason));
                }
                push_bounded(
                    &mut self.drops,
                    DROPS_MAX,
                    StDrop {
                        t_us: ev.t_us,
                        msg: *msg,
                        from: *from,
                        to: *to,
                        label,
                        reason: *reason,
                        send_seq,
                    },
                );
            }
            other => {
                if let Some((kind, label)) = events::local(other) {
                    self.push(ev, StKind::Local { kind, label });
                }
            }
        }
    }

    fn receive(
        &mut self,
        ev: &TraceEvent,
        msg: u64,
        from: crate::sim::NodeId,
        label: &'static str,
    ) {
        let sent = self.on_wire.remove(&msg);
        if let Some((_, clock)) = &sent {
            self.clock_of(ev.node.0 as usize).merge(clock);
        }
        let send_seq = sent.map(|(seq, _)| seq);
        self.push(
            ev,
            StKind::Receive {
                msg,
                from,
                label,
                send_seq,
            },
        );
        if let Some(seq) = send_seq {
            self.set_fate(seq, MsgFate::Delivered(ev.seq));
        }
    }

    /// Ticks the node's clock and records the event; returns the clock it carries.
    fn push(&mut self, ev: &TraceEvent, kind: StKind) -> WorldClock {
        let node = ev.node.0 as usize;
        let clock = self.clock_of(node);
        clock.tick(node);
        let clock = clock.clone();
        push_bounded(
            &mut self.events,
            EVENTS_MAX,
            StEvent {
                seq: ev.seq,
                t_us: ev.t_us,
                node: ev.node,
                corr: ev.corr,
                kind,
                clock: clock.clone(),
            },
        );
        clock
    }

    fn remember_send(&mut self, msg: u64, seq: u64, clock: WorldClock) {
        if self.on_wire.len() >= IN_FLIGHT_MAX {
            self.on_wire.pop_first();
        }
        self.on_wire.insert(msg, (seq, clock));
    }

    fn clock_of(&mut self, node: usize) -> &mut WorldClock {
        if self.clocks.len() <= node {
            self.clocks.resize(node + 1, WorldClock::default());
        }
        &mut self.clocks[node]
    }

    fn set_fate(&mut self, send_seq: u64, fate: MsgFate) {
        if let Some(StEvent {
            kind: StKind::Send { fate: f, .. },
            ..
        }) = self.event_mut(send_seq)
        {
            *f = fate;
        }
    }

    fn event_mut(&mut self, seq: u64) -> Option<&mut StEvent> {
        let i = self.events.partition_point(|e| e.seq < seq);
        self.events.get_mut(i).filter(|e| e.seq == seq)
    }

    /// Events held.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn event(&self, seq: u64) -> Option<&StEvent> {
        let i = self.events.partition_point(|e| e.seq < seq);
        self.events.get(i).filter(|e| e.seq == seq)
    }

    /// Events with `t0_us <= t < t1_us`, in trace order.
    pub fn events_between(&self, t0_us: Micros, t1_us: Micros) -> impl Iterator<Item = &StEvent> {
        let from = self.events.partition_point(|e| e.t_us < t0_us);
        let to = self.events.partition_point(|e| e.t_us < t1_us);
        self.events.range(from..to.max(from))
    }

    /// Drop marks with `t0_us <= t < t1_us`.
    pub fn drops_between(&self, t0_us: Micros, t1_us: Micros) -> impl Iterator<Item = &StDrop> {
        let from = self.drops.partition_point(|d| d.t_us < t0_us);
        let to = self.drops.partition_point(|d| d.t_us < t1_us);
        self.drops.range(from..to.max(from))
    }

    /// The oldest time still held (the diagram cannot scroll further back).
    pub fn earliest_us(&self) -> Option<Micros> {
        self.events.front().map(|e| e.t_us)
    }

    /// `seq`'s causal past, future and the events concurrent with it, among those between
    /// `t0_us` and `t1_us` (the visible window). None if `seq` is no longer held.
    pub fn cone(&self, seq: u64, t0_us: Micros, t1_us: Micros) -> Option<Cone> {
        let focus = self.event(seq)?;
        Some(Cone::of(focus, self.events_between(t0_us, t1_us)))
    }
}

fn push_bounded<T>(q: &mut VecDeque<T>, max: usize, item: T) {
    if q.len() >= max {
        q.pop_front();
    }
    q.push_back(item);
}
